/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) as the hub serves it, pure: the
 * service list from the table a centre edits (config/open311-services.yaml), a service request as
 * clients post it (form-encoded: service_code, lat/long or address_string, description, media_url,
 * the citizen's name, phone, email) turned into a new order, and an order shown as a request.
 */
import { z } from 'zod';
import type { Catalog } from './catalog.js';
import { anonymise } from './disclosure.js';
import { isDone } from './order.js';

const service = z.object({
  service_code: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
  service_name: z.string().min(1),
  description: z.string().default(''),
  group: z.string().default(''),
  keywords: z.array(z.string()).default([]),
  category: z.string(),
  type: z.enum(['consultation', 'help', 'complaint', 'report', 'suggestion', 'praise']),
});
export const open311Table = z.object({
  jurisdiction_id: z.string().min(1),
  services: z.array(service).min(1),
  districts: z.array(z.object({ district: z.string(), names: z.array(z.string()).default([]), bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]) })),
});
export type Open311Table = z.output<typeof open311Table>;

/** The table checked against the catalog: every category a leaf that exists, every district known. */
export function checkOpen311Table(t: Open311Table, c: Catalog): string[] {
  const problems: string[] = [];
  const codes = new Set<string>();
  for (const s of t.services) {
    if (codes.has(s.service_code)) problems.push(`service_code ${s.service_code} appears twice`);
    codes.add(s.service_code);
    if (!c.categories.some((x) => x.code === s.category)) problems.push(`service ${s.service_code}: category ${s.category} is not in the catalog`);
    else if (c.categories.some((x) => x.parent === s.category)) problems.push(`service ${s.service_code}: category ${s.category} is a group, not a category`);
  }
  for (const d of t.districts) if (!c.districts.some((x) => x.code === d.district)) problems.push(`district ${d.district} is not in the catalog`);
  return problems;
}

/** GET services.json */
export const serviceList = (t: Open311Table) =>
  t.services.map((s) => ({ service_code: s.service_code, service_name: s.service_name, description: s.description, metadata: false, type: 'realtime', keywords: s.keywords.join(','), group: s.group }));

/** A refusal in Open311's shape: [{ code, description }] with the HTTP status as the code. */
export class Open311Error extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const coordinate = (v: unknown, min: number, max: number, name: string): number | undefined => {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new Open311Error(400, `${name} must be a number from ${min} to ${max} (WGS84 degrees)`);
  return n;
};

const str = (v: unknown, max: number): string => (typeof v === 'string' ? v.trim().slice(0, max) : '');

/** What a GeoReport request carries besides the order's text, kept as it came (open311_request). */
export interface Open311Fields {
  /** Null for a request taken before the fields were kept: its service is read from its category. */
  serviceCode: string | null;
  lat: number | null;
  long: number | null;
  addressId: string | null;
  zipcode: string | null;
  mediaUrl: string | null;
}

export interface Open311Order {
  fields: Open311Fields;
  order: {
    channel: 'app';
    type: string;
    category: string;
    district: string;
    title: string;
    description: string;
    address: string;
    urgent: false;
    citizen: { name: string; phone: string; confidential: false };
  };
  email: string | null;
}

/** A POST requests.json body → a new order, or an Open311Error saying what is missing. */
export function requestToOrder(body: Record<string, unknown>, t: Open311Table): Open311Order {
  const code = str(body.service_code, 64);
  if (!code) throw new Open311Error(400, 'service_code is required (GET services.json lists them)');
  const s = t.services.find((x) => x.service_code === code);
  if (!s) throw new Open311Error(404, `service_code ${code} is not offered here (GET services.json lists them)`);
  if (body.jurisdiction_id !== undefined && body.jurisdiction_id !== '' && body.jurisdiction_id !== t.jurisdiction_id) throw new Open311Error(404, `jurisdiction_id ${str(body.jurisdiction_id, 100)} is not served here (${t.jurisdiction_id})`);
  const lat = coordinate(body.lat, -90, 90, 'lat');
  const long = coordinate(body.long, -180, 180, 'long');
  if ((lat === undefined) !== (long === undefined)) throw new Open311Error(400, 'lat and long come together');
  const addressString = str(body.address_string, 250);
  const addressId = str(body.address_id, 100);
  const zipcode = str(body.zipcode, 20);
  if (zipcode && !/^[0-9A-Za-z -]{3,20}$/.test(zipcode)) throw new Open311Error(400, 'zipcode is not a postal code');
  if (lat === undefined && !addressString && !addressId) throw new Open311Error(400, 'a location is required: lat and long, address_string or address_id');
  const byName = addressString ? t.districts.find((d) => d.names.some((n) => addressString.includes(n))) : undefined;
  const byBox = lat !== undefined ? t.districts.find((d) => long! >= d.bbox[0] && lat >= d.bbox[1] && long! <= d.bbox[2] && lat <= d.bbox[3]) : undefined;
  const district = byName ?? byBox;
  if (!district) throw new Open311Error(400, 'the location is outside the districts served here; give an address_string that names the district (e.g. 和平区…)');
  const phone = str(body.phone, 20).replace(/\s/g, '');
  if (!/^\+?[0-9-]{5,20}$/.test(phone)) throw new Open311Error(400, 'phone is required here: 12345 calls every citizen back about the outcome (digits, optionally with + and -)');
  const emailRaw = str(body.email, 200);
  const email = emailRaw && z.email().safeParse(emailRaw).success ? emailRaw : null;
  if (emailRaw && !email) throw new Open311Error(400, 'email is not an e-mail address');
  const description = str(body.description, 3500);
  const media = str(body.media_url, 500);
  if (media && !/^https?:\/\/\S+$/.test(media)) throw new Open311Error(400, 'media_url must be an http(s) URL');
  const where = lat !== undefined ? `（位置 ${lat.toFixed(6)},${long!.toFixed(6)}）` : '';
  const name = `${str(body.last_name, 50)}${str(body.first_name, 50)}`.trim();
  return {
    fields: { serviceCode: s.service_code, lat: lat ?? null, long: long ?? null, addressId: addressId || null, zipcode: zipcode || null, mediaUrl: media || null },
    order: {
      channel: 'app',
      type: s.type,
      category: s.category,
      district: district.district,
      title: `${s.service_name}${description ? `：${description.slice(0, 40)}` : ''}`.slice(0, 200),
      description: [description || s.service_name, where, media ? `\n图片：${media}` : ''].join('').slice(0, 4000),
      address: (addressString || (lat !== undefined ? `${district.names[0] ?? district.district} ${lat.toFixed(6)},${long!.toFixed(6)}` : addressId)).slice(0, 300),
      urgent: false,
      citizen: { name: name || '市民（Open311）', phone, confidential: false },
      // 重复件 across callers: a point on the map is matched within a radius.
      ...(lat !== undefined ? { location: { lat, lng: long! } } : {}),
    },
    email,
  };
}

/** What the order's status tells a citizen, in a line. */
const NOTES: Record<string, string> = {
  accepted: '已受理，正在分派',
  awaiting_assignment: '已受理，正在分派',
  assigned: '已受理，正在分派',
  returned: '正在重新分派',
  dispatched: '已派发承办单位',
  acknowledged: '承办单位已签收，正在办理',
  sub_dispatched: '承办单位正在办理',
  sub_replied: '承办单位正在办理',
  extension_requested: '承办单位正在办理',
  replied: '承办单位已答复，正在审核',
  awaiting_callback: '已办理，待回访',
  closed: '已办结',
  answered: '已当即答复',
  merged: '已并入相同诉求的工单一并办理',
  handed_over: '已移交紧急联动单位',
  transferred: '已移交紧急联动单位',
  cancelled: '已撤销',
};

export interface OrderForOpen311 {
  orderNo: string;
  status: string;
  category: string;
  description: string;
  address: string;
  unitName: string | null;
  createdAt: Date;
  updatedAt: Date;
  dueAt: Date | null;
  /** Whose words these are: their name and phone never leave in a read, whatever the text says. */
  citizen: { name: string; phone: string };
  /** What the request carried as fields (none for a request taken before they were kept). */
  fields: Open311Fields | null;
}

/** Coordinates as a read gives them: three decimals, about 100 m, enough to find the street, not the doorway. */
export const coarse = (degrees: number): number => Math.round(degrees * 1000) / 1000;
const coarseIn = (text: string): string => text.replace(/-?\d{1,3}\.\d{4,}/g, (m) => coarse(Number(m)).toFixed(3));

/**
 * GET requests/{id}.json: an order as a service request, as the application that submitted it
 * may read it back. No citizen data: the text through the disclosure anonymiser (names, phones,
 * ID numbers, plates, house numbers), coordinates coarsened, in the address as well.
 */
export function orderToRequest(o: OrderForOpen311, t: Open311Table) {
  const s = (o.fields?.serviceCode ? t.services.find((x) => x.service_code === o.fields!.serviceCode) : undefined) ?? t.services.find((x) => x.category === o.category);
  const f = o.fields;
  const subject = { name: o.citizen.name, phone: o.citizen.phone, address: '' };
  return {
    service_request_id: o.orderNo,
    status: isDone(o.status) ? 'closed' : 'open',
    status_notes: NOTES[o.status] ?? '办理中',
    service_name: s?.service_name ?? o.category,
    service_code: f?.serviceCode ?? s?.service_code ?? null,
    // The hub adds the place and the photo to the text for the unit; the read gives them as fields.
    description: anonymise(o.description.replace(/（位置 [^）]*）/, '').replace(/\n图片：\S+/, ''), subject),
    agency_responsible: o.unitName ?? '12345政务服务便民热线',
    service_notice: '12345热线将按时限办理并回访',
    requested_datetime: o.createdAt.toISOString(),
    updated_datetime: o.updatedAt.toISOString(),
    expected_datetime: o.dueAt?.toISOString() ?? null,
    address: anonymise(coarseIn(o.address), subject),
    address_id: f?.addressId ?? null,
    zipcode: f?.zipcode ?? null,
    lat: f?.lat != null ? coarse(f.lat) : null,
    long: f?.long != null ? coarse(f.long) : null,
    // 附件 are never disclosed: a citizen's photo may show who and where; the centre and the unit see it (GET …/attachments).
    media_url: null,
  };
}

export type Open311Request = ReturnType<typeof orderToRequest>;

/** A GET requests query, read as GeoReport v2 writes it: what the store is asked, or an Open311Error. */
export interface Open311Query {
  ids?: string[];
  since: Date;
  until: Date;
  /** open, closed, or both when absent. */
  states?: Array<'open' | 'closed'>;
  /** The categories of the service codes asked for. */
  categories?: string[];
  limit: number;
}

/** At most this many requests in one answer, and this window when no dates are given (GeoReport v2's defaults). */
export const OPEN311_MAX = 1000;
export const OPEN311_DEFAULT_DAYS = 90;
const ORDER_NO = /^GD\d{14}$/;

const w3cDate = (v: unknown, name: string): Date | undefined => {
  if (v === undefined || v === '') return undefined;
  const d = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) ? new Date(v) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw new Open311Error(400, `${name} must be a W3C date, such as 2026-12-01T00:00:00+08:00`);
  return d;
};
const list = (v: unknown): string[] | undefined => (typeof v === 'string' && v.trim() ? v.split(',').map((x) => x.trim()).filter(Boolean) : undefined);

/** The jurisdiction a request names, if any, must be this one's (every method takes jurisdiction_id). */
export function checkJurisdiction(v: unknown, t: Open311Table): void {
  if (v !== undefined && v !== '' && v !== t.jurisdiction_id) throw new Open311Error(404, `jurisdiction_id ${str(v, 100)} is not served here (${t.jurisdiction_id})`);
}

export function parseOpen311Query(q: Record<string, unknown>, t: Open311Table, now: Date): Open311Query {
  checkJurisdiction(q.jurisdiction_id, t);
  const ids = list(q.service_request_id);
  if (ids && (ids.length > 50 || ids.some((a) => !ORDER_NO.test(a)))) throw new Open311Error(400, 'service_request_id: at most 50 ids, comma-separated, such as GD20261126000001');
  const end = w3cDate(q.end_date, 'end_date');
  const start = w3cDate(q.start_date, 'start_date');
  const until = end ?? now;
  const since = start ?? new Date(until.getTime() - OPEN311_DEFAULT_DAYS * 86_400_000);
  if (since > until) throw new Open311Error(400, 'start_date is after end_date');
  if (until.getTime() - since.getTime() > 366 * 86_400_000) throw new Open311Error(400, 'start_date to end_date covers at most 366 days');
  const states = list(q.status);
  if (states?.some((x) => x !== 'open' && x !== 'closed')) throw new Open311Error(400, 'status is open, closed, or both comma-separated');
  const codes = list(q.service_code);
  const unknown = codes?.filter((c) => !t.services.some((x) => x.service_code === c));
  if (unknown?.length) throw new Open311Error(404, `service_code ${unknown.join(',')} is not offered here (GET services lists them)`);
  const categories = codes ? [...new Set(codes.map((c) => t.services.find((x) => x.service_code === c)!.category))] : undefined;
  // Asked by id: those requests, whatever their dates (the spec: ids override the other filters).
  if (ids) return { ids, since: new Date(0), until: new Date(8.64e15), limit: ids.length };
  return { since, until, states: states as Array<'open' | 'closed'> | undefined, categories, limit: OPEN311_MAX };
}
