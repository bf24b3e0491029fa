/**
 * 回避 on the real stack (gateway, workers, relay; Zeebe, Kafka, MySQL): an order that names the
 * unit it complains about never goes to that unit and never shows to it. Where the catalog names
 * the unit's supervisor, the supervisor gets it; where it names none, a dispatcher must choose,
 * and may not choose the unit complained about.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type RunningHub } from '../../hub/compose.js';
import { loadConfig } from '../../infra/config.js';
import { createLogger } from '../../infra/log.js';
import { unitTopics } from '../../domain/events.js';
import { freePort, readDispatched, type DispatchedReader } from '../support/harness.js';
import { bearer, makeKeys, type TestKeys } from '../support/keys.js';
import { approveReview } from '../support/tasks.js';

let hub: RunningHub;
let keys: TestKeys;
let base: string;
let kafka: DispatchedReader;

beforeAll(async () => {
  keys = await makeKeys();
  kafka = await readDispatched();
}, 120_000);
afterAll(async () => {
  await kafka?.close();
});

const post = (p: string, body: unknown, token: string) => fetch(`${base}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(token) }, body: JSON.stringify(body) });
type Order = { status: string; unit: { code: string } | null; history: Array<{ step: string; note: string }> };
const read = async (orderNo: string, token = keys.role.supervisor): Promise<Order> => (await (await fetch(`${base}/orders/${orderNo}`, { headers: bearer(token) })).json()) as Order;
const listed = async (token: string): Promise<string[]> => ((await (await fetch(`${base}/orders?limit=200`, { headers: bearer(token) })).json()) as { orders: Array<{ orderNo: string }> }).orders.map((o) => o.orderNo);

async function complain(over: Record<string, unknown>): Promise<string> {
  const res = await post('/orders', {
    channel: 'phone', type: 'complaint', title: '投诉承办单位', description: '投诉某单位处置不力', address: '河西区回避路1号',
    citizen: { name: '回避测试人', phone: '13711112222', confidential: false }, ...over,
  }, keys.role['call-taker']);
  expect(res.status).toBe(201);
  return ((await res.json()) as { orderNo: string }).orderNo;
}

// On both engines: the manual-dispatch wait is a message like the others.
describe.each(['zeebe', 'camunda7'] as const)('回避 on %s: an order never reaches the unit it complains about', (engine) => {
  beforeAll(async () => {
    hub = await startHub(loadConfig({ ...process.env, HUB_ENGINE: engine, PORT: String(await freePort()), OUTBOX_POLL_MS: '100', DEMO_KEYS: 'false' }), createLogger('warn'));
    base = `${hub.url}/api/v1`;
  }, 120_000);
  afterAll(async () => {
    await hub?.close();
  });

  it('goes to the supervising unit when the rules pick the unit complained about, and that unit never sees it', async () => {
    const orderNo = await complain({ category: 'water-outage', district: 'hexi', complainedUnit: 'water-group' });
    await expect.poll(async () => (await read(orderNo)).status, { timeout: 20_000 }).toBe('dispatched');
    const order = await read(orderNo);
    expect(order.unit?.code, 'the rules pick water-group for a water outage; its supervisor takes it').toBe('water-bureau');
    expect(order.history.find((h) => h.step === 'classify')?.note).toMatch(/回避/);
    await expect.poll(() => kafka.topicsOf.get(orderNo), { timeout: 10_000 }).toEqual([unitTopics('water-bureau').dispatched]);
    expect((await fetch(`${base}/orders/${orderNo}`, { headers: bearer(keys.unit['water-group']!) })).status).toBe(404);
    expect(await listed(keys.unit['water-group']!)).not.toContain(orderNo);
    expect((await post(`/orders/${orderNo}/reply`, { result: '自己答复自己', handledBy: '被投诉人' }, keys.unit['water-group']!)).status).toBe(404);
    expect(await listed(keys.unit['water-bureau']!)).toContain(orderNo);
    expect((await post(`/orders/${orderNo}/reply`, { result: '已督促整改', handledBy: '水务局' }, keys.unit['water-bureau']!)).status).toBe(202);
    await approveReview(base, keys.role.supervisor, orderNo);
    await expect.poll(async () => (await read(orderNo)).status, { timeout: 20_000 }).toBe('awaiting_callback');
  });

  it('waits for a dispatcher when the unit has no supervisor, refuses the unit complained about, and runs on with the unit chosen', async () => {
    const orderNo = await complain({ category: 'noise', district: 'hexi', complainedUnit: 'hexi-gov' });
    await expect.poll(async () => (await read(orderNo)).status, { timeout: 20_000 }).toBe('awaiting_assignment');
    expect((await read(orderNo)).unit).toBeNull();
    const assign = (unit: string, token = keys.role.dispatcher) => post(`/orders/${orderNo}/assign`, { unit, mode: 'written-dispatch', reason: '投诉区政府，改由市城管委办理' }, token);
    const refused = await assign('hexi-gov');
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('CONFLICT_OF_INTEREST');
    expect((await assign('city-management', keys.role['call-taker'])).status, 'only a dispatcher dispatches by hand').toBe(403);
    expect((await assign('city-management')).status).toBe(202);
    expect((await assign('transport-bureau')).status, 'a second choice once the first was taken').toBe(409);
    await expect.poll(async () => (await read(orderNo)).status, { timeout: 20_000 }).toBe('dispatched');
    expect((await read(orderNo)).unit?.code).toBe('city-management');
    await expect.poll(() => kafka.topicsOf.get(orderNo), { timeout: 10_000 }).toEqual([unitTopics('city-management').dispatched]);
    expect(await listed(keys.unit['hexi-gov']!)).not.toContain(orderNo);
    expect((await post(`/orders/${orderNo}/reply`, { result: '已约谈施工单位', handledBy: '城管委' }, keys.unit['city-management']!)).status).toBe(202);
    await approveReview(base, keys.role.supervisor, orderNo);
    await expect.poll(async () => (await read(orderNo)).status, { timeout: 20_000 }).toBe('awaiting_callback');
    expect((await post(`/orders/${orderNo}/callback`, { satisfaction: 'satisfied' }, keys.role['callback-agent'])).status).toBe(202);
    await expect.poll(async () => (await read(orderNo)).status, { timeout: 20_000 }).toBe('closed');
    expect((await read(orderNo)).history.map((h) => h.step)).toEqual(['accept', 'classify', 'assign', 'dispatch', 'reply', 'review-requested', 'review', 'callback-requested', 'callback', 'close']);
  });
});
