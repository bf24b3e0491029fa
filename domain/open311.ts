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

export interface Open311Order {
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
  if (lat === undefined && !addressString && !body.address_id) throw new Open311Error(400, 'a location is required: lat and long, or address_string');
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
    order: {
      channel: 'app',
      type: s.type,
      category: s.category,
      district: district.district,
      title: `${s.service_name}${description ? `：${description.slice(0, 40)}` : ''}`.slice(0, 200),
      description: [description || s.service_name, where, media ? `\n图片：${media}` : ''].join('').slice(0, 4000),
      address: (addressString || (lat !== undefined ? `${district.names[0] ?? district.district} ${lat.toFixed(6)},${long!.toFixed(6)}` : str(body.address_id, 100))).slice(0, 300),
      urgent: false,
      citizen: { name: name || '市民（Open311）', phone, confidential: false },
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
  const s = t.services.find((x) => x.category === o.category);
  const at = /（位置 (-?[\d.]+),(-?[\d.]+)）/.exec(o.description);
  const media = /\n图片：(\S+)/.exec(o.description)?.[1];
  const subject = { name: o.citizen.name, phone: o.citizen.phone, address: '' };
  return {
    service_request_id: o.orderNo,
    status: isDone(o.status) ? 'closed' : 'open',
    status_notes: NOTES[o.status] ?? '办理中',
    service_name: s?.service_name ?? o.category,
    service_code: s?.service_code ?? null,
    description: anonymise(o.description.replace(/（位置 [^）]*）/, '').replace(/\n图片：\S+/, ''), subject),
    agency_responsible: o.unitName ?? '12345政务服务便民热线',
    service_notice: '12345热线将按时限办理并回访',
    requested_datetime: o.createdAt.toISOString(),
    updated_datetime: o.updatedAt.toISOString(),
    expected_datetime: o.dueAt?.toISOString() ?? null,
    address: anonymise(coarseIn(o.address), subject),
    lat: at ? coarse(Number(at[1])) : null,
    long: at ? coarse(Number(at[2])) : null,
    media_url: media ?? null,
  };
}
