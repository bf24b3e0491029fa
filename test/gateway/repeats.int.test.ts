/**
 * 重复件 on the real stack, by the shipped rule (config/repeats.json): the same caller about the
 * same matter near the same place within the window is linked to the open order (no second
 * process, no second dispatch) and counted; so is another caller at the same place, or within the
 * radius on the map, within the shorter window; another matter or place, or a call after the
 * window, is an order of its own. At the third repeat the unit is supervised (层级上报).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type RunningHub } from '../../hub/compose.js';
import { loadConfig } from '../../infra/config.js';
import { createLogger } from '../../infra/log.js';
import { HOUR } from '../support/clock.js';
import { freePort } from '../support/harness.js';
import { bearer, makeKeys, type TestKeys } from '../support/keys.js';

let keys: TestKeys;
let hub: RunningHub;
let base: string;
let offset = 0;
let from: Date;
const phone = `13${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;

beforeAll(async () => {
  keys = await makeKeys();
  const config = loadConfig({ ...process.env, PORT: String(await freePort()), OUTBOX_POLL_MS: '100', DEMO_KEYS: 'false', REPEATS_FILE: 'config/repeats.json' });
  hub = await startHub(config, createLogger('warn'), { now: () => new Date(Date.now() + offset) });
  base = `${hub.url}/api/v1`;
}, 120_000);
afterAll(async () => {
  await hub?.close();
});

const call = async (over: Record<string, unknown> = {}, citizenPhone = phone) => {
  const res = await fetch(`${base}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(keys.role['call-taker']) },
    body: JSON.stringify({ channel: 'phone', type: 'help', category: 'water-outage', title: '又停水了', description: '小区停水', district: 'hexi', address: '河西区友谊路1号', citizen: { name: '重复', phone: citizenPhone, confidential: false }, ...over }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { orderNo: string; status: string; mergedInto?: string };
};
const order = async (orderNo: string) => (await (await fetch(`${base}/orders/${orderNo}`, { headers: bearer(keys.role.supervisor) })).json()) as { status: string; repeatCount: number; mergedInto: string | null; history: Array<{ step: string; note: string }> };

describe('repeat calls (重复件)', () => {
  it('links a repeat to the open order and counts it; another caller, matter, place or a call after the window is an order of its own', async () => {
    from = new Date(Date.now() - 1000);
    const first = await call();
    await expect.poll(async () => (await order(first.orderNo)).status, { timeout: 20_000 }).toBe('dispatched');

    // Before saving, the intake form asks which open order the call would join: that one, and none for another place.
    const check = async (over: Record<string, unknown> = {}) => {
      const res = await fetch(`${base}/orders/repeat-check`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(keys.role['call-taker']) }, body: JSON.stringify({ phone, category: 'water-outage', district: 'hexi', address: '河西区 友谊路１号（3单元）', ...over }) });
      expect(res.status).toBe(200);
      return ((await res.json()) as { repeatOf: { orderNo: string; status: string; address: string } | null }).repeatOf;
    };
    expect(await check()).toMatchObject({ orderNo: first.orderNo, status: 'dispatched', address: '河西区友谊路1号' });
    expect(await check({ address: '河西区解放南路300号' })).toBeNull();
    expect(await check({ category: 'gas-fault' })).toBeNull();
    // Who learnt that this phone has an open order is kept, as for a read of the order.
    await expect.poll(async () => (await hub.store.ds.query("SELECT target, outcome FROM audit_log WHERE action = 'POST /api/v1/orders/repeat-check' ORDER BY id", [])) as unknown[], { timeout: 5000 }).toEqual([
      { target: first.orderNo, outcome: '200' },
      { target: null, outcome: '200' },
      { target: null, outcome: '200' },
    ]);
    // Another caller at the same place: the form says so, for the types the rule merges.
    expect(await check({ phone: '13700137999', type: 'help' })).toMatchObject({ orderNo: first.orderNo, by: 'other-caller' });
    expect(await check({ phone: '13700137999', type: 'consultation' })).toBeNull();

    const repeat = await call({ address: '河西区 友谊路１号（3单元）', description: '还是停水' });
    expect(repeat).toMatchObject({ status: 'merged', mergedInto: first.orderNo });
    const firstNow = await order(first.orderNo);
    expect(firstNow.repeatCount).toBe(1);
    expect(firstNow.history.at(-1)!.note).toBe(`诉求人重复来电（${repeat.orderNo}），已并入本工单`);
    await new Promise((r) => setTimeout(r, 2000));
    const merged = await order(repeat.orderNo);
    expect(merged.status, 'no process ran for the repeat').toBe('merged');
    expect(merged.history.map((h) => h.step)).toEqual(['accept', 'merged']);

    expect((await call({ category: 'gas-fault' })).status, 'another matter').toBe('accepted');
    const otherPhone = () => `13${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
    const neighbour = await call({ description: '我家也停水' }, otherPhone());
    expect(neighbour, 'another caller at the same place').toMatchObject({ status: 'merged', mergedInto: first.orderNo });
    expect((await order(first.orderNo)).history.at(-1)!.note).toBe(`其他市民反映同一事项（${neighbour.orderNo}），已并入本工单`);
    expect((await call({ address: '河西区友谊路9号' }, otherPhone())).status, 'another caller at a less alike address').toBe('accepted');
    expect((await call({ address: '河西区解放南路300号' })).status, 'another place').toBe('accepted');
    // The third repeat: the water group has it, and is supervised for it; the duty leader is told.
    expect(await call({ description: '第三次反映停水' }, otherPhone())).toMatchObject({ status: 'merged', mergedInto: first.orderNo });
    const supervised = await order(first.orderNo);
    expect(supervised.repeatCount).toBe(3);
    expect(supervised.history.at(-1)!.note).toBe('同一事项已重复来电3次，转督办：市水务集团，已报值班领导');
    offset = 73 * HOUR;
    expect((await call()).status, 'after the window').toBe('accepted');
    offset = 0;

    // Up to now: the first call, its three repeats, and three of their own (the call after the window is dated 73 hours on, past this count's end).
    const stats = (await (await fetch(`${base}/statistics?by=district&from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 1000).toISOString())}`, { headers: bearer(keys.role.supervisor) })).json()) as { total: { volume: number; repeatCalls: number; repeatCallRate: number; supervisedDispatches: number } };
    expect(stats.total).toMatchObject({ volume: 4, repeatCalls: 3, repeatCallRate: 0.4286, supervisedDispatches: 1 });
  });
});
