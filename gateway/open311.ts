/**
 * Open311 GeoReport v2 served by the hub (http://wiki.open311.org/GeoReport_v2), so that existing
 * citizen-reporting apps submit to 12345: discovery, the service list (config/open311-services.yaml
 * maps each service to a hub category), a service definition, service request create
 * (form-encoded, as GeoReport clients send it, with api_key: an integration key) and the public
 * reads, each in JSON and XML (`.json`, `.xml`), each taking `jurisdiction_id`. A request becomes
 * an ordinary order (channel app); its own fields (service code, lat/long, address_id, zipcode,
 * media_url) are kept beside it. Anyone may read requests taken through Open311, anonymised
 * (domain/open311.ts orderToRequest: no citizen, coordinates to ~100 m), never a confidential
 * citizen's nor an order taken another way; the lists are filtered in the database by date, state
 * and service. Errors come in Open311's shape, [{ code, description }] or <errors>, and a missing
 * or bad api_key is 403, as the specification says.
 */
import type { Request, Response } from 'express';
import { XMLBuilder } from 'fast-xml-parser';
import type { Catalog } from '../domain/catalog.js';
import { checkJurisdiction, Open311Error, orderToRequest, parseOpen311Query, requestToOrder, serviceList, type Open311Table } from '../domain/open311.js';
import type { RepeatPolicy } from '../domain/repeats.js';
import { safeName } from '../domain/attachments.js';
import type { AttachmentStore } from '../infra/db/attachments.js';
import type { KnowledgeStore } from '../infra/db/knowledge.js';
import type { OrderStore } from '../infra/db/orders.js';
import { acceptOrder } from '../usecases/accept-order.js';
import type { RouteKey } from './access.js';
import { localsOf, principalOf } from './security.js';

/** The external-reference system under which an application's Open311 requests are kept: one per adapter. */
export const open311System = (adapter: string): string => `open311:${adapter}`;

export interface Open311Deps {
  store: OrderStore;
  catalog: Catalog;
  knowledge: KnowledgeStore;
  repeats: RepeatPolicy;
  now: () => Date;
  table: Open311Table;
  sms: boolean;
  confirmUrl?: (token: string) => string;
  /** 附件: the app's media_url is kept with the order as a link. */
  attachments?: Pick<AttachmentStore, 'addLink'>;
}

type Route = (key: RouteKey, handler: (req: Request, res: Response) => Promise<void> | void) => void;
type Format = 'json' | 'xml';

const CHANGESET = '2026-12-06T00:00:00Z';
const xml = new XMLBuilder({ format: false, suppressEmptyNode: false, processEntities: true });

/** The format a path asks for (`.json`, `.xml`); another is a 404. */
function formatOf(req: Request): Format {
  const f = String(req.params.format ?? '');
  if (f !== 'json' && f !== 'xml') throw new Open311Error(404, `format .${f} is not served: .json or .xml`);
  return f;
}

/** GeoReport v2's XML: the root, one element per item, null as an empty element, lists as repeated children. */
function toXml(root: string, item: string | null, body: unknown): string {
  const clean = (v: unknown): unknown => (v === null || v === undefined ? '' : Array.isArray(v) ? v.map(clean) : typeof v === 'object' ? Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, clean(x)])) : v);
  const inner = item ? { [item]: clean(body) } : clean(body);
  return `<?xml version="1.0" encoding="utf-8"?>${xml.build({ [root]: inner })}`;
}

function send(res: Response, format: Format, status: number, body: unknown, root: string, item: string | null): void {
  if (format === 'json') res.status(status).json(body);
  else res.status(status).type('application/xml; charset=utf-8').send(toXml(root, item, body));
}

/** An error as GeoReport v2 gives it, in the format the path asks for; 401 (no or a bad api_key) becomes the spec's 403. */
export function sendOpen311Error(req: Request, res: Response, status: number, description: string): void {
  const code = status === 401 ? 403 : status;
  const errors = [{ code, description }];
  if (/\.xml$/.test(req.path)) res.status(code).type('application/xml; charset=utf-8').send(toXml('errors', 'error', errors));
  else res.status(code).json(errors);
}

export function open311Routes(route: Route, d: Open311Deps, keyIdOf: (req: Request, ...scope: string[]) => string | undefined): void {
  const jurisdiction = (req: Request) => checkJurisdiction(req.query.jurisdiction_id ?? (req.body as Record<string, unknown> | undefined)?.jurisdiction_id, d.table);
  const unitName = (code: string | null) => (code ? (d.catalog.units.find((u) => u.code === code)?.name ?? null) : null);

  route('GET /open311/v2/discovery.:format', (req, res) => {
    const format = formatOf(req);
    const base = `${req.protocol}://${req.get('host')}/open311/v2`;
    const body = {
      changeset: CHANGESET,
      contact: '12345政务服务便民热线',
      key_service: 'an integration key from the hotline centre (hub keys create --role integration), for POST requests only',
      endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', url: base, changeset: CHANGESET, type: 'production', formats: ['application/json', 'text/xml'] }],
    };
    if (format === 'json') return void res.json(body);
    send(res, format, 200, { ...body, endpoints: { endpoint: body.endpoints.map((e) => ({ ...e, formats: { format: e.formats } })) } }, 'discovery', null);
  });

  route('GET /open311/v2/services.:format', (req, res) => {
    const format = formatOf(req);
    jurisdiction(req);
    send(res, format, 200, serviceList(d.table), 'services', 'service');
  });

  route('GET /open311/v2/services/:serviceCode.:format', (req, res) => {
    const format = formatOf(req);
    jurisdiction(req);
    const s = d.table.services.find((x) => x.service_code === req.params.serviceCode);
    if (!s) throw new Open311Error(404, `service_code ${String(req.params.serviceCode)} is not offered here`);
    send(res, format, 200, { service_code: s.service_code, attributes: [] }, 'service_definition', null);
  });

  route('POST /open311/v2/requests.:format', async (req, res) => {
    const format = formatOf(req);
    const p = principalOf(res);
    const { order, email, fields } = requestToOrder((req.body ?? {}) as Record<string, unknown>, d.table);
    const application = p.adapter ?? p.keyId;
    const { order: made, created } = await acceptOrder(d, { ...order, citizen: { ...order.citizen, email } }, keyIdOf(req, p.keyId, 'open311'), `integration:${application}`);
    // Kept under the application (a resend with the same Idempotency-Key keeps the first).
    await d.store.linkExternal(made.orderNo!, { system: open311System(application), id: made.orderNo! });
    // The photo the app linked, kept as its link (never fetched: the hub does not go where a client points).
    if (created && fields.mediaUrl) await d.attachments?.addLink({ orderNo: made.orderNo!, name: safeName(new URL(fields.mediaUrl).pathname, 'image/jpeg'), url: fields.mediaUrl, addedBy: `integration:${application}` });
    await d.store.recordOpen311(made.orderNo!, application, fields, made.createdAt);
    localsOf(res).target = made.orderNo!;
    send(res, format, created ? 201 : 200, [{ service_request_id: made.orderNo, service_notice: '12345热线已受理，将按时限办理并回访', account_id: null }], 'service_requests', 'request');
  });

  const read = async (q: ReturnType<typeof parseOpen311Query>) =>
    (await d.store.open311Requests(q)).map(({ order: o, fields }) =>
      orderToRequest({ orderNo: o.orderNo!, status: o.status, category: o.category, description: o.description, address: o.address, unitName: unitName(o.unitCode), createdAt: o.createdAt, updatedAt: o.updatedAt, dueAt: o.dueAt, citizen: { name: o.citizenName, phone: o.citizenPhone }, fields }, d.table),
    );

  route('GET /open311/v2/requests.:format', async (req, res) => {
    const format = formatOf(req);
    const q = parseOpen311Query(req.query as Record<string, unknown>, d.table, d.now());
    send(res, format, 200, await read(q), 'service_requests', 'request');
  });

  route('GET /open311/v2/requests/:requestId.:format', async (req, res) => {
    const format = formatOf(req);
    jurisdiction(req);
    const id = String(req.params.requestId);
    const [v] = /^GD\d{14}$/.test(id) ? await read({ ids: [id], since: new Date(0), until: new Date(8.64e15), limit: 1 }) : [];
    if (!v) throw new Open311Error(404, `service request ${id} does not exist here`);
    send(res, format, 200, [v], 'service_requests', 'request');
  });
}
