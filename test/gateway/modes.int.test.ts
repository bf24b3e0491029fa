/**
 * The other handling modes (DOMAIN.md §3) on both engines, as the dispatch DMN routes them:
 * 引导 refer (the caller is told where to turn; closed with that advice) and 转阅 forward for
 * reference (mailed to the unit, no reply due; closed), 协调办理 coordinated handling (the units
 * convened by mail, a supervisor records the outcome, closed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type RunningHub } from '../../hub/compose.js';
import { loadConfig } from '../../infra/config.js';
import { createLogger } from '../../infra/log.js';
import { freePort, startSmtp, type Mailbox } from '../support/harness.js';
import { bearer, makeKeys, type TestKeys } from '../support/keys.js';
import { taskFor } from '../support/tasks.js';

let keys: TestKeys;
let mail: Mailbox;
beforeAll(async () => {
  keys = await makeKeys();
  mail = await startSmtp();
});
afterAll(async () => {
  await mail?.close();
});

describe.each(['zeebe', 'camunda7'] as const)('refer, forward and coordinate on %s', (engine) => {
  let hub: RunningHub;
  let base: string;
  beforeAll(async () => {
    hub = await startHub(loadConfig({ ...process.env, HUB_ENGINE: engine, PORT: String(await freePort()), SMTP_URL: `smtp://127.0.0.1:${mail.port}`, OUTBOX_POLL_MS: '100', DEMO_KEYS: 'false' }), createLogger('warn'));
    base = `${hub.url}/api/v1`;
  }, 120_000);
  afterAll(async () => {
    await hub?.close();
  });
  const register = async (over: Record<string, unknown>) => {
    const res = await fetch(`${base}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(keys.role['call-taker']) },
      body: JSON.stringify({ channel: 'phone', title: '方式测试', description: '方式测试', district: 'heping', address: '和平区方式路1号', citizen: { name: '方式', phone: '13100131001', confidential: false }, ...over }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { orderNo: string }).orderNo;
  };
  const order = async (orderNo: string) => (await (await fetch(`${base}/orders/${orderNo}`, { headers: bearer(keys.role.supervisor) })).json()) as { status: string; handlingMode: string; unit: { code: string } | null; history: Array<{ step: string; note: string }> };

  it('引导: a social-insurance consultation is told to call 12333 and closed with that advice', async () => {
    const orderNo = await register({ type: 'consultation', category: 'social-insurance' });
    await expect.poll(async () => (await order(orderNo)).status, { timeout: 20_000 }).toBe('closed');
    const o = await order(orderNo);
    expect(o.handlingMode).toBe('refer');
    expect(o.history.map((h) => h.step)).toEqual(['accept', 'classify', 'refer', 'close']);
    expect(o.history.find((h) => h.step === 'refer')!.note).toMatch(/^引导：社会保险业务请拨打12333/);
  });

  it('转阅: a suggestion about buses is mailed to the transport bureau for reference, no reply due, and closed', async () => {
    const orderNo = await register({ type: 'suggestion', category: 'bus-service' });
    await expect.poll(async () => (await order(orderNo)).status, { timeout: 20_000 }).toBe('closed');
    const o = await order(orderNo);
    expect(o.handlingMode).toBe('forward');
    expect(o.unit?.code).toBe('transport-bureau');
    expect(o.history.map((h) => h.step)).toEqual(['accept', 'classify', 'forward', 'close']);
    await expect.poll(() => mail.byOrder.get(orderNo) ?? 0, { timeout: 20_000 }).toBe(1);
    // The same category as a complaint is dispatched as before.
    const complaint = await register({ type: 'complaint', category: 'bus-service' });
    await expect.poll(async () => (await order(complaint)).status, { timeout: 20_000 }).toBe('dispatched');
  });

  it('协调办理: illegal construction in Hexi convenes the city management committee and the district, and closes with the outcome a supervisor records', async () => {
    const orderNo = await register({ type: 'complaint', category: 'illegal-construction', district: 'hexi' });
    await expect.poll(async () => (await order(orderNo)).status, { timeout: 20_000 }).toBe('coordinating');
    expect((await order(orderNo)).history.find((h) => h.step === 'convene')!.note).toBe('协调办理：召集市城市管理委员会、河西区人民政府协调，待督办记录协调结果');
    await expect.poll(() => mail.byOrder.get(orderNo) ?? 0, { timeout: 20_000 }).toBe(2);
    const task = await taskFor(base, keys.role.supervisor, orderNo, 'coordination');
    expect(task.detail.units).toEqual(['city-management', 'hexi-gov']);
    const res = await fetch(`${base}/tasks/${task.id}/complete`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(keys.role.supervisor) }, body: JSON.stringify({ kind: 'coordination', outcome: '区城管执法局牵头，7日内拆除违建' }) });
    expect(res.status).toBe(200);
    await expect.poll(async () => (await order(orderNo)).status, { timeout: 20_000 }).toBe('closed');
    expect((await order(orderNo)).history.map((h) => h.step)).toEqual(['accept', 'classify', 'convene', 'coordination', 'close']);
  });
});
