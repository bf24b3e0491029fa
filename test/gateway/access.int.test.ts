/**
 * Who may do what, on the real gateway and database: every endpoint × every role (and no key) ×
 * the unit's own order or another unit's, with the status each must get. The table below is
 * written out by hand, not derived from gateway/access.ts, and must name exactly the routes the
 * gateway serves: a new endpoint fails this test until someone decides who may call it.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import nodePath from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../domain/access.js';
import { ACCESS, type RouteKey } from '../../gateway/access.js';
import { openApiDocument, responseSchemaOf } from '../../gateway/openapi.js';
import { problems, validator } from '../support/json-schema.js';
import { startHub, type RunningHub } from '../../hub/compose.js';
import { loadConfig, projectRoot } from '../../infra/config.js';
import type { Transition } from '../../domain/order.js';
import type { NewOrder } from '../../infra/db/orders.js';
import { createLogger } from '../../infra/log.js';
import { freePort } from '../support/harness.js';
import { CircularStore } from '../../infra/db/circulars.js';
import { SqlDutyRota } from '../../infra/db/duty-rota.js';
import { AttachmentStore } from '../../infra/db/attachments.js';

/** The smallest PNG there is: a 1×1 pixel. */
const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'));
import { bearer, makeKeys, type TestKeys } from '../support/keys.js';
import type { StepCode } from '../../domain/text.js';

type Who = 'anonymous' | Role;
const WHO: Who[] = ['anonymous', ...ROLES];

/** Expected status by caller, in WHO order: anonymous, call-taker, dispatcher, supervisor, callback-agent, unit, integration, operator, process-owner, admin. */
type Row = { own: number[]; other?: number[] };
const EXPECTED: Record<RouteKey, Row> = {
  //                                          anon call disp sup  cb   unit intg oper own  admin
  'GET /healthz': /*                    */ { own: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  'GET /readyz': /*                     */ { own: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  'GET /api/v1/openapi.json': /*        */ { own: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  'GET /api/v1/asyncapi.json': /*       */ { own: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  'GET /api/v1/events/:type/schema.json': { own: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  'GET /metrics': /*                    */ { own: [401, 403, 403, 403, 403, 403, 403, 200, 403, 200] },
  'GET /api/v1/me': /*                  */ { own: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  'GET /api/v1/catalog': /*             */ { own: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  'POST /api/v1/orders': /*             */ { own: [401, 201, 403, 403, 403, 403, 201, 403, 403, 403] },
  'POST /api/v1/orders/repeat-check': /**/ { own: [401, 200, 403, 403, 403, 403, 403, 403, 403, 403] },
  'GET /api/v1/orders': /*              */ { own: [401, 200, 200, 200, 200, 200, 403, 200, 403, 403] },
  'POST /api/v1/orders/search': /*      */ { own: [401, 200, 200, 200, 200, 200, 403, 200, 403, 403] },
  'POST /api/v1/orders/search.csv': /*  */ { own: [401, 200, 200, 200, 200, 200, 403, 200, 403, 403] },
  'GET /api/v1/orders/:orderNo': {
    own: /*                             */ [401, 200, 200, 200, 200, 200, 403, 200, 403, 403],
    other: /*                           */ [401, 200, 200, 200, 200, 404, 403, 200, 403, 403],
  },
  'POST /api/v1/orders/:orderNo/reply': {
    own: /*                             */ [401, 403, 403, 403, 403, 202, 403, 403, 403, 403],
    other: /*                           */ [401, 403, 403, 403, 403, 404, 403, 403, 403, 403],
  },
  'POST /api/v1/orders/:orderNo/acknowledge': {
    own: /*                             */ [401, 403, 403, 403, 403, 202, 403, 403, 403, 403],
    other: /*                           */ [401, 403, 403, 403, 403, 404, 403, 403, 403, 403],
  },
  'POST /api/v1/orders/:orderNo/return': {
    own: /*                             */ [401, 403, 403, 403, 403, 202, 403, 403, 403, 403],
    other: /*                           */ [401, 403, 403, 403, 403, 404, 403, 403, 403, 403],
  },
  'POST /api/v1/orders/:orderNo/extension': {
    own: /*                             */ [401, 403, 403, 403, 403, 202, 403, 403, 403, 403],
    other: /*                           */ [401, 403, 403, 403, 403, 404, 403, 403, 403, 403],
  },
  // The fixture orders are not urgent (422 NOT_URGENT), and not acknowledged, so no progress yet
  // (409); another unit's order does not exist (404).
  'POST /api/v1/orders/:orderNo/on-site': {
    own: /*                             */ [401, 403, 403, 403, 403, 422, 403, 403, 403, 403],
    other: /*                           */ [401, 403, 403, 403, 403, 404, 403, 403, 403, 403],
  },
  'POST /api/v1/orders/:orderNo/progress': {
    own: /*                             */ [401, 403, 403, 403, 403, 409, 403, 403, 403, 403],
    other: /*                           */ [401, 403, 403, 403, 403, 404, 403, 403, 403, 403],
  },
  // The unit key's water-group has no streets of its own (422); another unit's order does not exist (404).
  'POST /api/v1/orders/:orderNo/sub-dispatch': {
    own: /*                             */ [401, 403, 403, 403, 403, 422, 403, 403, 403, 403],
    other: /*                           */ [401, 403, 403, 403, 403, 404, 403, 403, 403, 403],
  },
  // Dispatched orders: nothing to publish yet (409), nothing published to withdraw (404).
  'POST /api/v1/orders/:orderNo/publish': {
    own: /*                             */ [401, 403, 403, 409, 403, 403, 403, 403, 403, 403],
  },
  'DELETE /api/v1/orders/:orderNo/publish': {
    own: /*                             */ [401, 403, 403, 404, 403, 403, 403, 403, 403, 403],
  },
  'GET /public/v1/orders': /*           */ { own: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  'GET /public/v1/orders/:orderNo': /*  */ { own: [404, 404, 404, 404, 404, 404, 404, 404, 404, 404] },
  'GET /public/v1/contact/confirm': /*  */ { own: [404, 404, 404, 404, 404, 404, 404, 404, 404, 404] },
  'POST /public/v1/contact/confirm': /* */ { own: [404, 404, 404, 404, 404, 404, 404, 404, 404, 404] },
  'GET /api/v1/knowledge': /*          */ { own: [401, 200, 200, 200, 200, 403, 403, 403, 200, 403] },
  'GET /api/v1/knowledge/:entryId': /* */ { own: [401, 200, 200, 200, 200, 403, 403, 403, 200, 403] },
  'POST /api/v1/knowledge': /*         */ { own: [401, 403, 403, 403, 403, 403, 403, 403, 201, 403] },
  'DELETE /api/v1/knowledge/:entryId': { own: [401, 403, 403, 403, 403, 403, 403, 403, 204, 403] },
  'GET /api/v1/tasks': /*               */ { own: [401, 403, 200, 200, 403, 200, 403, 403, 403, 403] },
  // A dispatcher's task: another role's task does not exist for a supervisor or a unit.
  'POST /api/v1/tasks/:taskId/complete': { own: [401, 403, 200, 404, 403, 404, 403, 403, 403, 403] },
  'POST /api/v1/orders/:orderNo/assign': {
    own: /*                             */ [401, 403, 202, 403, 403, 403, 403, 403, 403, 403],
    other: /*                           */ [401, 403, 202, 403, 403, 403, 403, 403, 403, 403],
  },
  'POST /api/v1/orders/:orderNo/callback': {
    own: /*                             */ [401, 403, 403, 403, 202, 403, 403, 403, 403, 403],
    other: /*                           */ [401, 403, 403, 403, 202, 403, 403, 403, 403, 403],
  },
  'GET /api/v1/statistics': /*         */ { own: [401, 403, 403, 200, 403, 403, 403, 200, 200, 403] },
  'GET /api/v1/statistics.csv': /*     */ { own: [401, 403, 403, 200, 403, 403, 403, 200, 200, 403] },
  'GET /api/v1/assessment': /*         */ { own: [401, 403, 403, 200, 403, 403, 403, 200, 200, 403] },
  'GET /api/v1/assessment.csv': /*     */ { own: [401, 403, 403, 200, 403, 403, 403, 200, 200, 403] },
  'GET /api/v1/assessment.xlsx': /*    */ { own: [401, 403, 403, 200, 403, 403, 403, 200, 200, 403] },
  // A public page and lookups: an order of another phone is not found, whoever asks.
  'GET /public/v1/progress': /*         */ { own: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  'POST /public/v1/progress': /*        */ { own: [404, 404, 404, 404, 404, 404, 404, 404, 404, 404] },
  'POST /public/v1/evaluations': /*     */ { own: [404, 404, 404, 404, 404, 404, 404, 404, 404, 404] },
  // This hub has no SMS gateway (the codes' own test: adapters/sms-gateway/contract.int.test.ts).
  'POST /public/v1/progress/code': /*    */ { own: [503, 503, 503, 503, 503, 503, 503, 503, 503, 503] },
  'GET /p/:token': /*                    */ { own: [404, 404, 404, 404, 404, 404, 404, 404, 404, 404] },
  'GET /api/v1/digests': /*            */ { own: [401, 403, 403, 200, 403, 403, 403, 200, 200, 200] },
  // No digest of that day in this file's database.
  'GET /api/v1/digests/:day': /*       */ { own: [401, 403, 403, 404, 403, 403, 403, 404, 404, 404] },
  'GET /api/v1/duty-rota': /*          */ { own: [401, 403, 403, 200, 403, 403, 403, 200, 403, 200] },
  'POST /api/v1/duty-rota': /*         */ { own: [401, 403, 403, 201, 403, 403, 403, 403, 403, 201] },
  'DELETE /api/v1/duty-rota/:shiftId': { own: [401, 403, 403, 204, 403, 403, 403, 403, 403, 204] },
  // Nothing owed after two chases here, and last month ranks nobody: a supervisor's draft is refused for want of facts.
  'POST /api/v1/circulars': /*          */ { own: [401, 403, 403, 422, 403, 403, 403, 403, 403, 403] },
  'GET /api/v1/circulars': /*           */ { own: [401, 403, 403, 200, 403, 403, 403, 200, 403, 403] },
  'GET /api/v1/circulars/:circularId': /**/ { own: [401, 403, 403, 200, 403, 403, 403, 200, 403, 403] },
  'POST /api/v1/circulars/:circularId/edit': { own: [401, 403, 403, 200, 403, 403, 403, 403, 403, 403] },
  'POST /api/v1/circulars/:circularId/approve': { own: [401, 403, 403, 200, 403, 403, 403, 403, 403, 403] },
  'POST /api/v1/circulars/:circularId/discard': { own: [401, 403, 403, 200, 403, 403, 403, 403, 403, 403] },
  'POST /api/v1/orders/:orderNo/instructions': {
    own: /*                             */ [401, 403, 403, 201, 403, 403, 403, 403, 403, 403],
    other: /*                           */ [401, 403, 403, 201, 403, 403, 403, 403, 403, 403],
  },
  'POST /api/v1/orders/:orderNo/supervision-notice': {
    own: /*                             */ [401, 403, 403, 201, 403, 403, 403, 403, 403, 403],
    other: /*                           */ [401, 403, 403, 201, 403, 403, 403, 403, 403, 403],
  },
  'GET /api/v1/audit': /*               */ { own: [401, 403, 403, 200, 403, 403, 403, 200, 403, 200] },
  'GET /api/v1/orders/:orderNo/trace': /**/ { own: [401, 403, 403, 403, 403, 403, 403, 200, 403, 200] },
  'GET /api/v1/stuck': /*               */ { own: [401, 403, 403, 403, 403, 403, 403, 200, 403, 200] },
  // The fixture order has no incident: nothing to retry, and that is said.
  'POST /api/v1/orders/:orderNo/retry': /**/ { own: [401, 403, 403, 403, 403, 403, 403, 200, 403, 200] },
  // Models: read by process owners, operators and admins; deployed and rolled back by process owners
  // (the fixtures: a dry run of dispatch.dmn as it runs, a rollback to the version that runs).
  'GET /api/v1/models': /*              */ { own: [401, 403, 403, 403, 403, 403, 403, 200, 200, 200] },
  'GET /api/v1/models/:name': /*        */ { own: [401, 403, 403, 403, 403, 403, 403, 200, 200, 200] },
  'POST /api/v1/models/:name': /*       */ { own: [401, 403, 403, 403, 403, 403, 403, 403, 200, 403] },
  'POST /api/v1/models/:name/rollback': { own: [401, 403, 403, 403, 403, 403, 403, 403, 200, 403] },
  // No such dead letter or parked row: 404 for those who may replay one.
  'POST /api/v1/dead-letters/:id/replay': { own: [401, 403, 403, 403, 403, 403, 403, 404, 403, 404] },
  'POST /api/v1/outbox/:id/replay': /*  */ { own: [401, 403, 403, 403, 403, 403, 403, 404, 403, 404] },
  'POST /api/v1/outbox/:id/republish': { own: [401, 403, 403, 403, 403, 403, 403, 404, 403, 404] },
  // 撤销 by a supervisor or an operator; each call cancels a fresh fixture order.
  'POST /api/v1/orders/:orderNo/cancel': { own: [401, 403, 403, 200, 403, 403, 403, 200, 403, 200] },
  // 合并 and 拆分 by a dispatcher or a supervisor; each call merges (or splits) a fresh fixture order.
  'POST /api/v1/orders/:orderNo/merge': { own: [401, 403, 200, 200, 403, 403, 403, 403, 403, 403] },
  // 附件: the centre adds to an open order, the unit to the answer it owes; the centre and the unit read (another unit's order is 404).
  'POST /api/v1/orders/:orderNo/attachments': { own: [401, 201, 201, 201, 403, 201, 403, 403, 403, 403], other: [401, 201, 201, 201, 403, 404, 403, 403, 403, 403] },
  'GET /api/v1/orders/:orderNo/attachments': { own: [401, 200, 200, 200, 200, 200, 403, 403, 403, 403], other: [401, 200, 200, 200, 200, 404, 403, 403, 403, 403] },
  'GET /api/v1/orders/:orderNo/attachments/:attachmentId': { own: [401, 200, 200, 200, 200, 200, 403, 403, 403, 403], other: [401, 200, 200, 200, 200, 404, 403, 403, 403, 403] },
  'POST /api/v1/orders/:orderNo/split': { own: [401, 403, 200, 200, 403, 403, 403, 403, 403, 403] },
  'GET /api/v1/keys': /*                */ { own: [401, 403, 403, 403, 403, 403, 403, 403, 403, 200] },
  'POST /api/v1/keys': /*               */ { own: [401, 403, 403, 403, 403, 403, 403, 403, 403, 201] },
  'DELETE /api/v1/keys/:keyId': /*      */ { own: [401, 403, 403, 403, 403, 403, 403, 403, 403, 204] },
  // Open311 (GeoReport v2): everything is public but taking a request, an integration's.
  'GET /open311/v2/discovery.:format': /*   */ { own: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  'GET /open311/v2/services.:format': /*    */ { own: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  'GET /open311/v2/services/:serviceCode.:format': { own: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  // GeoReport v2 answers a missing or wrong key with 403, not 401.
  'POST /open311/v2/requests.:format': /*   */ { own: [403, 403, 403, 403, 403, 403, 201, 403, 403, 403] },
  // The reads are public: anonymised, Open311's requests only.
  'GET /open311/v2/requests.:format': /*    */ { own: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  'GET /open311/v2/requests/:requestId.:format': { own: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
};

let hub: RunningHub;
let keys: TestKeys;
let base: string;

beforeAll(async () => {
  keys = await makeKeys();
  hub = await startHub(loadConfig({ ...process.env, PORT: String(await freePort()), HUB_ROLES: 'gateway', DEMO_KEYS: 'false', AUTH_FAILURES_PER_MINUTE: '1000' }), createLogger('warn'));
  base = hub.url!;
}, 120_000);
afterAll(async () => {
  await hub?.close();
});

const orderBody = (over: Record<string, unknown> = {}) => ({
  channel: 'phone', type: 'complaint', category: 'water-outage', title: '权限测试', description: '权限测试的诉求原文，含详细地址', district: 'hexi',
  address: '河西区权限路8号3单元', citizen: { name: '权限测试人', phone: '13911112222', confidential: true }, unitSummary: '河西区某小区停水，请核实', ...over,
});

/**
 * An order put straight into the database in the given status, as the process would have left
 * it, dispatched to `unit`: no process instance, nothing in the outbox.
 */
async function fixtureOrder(unit: string, status: 'dispatched' | 'awaiting_callback' | 'awaiting_assignment' | 'returned', over: Record<string, unknown> = {}): Promise<string> {
  const { order } = await hub.store.register({ ...orderBody(), urgent: false, ...over } as NewOrder, undefined, 'test', () => []);
  const orderNo = order.orderNo!;
  const steps: Transition[] = {
    dispatched: ['classify', 'dispatch'],
    awaiting_callback: ['classify', 'dispatch', 'reply', 'requestCallback'],
    awaiting_assignment: ['awaitAssignment'],
    returned: ['classify', 'dispatch', 'return'],
  }[status] as Transition[];
  const dueAt = new Date(Date.now() + 3 * 86400_000);
  // The step each transition writes where its history code differs from its name (workers/request-callback.ts, classify-order.ts).
  const STEP_OF: Partial<Record<Transition, StepCode>> = { requestCallback: 'callback-requested', awaitAssignment: 'classify' };
  for (const t of steps) {
    await hub.store.applyStep(orderNo, { step: STEP_OF[t] ?? (t as StepCode), actor: 'test', note: t, dedupKey: `test:${orderNo}:${t}` }, { unitCode: unit, dueAt }, [], { transition: t });
  }
  return orderNo;
}

/** A dispatcher's task (改派) on a returned order, as the return would have opened it. */
async function fixtureTask(): Promise<string> {
  const orderNo = await fixtureOrder('gas-group', 'returned');
  await hub.store.withOrder(orderNo, (_o, tx) => tx.openTask({ orderNo, kind: 'redispatch', role: 'dispatcher', detail: { returnedBy: 'gas-group', reason: '权限测试' }, dedupKey: `test:task:${orderNo}` }));
  return (await hub.store.tasks({ orderNo, limit: 1 }))[0]!.id;
}

/** The weeks the shifts this file adds take, one each. */
let shiftWeeks = 0;

async function call(route: RouteKey, who: Who, target: 'own' | 'other'): Promise<Response> {
  const [method, path] = route.split(' ') as [string, string];
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(who === 'anonymous' ? {} : bearer(keys.role[who])) };
  let url = path;
  let body: unknown;
  if (path.includes(':orderNo')) {
    // The unit key is water-group's: "own" is an order dispatched there, "other" one at gas-group.
    const status = route.endsWith('/callback') ? 'awaiting_callback' : route.endsWith('/assign') ? 'awaiting_assignment' : 'dispatched';
    const orderNo = await fixtureOrder(target === 'own' ? 'water-group' : 'gas-group', status);
    url = path.replace(':orderNo', orderNo);
    if (route.endsWith('/merge')) body = { into: await fixtureOrder('water-group', 'dispatched'), reason: '权限测试：同一事项' };
    if (route === 'POST /api/v1/orders/:orderNo/attachments') {
      headers['content-type'] = 'image/png';
      body = PNG;
    }
    if (path.includes(':attachmentId')) {
      // The water group's own file (the fixture request is confidential: no unit sees its intake files).
      const made = await new AttachmentStore(hub.store.ds).add({ orderNo, kind: 'reply', name: '维修照片.png', contentType: 'image/png', data: Buffer.from(PNG), unitCode: 'water-group', addedBy: 'unit:water-group' }, 20);
      url = url.replace(':attachmentId', made!.id);
    }
    if (route.endsWith('/split')) {
      await hub.store.applyStep(orderNo, { step: 'merged', actor: 'test', note: 'merged', dedupKey: `test:${orderNo}:merged` }, { mergedInto: await fixtureOrder('water-group', 'dispatched') }, [], { transition: 'merge' });
      body = { reason: '权限测试：非同一事项' };
    }
  }
  if (path.includes(':taskId')) url = path.replace(':taskId', await fixtureTask());
  if (path.includes(':circularId')) {
    const made = await new CircularStore(hub.store.ds).draft({ title: '权限测试通报', body: '权限测试：通报正文', periodLabel: '2026年11月', units: ['gas-group'], orders: [], by: 'test', at: new Date() });
    url = path.replace(':circularId', made.id);
  }
  // Each shift of its own week, far ahead, so that none overlaps another call's.
  const week = () => Date.UTC(2040, 0, 1) + ++shiftWeeks * 7 * 86400_000;
  if (route === 'POST /api/v1/duty-rota') {
    const start = week();
    body = { startsAt: new Date(start).toISOString(), endsAt: new Date(start + 12 * 3600_000).toISOString(), leaderName: '权限测试', leaderEmail: 'leader@example.invalid' };
  }
  if (path.includes(':shiftId')) {
    const start = week();
    const made = await new SqlDutyRota(hub.store.ds).add({ startsAt: new Date(start), endsAt: new Date(start + 3600_000), leaderName: '权限测试', leaderEmail: 'leader@example.invalid', leaderPhone: null }, 'test', new Date());
    url = path.replace(':shiftId', made.id);
  }
  if (route.endsWith('/edit')) body = { title: '权限测试通报（修改）', body: '权限测试：修改后的通报正文，至少二十个字。' };
  if (path.includes(':day')) url = path.replace(':day', '2031-01-01');
  if (route === 'POST /public/v1/progress') body = { orderNo: 'GD20260101999999', phone: '13900000000' };
  if (route === 'POST /public/v1/progress/code') body = { phone: '13900000000' };
  if (path.includes(':token')) url = path.replace(':token', 'Zz9Zz9Zz');
  if (route === 'POST /public/v1/evaluations') body = { orderNo: 'GD20260101999999', phone: '13900000000', rating: 5 };
  if (route.endsWith('/instructions')) body = { leader: '王副市长', text: '请尽快解决', reportBy: new Date(Date.now() + 2 * 86400_000).toISOString() };
  if (route.endsWith('/supervision-notice')) body = { replyBy: new Date(Date.now() + 2 * 86400_000).toISOString(), opinion: '请尽快办理' };
  if (path.includes(':entryId')) {
    const made = (await (await fetch(`${base}/api/v1/knowledge`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(keys.role['process-owner']) }, body: JSON.stringify({ title: '权限测试条目', body: '权限测试' }) })).json()) as { id: string };
    url = path.replace(':entryId', made.id);
  }
  if (route === 'GET /api/v1/knowledge') url = `${path}?q=${encodeURIComponent('停水')}`;
  if (route === 'POST /api/v1/knowledge') body = { title: '居住证办理', body: '携带身份证到派出所办理' };
  if (path.includes(':keyId')) {
    const made = await (await fetch(`${base}/api/v1/keys`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(keys.role.admin) }, body: JSON.stringify({ name: 'to revoke', role: 'operator', expires: '1h' }) })).json() as { key: { id: string } };
    url = path.replace(':keyId', made.key.id);
  }
  if (route === 'POST /api/v1/orders') body = orderBody();
  if (route.startsWith('POST /api/v1/orders/search')) body = { status: 'dispatched', address: '权限测试' };
  if (route === 'POST /api/v1/orders/repeat-check') body = { phone: '13911112222', category: 'water-outage', district: 'hexi', address: '河西区权限测试路1号' };
  const open311Request = { service_code: 'pothole', lat: '39.1200', long: '117.2000', description: '权限测试：路面坑洼', phone: '13911113333' };
  if (route === 'POST /open311/v2/requests.:format') body = open311Request;
  if (path.includes(':serviceCode')) url = url.replace(':serviceCode', 'pothole');
  if (path.includes(':requestId')) {
    const made = (await (await fetch(`${base}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(keys.role.integration) }, body: JSON.stringify(open311Request) })).json()) as Array<{ service_request_id: string }>;
    url = url.replace(':requestId', made[0]!.service_request_id);
  }
  if (route.endsWith('/reply')) body = { result: '已处理', handledBy: '值班员' };
  if (route.endsWith('/callback')) body = { satisfaction: 'satisfied' };
  if (route.endsWith('/publish') && method === 'POST') body = { summary: '市民反映小区停水，已恢复供水' };
  if (route.endsWith('/return')) body = { reason: '不属于本单位职责' };
  if (route.endsWith('/sub-dispatch')) body = { unit: 'hexi-youyi' };
  if (route === 'POST /api/v1/orders/:orderNo/progress') body = { note: '正在抢修' };
  if (route.endsWith('/extension')) body = { dueAt: new Date(Date.now() + 10 * 86400_000).toISOString(), reason: '需协调施工' };
  if (route.endsWith('/complete')) body = { kind: 'redispatch', action: 'rules', reason: '权限测试' };
  if (route.endsWith('/assign')) body = { unit: 'city-management', mode: 'written-dispatch', reason: '权限测试' };
  if (route === 'POST /api/v1/dead-letters/:id/replay') url = path.replace(':id', '999999999999');
  if (route === 'POST /api/v1/outbox/:id/replay' || route === 'POST /api/v1/outbox/:id/republish') url = path.replace(':id', randomUUID());
  if (route.endsWith('/cancel')) body = { reason: '权限测试：重复受理' };
  if (path.includes(':name')) url = path.replace(':name', 'dispatch.dmn');
  if (route === 'POST /api/v1/models/:name') body = { xml: fs.readFileSync(nodePath.join(projectRoot, 'bpmn/dispatch.dmn'), 'utf8'), dryRun: true };
  if (route === 'POST /api/v1/models/:name/rollback') {
    const now = (await (await fetch(`${base}/api/v1/models/dispatch.dmn`, { headers: bearer(keys.role.admin) })).json()) as { version: { id: string } };
    body = { to: now.version.id };
  }
  if (route === 'POST /api/v1/keys') body = { name: `made by a test ${randomUUID().slice(0, 8)}`, role: 'operator', expires: '1h' };
  url = url.replace(':format', 'json').replace(':type', 'order.dispatched');
  return fetch(`${base}${url}`, { method, headers, body: body === undefined ? undefined : body instanceof Uint8Array ? body : JSON.stringify(body) });
}

describe('who may call what', () => {
  it('has a row in this table for exactly the routes the gateway serves', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(ACCESS).sort());
  });

  it('answers every endpoint × role × own or other unit\'s order as the table says', async () => {
    const wrong: string[] = [];
    const undocumented: string[] = [];
    const components = (openApiDocument() as { components: unknown }).components;
    const ajv = validator();
    const compiled = new Map<RouteKey, ReturnType<typeof ajv.compile>>();
    const documented = (route: RouteKey) => compiled.get(route) ?? compiled.set(route, ajv.compile({ ...responseSchemaOf(route), components })).get(route)!;
    for (const [route, row] of Object.entries(EXPECTED) as Array<[RouteKey, Row]>) {
      for (const target of ['own', 'other'] as const) {
        const statuses = target === 'own' ? row.own : row.other;
        if (!statuses) continue;
        for (const [i, who] of WHO.entries()) {
          const res = await call(route, who, target);
          if (res.status !== statuses[i]) wrong.push(`${route} as ${who} on ${target} order: expected ${statuses[i]}, got ${res.status} ${(await res.text()).slice(0, 160)}`);
          // Each answer holds what the OpenAPI document says it does, whichever role's view it is.
          else if (res.status >= 200 && res.status < 300 && responseSchemaOf(route)) {
            const body = (await res.json()) as unknown;
            for (const p of problems(documented(route), body)) undocumented.push(`${route} as ${who}: ${p}`);
          }
        }
      }
    }
    expect(wrong, 'calls answered otherwise than the table says').toEqual([]);
    expect(undocumented, 'answers the OpenAPI document does not describe').toEqual([]);
  }, 180_000);

  it('documents each protected operation\'s roles and the bearer scheme in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${base}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, { security: unknown[]; 'x-roles'?: string[] }>>; components: { securitySchemes: Record<string, { scheme: string }> } };
    expect(doc.components.securitySchemes.apiKey!.scheme).toBe('bearer');
    expect(doc.paths['/api/v1/orders/{orderNo}/reply']!.post!['x-roles']).toEqual(['unit']);
    expect(doc.paths['/api/v1/orders/{orderNo}/callback']!.post!['x-roles']).toEqual(['callback-agent']);
    expect(doc.paths['/healthz']!.get!.security).toEqual([]);
    expect(openApiDocument()).toEqual(doc);
    // Its page, served by the hub itself (Swagger UI): no script from elsewhere.
    const page = await fetch(`${base}/api/v1/docs/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<script src="swagger-ui-bundle.js"></script>');
    expect(html).not.toMatch(/src="https?:/);
    for (const asset of ['swagger-ui-bundle.js', 'init.js', 'swagger-ui.css']) expect((await fetch(`${base}/api/v1/docs/${asset}`)).status, asset).toBe(200);
  });
});

describe('what each reader sees of an order', () => {
  it('searches by what the reader may see: a unit its own orders, the caller\'s phone the centre only (audited); the export says the same in a spreadsheet\'s terms', async () => {
    const street = `查询路${randomUUID().slice(0, 8)}`;
    const mine = await fixtureOrder('water-group', 'dispatched', { address: `河西区${street}1号`, title: '=HYPERLINK("http://x")停水', citizen: { name: '查询人', phone: '13911115555', confidential: false } });
    const other = await fixtureOrder('gas-group', 'dispatched', { address: `河西区${street}2号`, category: 'gas-fault' });
    const search = async (key: string, body: Record<string, unknown>, csv = false) =>
      fetch(`${base}/api/v1/orders/search${csv ? '.csv' : ''}`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(key) }, body: JSON.stringify(body) });
    const found = async (key: string, body: Record<string, unknown>) => {
      const res = await search(key, body);
      expect(res.status).toBe(200);
      return ((await res.json()) as { orders: Array<{ orderNo: string }> }).orders.map((o) => o.orderNo);
    };
    expect(await found(keys.role.supervisor, { address: street })).toEqual([other, mine]);
    expect(await found(keys.role.unit, { address: street }), 'a unit: its own').toEqual([mine]);
    expect(await found(keys.role.supervisor, { address: street, category: 'public-utilities' }), 'a group: its categories').toEqual([other, mine]);
    expect(await found(keys.role.supervisor, { address: street, unit: 'gas-group' })).toEqual([other]);
    expect(await found(keys.role['call-taker'], { phone: '13911115555', address: street })).toEqual([mine]);
    for (const who of [keys.role.unit, keys.role.operator]) {
      const refused = await search(who, { phone: '13911115555' });
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: { text: string } }).error.text).toBe('您的角色无权进行此操作');
    }
    expect((await search(keys.role.supervisor, { category: 'ufo-sighting' })).status).toBe(422);
    expect((await search(keys.role.supervisor, { from: '2026-12-02T00:00:00+08:00', to: '2026-12-01T00:00:00+08:00' })).status).toBe(400);
    const [asked] = (await hub.store.ds.query("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'POST /api/v1/orders/search' AND role = 'call-taker'")) as Array<{ n: string }>;
    expect(Number(asked!.n), 'who searched by a phone is on record').toBeGreaterThanOrEqual(1);

    const csv = await search(keys.role.supervisor, { address: street }, true);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="?orders-\d{4}-\d{2}-\d{2}\.csv"?$/);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)], 'a byte-order mark, for spreadsheets').toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).split('\r\n');
    expect(lines[0]).toBe('工单号,受理时间,受理渠道,诉求类型,诉求分类,所在区,标题,状态,承办单位,下派街道,办理时限,办结时间,满意度');
    expect(lines.slice(1, -1).map((l) => l.slice(0, 16))).toEqual([other, mine]);
    expect(lines[2], 'a caller\'s formula stays text').toContain(`,"'=HYPERLINK(""http://x"")停水",已派单,市水务集团,`);
    expect(lines[2]).toMatch(/^GD\d{14},\d{4}-\d{2}-\d{2} \d{2}:\d{2},电话,投诉,/);
    const unitCsv = await (await search(keys.role.unit, { address: street }, true)).text();
    expect(unitCsv.split('\r\n').slice(1, -1).map((l) => l.slice(0, 16))).toEqual([mine]);
  });

  it('shows a unit its own order with the confidential citizen, raw description and exact address withheld, and only its own steps', async () => {
    const orderNo = await fixtureOrder('water-group', 'awaiting_callback');
    const unit = (await (await fetch(`${base}/api/v1/orders/${orderNo}`, { headers: bearer(keys.role.unit) })).json()) as Record<string, unknown> & { history: Array<{ step: string; actor: string }> };
    const text = JSON.stringify(unit);
    expect(text).not.toMatch(/权限测试人|13911112222|权限路8号|诉求原文/);
    expect(unit.description).toBe('河西区某小区停水，请核实');
    expect(unit.address).toContain('河西区');
    expect(unit.history.map((h) => h.step)).toEqual(['dispatch', 'reply']);
    expect(unit).not.toHaveProperty('complainedUnit');
    const centre = (await (await fetch(`${base}/api/v1/orders/${orderNo}`, { headers: bearer(keys.role['callback-agent']) })).json()) as { citizen: { phone: string }; history: unknown[] };
    expect(centre.citizen.phone, 'the callback agent calls the citizen back').toBe('13911112222');
    expect(centre.history).toHaveLength(5);
    const operator = JSON.stringify(await (await fetch(`${base}/api/v1/orders/${orderNo}`, { headers: bearer(keys.role.operator) })).json());
    expect(operator, 'an operator traces the order without the citizen').not.toMatch(/权限测试人|13911112222|权限路8号|诉求原文/);
  });

  it('lists to a unit only the orders dispatched to it, and never one that complains about it', async () => {
    const own = await fixtureOrder('water-group', 'dispatched');
    const other = await fixtureOrder('gas-group', 'dispatched');
    const about = await fixtureOrder('water-group', 'dispatched', { complainedUnit: 'water-group' });
    const listed = (await (await fetch(`${base}/api/v1/orders?limit=200`, { headers: bearer(keys.role.unit) })).json()) as { orders: Array<{ orderNo: string; unit: { code: string } }> };
    const nos = listed.orders.map((o) => o.orderNo);
    expect(nos).toContain(own);
    expect(nos).not.toContain(other);
    expect(nos, 'an order about the unit itself (回避)').not.toContain(about);
    expect(listed.orders.every((o) => o.unit.code === 'water-group')).toBe(true);
    expect((await fetch(`${base}/api/v1/orders/${about}`, { headers: bearer(keys.role.unit) })).status).toBe(404);
  });
});

describe('credentials', () => {
  it('refuses a revoked key, an expired key and a forged one with 401', async () => {
    const made = (await (await fetch(`${base}/api/v1/keys`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(keys.role.admin) }, body: JSON.stringify({ name: 'short-lived', role: 'supervisor', expires: '1h' }) })).json()) as { key: { id: string }; token: string };
    expect((await fetch(`${base}/api/v1/me`, { headers: bearer(made.token) })).status).toBe(200);
    expect((await fetch(`${base}/api/v1/keys/${made.key.id}`, { method: 'DELETE', headers: bearer(keys.role.admin) })).status).toBe(204);
    await expect.poll(async () => (await fetch(`${base}/api/v1/me`, { headers: bearer(made.token) })).status, { timeout: 10_000 }).toBe(401);
    const forged = made.token.slice(0, -4) + 'AAAA';
    expect((await fetch(`${base}/api/v1/me`, { headers: bearer(forged) })).status).toBe(401);
    await hub.store.ds.query('UPDATE api_key SET expires_at = ? WHERE id = ?', [new Date(Date.now() - 1000), keys.ids.dispatcher]);
    await expect.poll(async () => (await fetch(`${base}/api/v1/me`, { headers: bearer(keys.role.dispatcher) })).status, { timeout: 10_000 }).toBe(401);
    const res = await fetch(`${base}/api/v1/me`, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('sends security headers and a request id, and no CORS header unless origins are configured', async () => {
    const res = await fetch(`${base}/api/v1/catalog`, { headers: { ...bearer(keys.role.supervisor), origin: 'https://evil.example', 'x-request-id': 'trace-123' } });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-request-id')).toBe('trace-123');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});

describe('audit trail', () => {
  it('records every write, every read of a citizen\'s identity and every refusal with who, what, which order, outcome and from where, and cannot be rewritten', async () => {
    const orderNo = await fixtureOrder('water-group', 'dispatched');
    const requestId = `audit-${randomUUID()}`;
    expect((await fetch(`${base}/api/v1/orders/${orderNo}/reply`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...bearer(keys.role.unit) }, body: JSON.stringify({ result: '已处理', handledBy: '值班员' }) })).status).toBe(202);
    expect((await fetch(`${base}/api/v1/orders/${orderNo}/callback`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(keys.unit['water-group']!) }, body: JSON.stringify({ satisfaction: 'satisfied' }) })).status, 'a unit rating its own order').toBe(403);
    type Entry = { actor: string; actorKey: string; role: string; action: string; target: string; outcome: string; source: string; requestId: string };
    const read = async (): Promise<Entry[]> => ((await (await fetch(`${base}/api/v1/audit?target=${orderNo}`, { headers: bearer(keys.role.supervisor) })).json()) as { entries: Entry[] }).entries;
    await expect.poll(async () => (await read()).length, { timeout: 5000 }).toBe(2);
    const [refused, replied] = await read();
    expect(replied).toMatchObject({ actorKey: keys.ids.unit, role: 'unit', action: 'POST /api/v1/orders/:orderNo/reply', target: orderNo, outcome: '202', requestId });
    expect(replied!.source).toMatch(/127\.0\.0\.1/);
    expect(refused).toMatchObject({ actorKey: keys.ids['unit:water-group'], action: 'POST /api/v1/orders/:orderNo/callback', outcome: '403' });
    // Reading the citizen's identity is kept too; a unit's masked view of a confidential order is not.
    expect((await fetch(`${base}/api/v1/orders/${orderNo}`, { headers: bearer(keys.role['callback-agent']) })).status).toBe(200);
    expect((await fetch(`${base}/api/v1/orders/${orderNo}`, { headers: bearer(keys.role.unit) })).status).toBe(200);
    await expect.poll(async () => (await read()).length, { timeout: 5000 }).toBe(3);
    expect((await read())[0]).toMatchObject({ actorKey: keys.ids['callback-agent'], action: 'GET /api/v1/orders/:orderNo', target: orderNo, outcome: '200' });
    // A unit reading an order whose citizen did not ask for confidentiality reads their name and phone: kept.
    const open = await fixtureOrder('water-group', 'dispatched', { citizen: { name: '公开诉求人', phone: '13911113333', confidential: false } });
    expect((await fetch(`${base}/api/v1/orders/${open}`, { headers: bearer(keys.role.unit) })).status).toBe(200);
    await expect.poll(async () => ((await (await fetch(`${base}/api/v1/audit?target=${open}`, { headers: bearer(keys.role.supervisor) })).json()) as { entries: Entry[] }).entries, { timeout: 5000 }).toEqual([expect.objectContaining({ actorKey: keys.ids.unit, role: 'unit', action: 'GET /api/v1/orders/:orderNo', outcome: '200' })]);
    await expect(hub.store.ds.query("UPDATE audit_log SET outcome = '200' WHERE target = ?", [orderNo])).rejects.toThrow(/append-only/);
    await expect(hub.store.ds.query('DELETE FROM audit_log WHERE target = ?', [orderNo])).rejects.toThrow(/append-only/);
  });
});

describe('rate limit', () => {
  it('never takes many good keys in flight at once from one address for guessing', async () => {
    const busy = await startHub(loadConfig({ ...process.env, PORT: String(await freePort()), HUB_ROLES: 'gateway', DEMO_KEYS: 'false', RATE_LIMIT_PER_MINUTE: '100000', AUTH_FAILURES_PER_MINUTE: '3' }), createLogger('fatal'));
    try {
      // Each read looks the order up and audits it, so that they overlap.
      const together = await Promise.all(Array.from({ length: 200 }, (_, i) => fetch(`${busy.url}/api/v1/orders/GD20990101${String(i).padStart(6, '0')}`, { headers: bearer(keys.role.supervisor) })));
      const codes = await Promise.all(together.map(async (r) => `${r.status} ${((await r.json()) as { error: { code: string } }).error.code}`));
      expect(new Set(codes)).toEqual(new Set(['404 ORDER_NOT_FOUND']));
    } finally {
      await busy.close();
    }
  });

  it('answers 429 with Retry-After once a key passes its limit while other keys go on, and stops an address that guesses keys', async () => {
    const limited = await startHub(loadConfig({ ...process.env, PORT: String(await freePort()), HUB_ROLES: 'gateway', DEMO_KEYS: 'false', RATE_LIMIT_PER_MINUTE: '5', AUTH_FAILURES_PER_MINUTE: '3' }), createLogger('fatal'));
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await fetch(`${limited.url}/api/v1/me`, { headers: bearer(keys.role.operator) })).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      const res = await fetch(`${limited.url}/api/v1/me`, { headers: bearer(keys.role.operator) });
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
      expect((await fetch(`${limited.url}/api/v1/me`, { headers: bearer(keys.role.supervisor) })).status).toBe(200);
      // Guessing keys: after AUTH_FAILURES_PER_MINUTE bad ones the address is refused before any look-up.
      const guesses: number[] = [];
      for (let i = 0; i < 4; i++) guesses.push((await fetch(`${limited.url}/api/v1/me`, { headers: bearer(`hub_${'0'.repeat(16)}_${'A'.repeat(43)}`) })).status);
      expect(guesses).toEqual([401, 401, 401, 429]);
      const blocked = await fetch(`${limited.url}/api/v1/me`, { headers: bearer(keys.role.admin) });
      expect(blocked.status).toBe(429);
      expect(((await blocked.json()) as { error: { code: string } }).error.code).toBe('TOO_MANY_BAD_KEYS');
    } finally {
      await limited.close();
    }
  });
});
