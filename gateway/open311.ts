/**
 * Open311 GeoReport v2 served by the hub (http://wiki.open311.org/GeoReport_v2), so that existing
 * citizen-reporting apps submit to 12345: discovery, the service list (config/open311-services.yaml
 * maps each service to a hub category), service request create (form-encoded, as GeoReport
 * clients send it, with api_key: an integration key) and read. A request becomes an ordinary order
 * (channel app) and is marked as the submitting application's (the adapter its key names), so that
 * an application reads back only its own requests, never another's, and never the citizen.
 * Errors come in Open311's shape, [{ code, description }].
 */
import type { Request, Response } from 'express';
import type { Catalog } from '../domain/catalog.js';
import { Open311Error, orderToRequest, requestToOrder, serviceList, type Open311Table } from '../domain/open311.js';
import type { RepeatPolicy } from '../domain/repeats.js';
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
}

type Route = (key: RouteKey, handler: (req: Request, res: Response) => Promise<void> | void) => void;

const ID = /^GD\d{14}$/;

export function open311Routes(route: Route, d: Open311Deps, keyIdOf: (req: Request, ...scope: string[]) => string | undefined): void {
  // Integration keys name their adapter (domain/access.ts bindingProblem); the key id stands in otherwise.
  const systemOf = (res: Response) => {
    const p = principalOf(res);
    return open311System(p.adapter ?? p.keyId);
  };
  const view = async (system: string, orderNo: string) => {
    if ((await d.store.findByExternal(system, orderNo)) !== orderNo) return undefined;
    const o = await d.store.find(orderNo);
    if (!o) return undefined;
    const unitName = o.unitCode ? (d.catalog.units.find((u) => u.code === o.unitCode)?.name ?? null) : null;
    const hidden = o.citizenConfidential;
    return orderToRequest({ orderNo, status: o.status, category: o.category, description: hidden ? '' : o.description, address: hidden ? '' : o.address, unitName, createdAt: o.createdAt, updatedAt: o.updatedAt, dueAt: o.dueAt, citizen: { name: o.citizenName, phone: o.citizenPhone } }, d.table);
  };

  route('GET /open311/v2/discovery.json', (req, res) => {
    const base = `${req.protocol}://${req.get('host')}/open311/v2`;
    res.json({
      changeset: '2026-11-26T00:00:00Z',
      contact: '12345政务服务便民热线',
      key_service: 'an integration key from the hotline centre (hub keys create --role integration)',
      endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', url: base, changeset: '2026-11-26T00:00:00Z', type: 'production', formats: ['application/json'] }],
    });
  });

  route('GET /open311/v2/services.json', (_req, res) => {
    res.json(serviceList(d.table));
  });

  route('GET /open311/v2/services/:serviceCode.json', (req, res) => {
    const s = d.table.services.find((x) => x.service_code === req.params.serviceCode);
    if (!s) throw new Open311Error(404, `service_code ${String(req.params.serviceCode)} is not offered here`);
    res.json({ service_code: s.service_code, attributes: [] });
  });

  route('POST /open311/v2/requests.json', async (req, res) => {
    const p = principalOf(res);
    const { order, email } = requestToOrder((req.body ?? {}) as Record<string, unknown>, d.table);
    const { order: made, created } = await acceptOrder(d, { ...order, citizen: { ...order.citizen, email } }, keyIdOf(req, p.keyId, 'open311'), `integration:${p.adapter ?? p.keyId}`);
    await d.store.linkExternal(made.orderNo!, { system: systemOf(res), id: made.orderNo! });
    localsOf(res).target = made.orderNo!;
    res.status(created ? 201 : 200).json([{ service_request_id: made.orderNo, service_notice: '12345热线已受理，将按时限办理并回访', account_id: null }]);
  });

  route('GET /open311/v2/requests.json', async (req, res) => {
    const asked = typeof req.query.service_request_id === 'string' ? req.query.service_request_id.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
    if (asked && (asked.length > 50 || asked.some((a) => !ID.test(a)))) throw new Open311Error(400, 'service_request_id: at most 50 ids, comma-separated, such as GD20261126000001');
    const system = systemOf(res);
    const ids = asked ?? (await d.store.externalIdsOf(system, 50));
    const out = [];
    for (const id of ids) {
      const v = await view(system, id);
      if (v && (typeof req.query.status !== 'string' || req.query.status === v.status) && (typeof req.query.service_code !== 'string' || req.query.service_code === v.service_code)) out.push(v);
    }
    res.json(out);
  });

  route('GET /open311/v2/requests/:requestId.json', async (req, res) => {
    const id = String(req.params.requestId);
    const v = ID.test(id) ? await view(systemOf(res), id) : undefined;
    if (!v) throw new Open311Error(404, `service request ${id} does not exist here`);
    res.json([v]);
  });
}
