/**
 * 合并与拆分 by the centre's hand on both engines (real Zeebe or Camunda 7, Kafka, MySQL): a
 * dispatcher merges an order being handled into another open order — its instance is cancelled,
 * its unit told, the other counts the repeat — and splits it off again, when it runs from the start
 * in a new instance to its close. Refusals say why and change nothing. A dispatcher does both in
 * Chromium.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type RunningHub } from '../../hub/compose.js';
import { loadConfig } from '../../infra/config.js';
import { createLogger } from '../../infra/log.js';
import { freePort } from '../support/harness.js';
import { bearer, makeKeys, type TestKeys } from '../support/keys.js';
import { shot, signIn, useBrowser } from '../support/browser.js';

interface Order {
  status: string;
  repeatCount: number;
  mergedInto: string | null;
  unit: { code: string } | null;
  history: Array<{ step: string; note: string }>;
}

let keys: TestKeys;
const chromium = useBrowser();
beforeAll(async () => {
  keys = await makeKeys();
});

describe.each(['zeebe', 'camunda7'] as const)('merging and splitting by hand on %s', { timeout: 180_000 }, (engine) => {
  let hub: RunningHub;
  let base: string;
  beforeAll(async () => {
    hub = await startHub(loadConfig({ ...process.env, HUB_ENGINE: engine, PORT: String(await freePort()), OUTBOX_POLL_MS: '100', DEMO_KEYS: 'false' }), createLogger('error'));
    base = `${hub.url}/api/v1`;
  }, 600_000);
  afterAll(async () => {
    await hub?.close();
  });
  const post = (p: string, body: unknown, token: string) => fetch(`${base}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(token) }, body: JSON.stringify(body) });
  const order = async (orderNo: string): Promise<Order> => (await (await fetch(`${base}/orders/${orderNo}`, { headers: bearer(keys.role.supervisor) })).json()) as Order;
  const until = <T>(what: () => Promise<T>, expected: T) => expect.poll(what, { timeout: 30_000, interval: 200 }).toEqual(expected);
  const codeOf = async (res: Response) => `${res.status} ${((await res.json()) as { error?: { code: string } }).error?.code ?? ''}`;

  async function dispatched(address: string, phone: string): Promise<string> {
    const res = await post('/orders', { channel: 'phone', type: 'help', category: 'water-outage', title: '小区停水', description: `${address}停水`, district: 'hexi', address, citizen: { name: '合并测试', phone, confidential: false } }, keys.role['call-taker']);
    expect(res.status).toBe(201);
    const { orderNo } = (await res.json()) as { orderNo: string };
    await until(async () => (await order(orderNo)).status, 'dispatched');
    return orderNo;
  }

  it('merges an order being handled into another (its instance cancelled, its unit told), then splits it off to run from the start to its close', async () => {
    const kept = await dispatched('河西区合并路1号', '13700137001');
    const other = await dispatched('河西区合并路1号院', '13700137002');
    const firstInstance = (await hub.store.find(other))!.processInstanceKey;

    expect((await post(`/orders/${other}/merge`, { into: kept, reason: '同一小区停水' }, keys.role['call-taker'])).status, 'a dispatcher or a supervisor merges').toBe(403);
    expect(await codeOf(await post(`/orders/${other}/merge`, { into: other, reason: '同一小区停水' }, keys.role.dispatcher))).toBe('422 SAME_ORDER');
    expect(await codeOf(await post(`/orders/${other}/merge`, { into: kept, reason: '' }, keys.role.dispatcher))).toBe('400 VALIDATION_FAILED');
    const merged = await post(`/orders/${other}/merge`, { into: kept, reason: '同一小区停水，水务集团一并处理' }, keys.role.dispatcher);
    expect(merged.status).toBe(200);
    expect(await merged.json()).toMatchObject({ orderNo: other, into: kept, instance: 'cancelled', unitsTold: ['water-group'] });
    expect(await order(other)).toMatchObject({ status: 'merged', mergedInto: kept });
    expect((await order(other)).history.at(-1)!.note).toBe(`经中心核实为同一事项，合并至工单 ${kept}：同一小区停水，水务集团一并处理`);
    expect(await order(kept)).toMatchObject({ repeatCount: 1 });
    // The unit was told to stop, on its topic and by mail; what it sends now is refused.
    const told = (await hub.store.ds.query("SELECT channel FROM outbox WHERE aggregate_key = ? AND dedup_key LIKE 'cancel:%' ORDER BY channel", [other])) as Array<{ channel: string }>;
    expect(told.map((r) => r.channel)).toEqual(['email', 'kafka']);
    expect((await post(`/orders/${other}/reply`, { result: '已恢复供水', handledBy: '供水所' }, keys.unit['water-group']!)).status).toBe(409);
    expect(await codeOf(await post(`/orders/${other}/merge`, { into: kept, reason: '再次合并' }, keys.role.supervisor))).toBe('409 ORDER_DONE');
    expect(await codeOf(await post(`/orders/${kept}/split`, { reason: '不是重复件' }, keys.role.supervisor))).toBe('409 NOT_MERGED');

    expect((await post(`/orders/${other}/split`, { reason: '经核实为隔壁小区，另行办理' }, keys.role.supervisor)).status).toBe(200);
    await until(async () => (await order(other)).status, 'dispatched');
    expect((await order(kept)).repeatCount).toBe(0);
    const secondInstance = (await hub.store.find(other))!.processInstanceKey;
    expect(secondInstance, 'a new instance carries it').not.toBe(firstInstance);
    expect((await post(`/orders/${other}/reply`, { result: '隔壁小区管道已修复，恢复供水', handledBy: '供水所' }, keys.unit['water-group']!)).status).toBe(202);
    await until(async () => (await order(other)).status, 'awaiting_callback');
    expect((await post(`/orders/${other}/callback`, { satisfaction: 'satisfied' }, keys.role['callback-agent'])).status).toBe(202);
    await until(async () => (await order(other)).status, 'closed');
    expect((await order(other)).history.map((h) => h.step)).toEqual(expect.arrayContaining(['merged', 'split', 'dispatch', 'reply', 'close']));
  });

  it.runIf(engine === 'zeebe')('lets a dispatcher merge on the order\'s page, and split it off again', async () => {
    const kept = await dispatched('河西区合并路2号', '13700137003');
    const other = await dispatched('河西区合并路2号楼', '13700137004');
    const page = await signIn(chromium.browser, hub.url!, keys.role.dispatcher);
    await page.goto(`${hub.url}/console/#/orders/${other}`);
    await page.waitForSelector('#merge');
    await page.fill('#merge-into', kept);
    await page.fill('#merge-reason', '同一栋楼停水');
    await shot(page, 'merge');
    await page.click('#merge button[type="submit"]');
    await page.waitForSelector(`#merge-outcome:has-text("已合并至工单 ${kept}")`);
    expect((await order(other)).status).toBe('merged');
    await page.goto(`${hub.url}/console/#/tasks`);
    await page.goto(`${hub.url}/console/#/orders/${other}`);
    await page.waitForSelector('#split');
    await page.fill('#split-reason', '经核实为另一户');
    await page.click('#split button[type="submit"]');
    await page.waitForSelector('#split-outcome:has-text("已拆分")');
    await until(async () => (await order(other)).status, 'dispatched');
    expect(page.errors).toEqual([]);
    await page.close();
  });
});
