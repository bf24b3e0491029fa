/**
 * SMS to citizens through the gateway's API, on the real stack with the simulator: a receipt when
 * the request is taken and a notice when it closes with the evaluation link (一事一评), one segment
 * each; the link opens the order and evaluates it once; a one-time code lets a phone see its own
 * orders without their numbers; the gateway down, busy and slow, and still each message sent
 * once; landlines and confidential requests get none; and no citizen's number in the hub's log,
 * which is captured at debug level throughout.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type RunningHub } from '../../hub/compose.js';
import { loadConfig } from '../../infra/config.js';
import { createLogger } from '../../infra/log.js';
import { freePort } from '../../test/support/harness.js';
import { bearer, makeKeys, type TestKeys } from '../../test/support/keys.js';
import { SmsGatewaySimulator } from './simulator.js';

const lines: string[] = [];
const sink = new Writable({ write: (chunk: Buffer, _enc, cb) => (lines.push(chunk.toString()), cb()) });
const key = randomUUID();
const sim = new SmsGatewaySimulator(key);
let hub: RunningHub;
let keys: TestKeys;
let base: string;
/** Mobile numbers of this run (distinctive, so that a log line cannot hold one by chance). */
const mobile = (n: number): string => `1990${String(Date.now()).slice(-5)}${String(n).padStart(2, '0')}`;
const used: string[] = [];

beforeAll(async () => {
  keys = await makeKeys();
  const url = await sim.start();
  hub = await startHub(loadConfig({ ...process.env, PORT: String(await freePort()), OUTBOX_POLL_MS: '100', DEMO_KEYS: 'false', SMS_URL: url, SMS_KEY: key, SMTP_TIMEOUT_MS: '1000', OUTBOX_RETRY_INITIAL_MS: '200', OUTBOX_RETRY_MAX_MS: '1000' }), createLogger('debug', sink));
  base = `${hub.url}/api/v1`;
}, 120_000);
afterAll(async () => {
  await hub?.close();
  await sim.stop();
});

const post = (p: string, body: unknown, token: string) => fetch(`${base}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(token) }, body: JSON.stringify(body) });
const statusOf = async (orderNo: string) => ((await (await fetch(`${base}/orders/${orderNo}`, { headers: bearer(keys.role.supervisor) })).json()) as { status: string }).status;

async function take(phone: string, over: Record<string, unknown> = {}): Promise<string> {
  used.push(phone);
  const res = await post('/orders', { channel: 'phone', type: 'help', category: 'water-outage', title: '小区停水', description: '小区停水一天', district: 'hexi', address: '河西区短信路1号', citizen: { name: '短信测试', phone, confidential: false }, ...over }, keys.role['call-taker']);
  expect(res.status).toBe(201);
  const { orderNo } = (await res.json()) as { orderNo: string };
  return orderNo;
}
const texts = (phone: string): string[] => (sim.sent.get(phone) ?? []).map((m) => m.content);

describe('SMS to citizens (短信)', { timeout: 120_000 }, () => {
  it('sends a receipt with the order number, and a notice with the evaluation link once the order is closed, each one segment; the link evaluates the order once', async () => {
    const phone = mobile(1);
    const orderNo = await take(phone);
    await expect.poll(() => texts(phone), { timeout: 20_000 }).toEqual([`【12345热线】您的诉求已受理，工单号${orderNo}。我们将按时限办理，并电话回访。`]);
    await expect.poll(() => statusOf(orderNo), { timeout: 30_000 }).toBe('dispatched');
    expect((await post(`/orders/${orderNo}/reply`, { result: '已恢复供水', handledBy: '抢修班' }, keys.unit['water-group']!)).status).toBe(202);
    await expect.poll(() => statusOf(orderNo), { timeout: 30_000 }).toBe('awaiting_callback');
    expect((await post(`/orders/${orderNo}/callback`, { satisfaction: 'satisfied' }, keys.role['callback-agent'])).status).toBe(202);
    await expect.poll(() => texts(phone).length, { timeout: 30_000 }).toBe(2);
    const closing = texts(phone)[1]!;
    expect(closing).toMatch(new RegExp(`^【12345热线】工单${orderNo}已办结，请评价：127\\.0\\.0\\.1:\\d+/p/[0-9A-Za-z]{8}$`));
    expect(sim.sent.get(phone)!.every((m) => m.segments === 1)).toBe(true);

    // The citizen taps the link: the order and its evaluation form, no phone asked.
    const link = `http://${closing.split('：')[1]!}`;
    const page = await (await fetch(link)).text();
    expect(page).toContain(`工单 ${orderNo}`);
    expect(page).toContain('已恢复供水');
    const token = /name="token" value="([0-9A-Za-z]{8})"/.exec(page)![1]!;
    const rate = () => fetch(`${hub.url}/public/v1/evaluations`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token, rating: '5', comment: '' }) });
    const first = await rate();
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('感谢您的评价');
    expect((await rate()).status, '一事一评: once').toBe(409);
    const order = (await (await fetch(`${base}/orders/${orderNo}`, { headers: bearer(keys.role.supervisor) })).json()) as { history: Array<{ step: string }> };
    expect(order.history.filter((h) => h.step === 'evaluation')).toHaveLength(1);
    expect((await fetch(`${hub.url}/p/Zz9Zz9Zz`)).status, 'a link no SMS carried').toBe(404);
  });

  it('sends a one-time code to a mobile that gave orders, and the code shows that phone\'s orders once; another number gets nothing and the same answer', async () => {
    const phone = mobile(5);
    const orders = [await take(phone), await take(phone)];
    await expect.poll(() => texts(phone).length, { timeout: 20_000 }).toBe(2);
    const ask = (p: string) => fetch(`${hub.url}/public/v1/progress/code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone: p }) });
    const asked = await ask(phone);
    expect(asked.status).toBe(202);
    const stranger = mobile(6);
    const strangers = await ask(stranger);
    expect(strangers.status).toBe(202);
    expect(await strangers.json(), 'the same answer, whether a code went').toEqual(await asked.json());
    await expect.poll(() => texts(phone).length, { timeout: 20_000 }).toBe(3);
    const code = /验证码(\d{6})/.exec(texts(phone)[2]!)![1]!;
    const look = (c: string) => fetch(`${hub.url}/public/v1/progress`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone, code: c }) });
    const wrong = code === '000000' ? '000001' : '000000';
    expect((await look(wrong)).status).toBe(404);
    const found = (await (await look(code)).json()) as { orders: Array<{ orderNo: string }> };
    expect(found.orders.map((o) => o.orderNo).sort()).toEqual([...orders].sort());
    expect((await look(code)).status, 'used once').toBe(404);
    await new Promise((r) => setTimeout(r, 1000));
    expect(sim.sent.has(stranger), 'no SMS to a number that gave no order').toBe(false);
  });

  it('keeps a receipt while the gateway is down or busy, and sends it once when it is back', async () => {
    await sim.down();
    const phone = mobile(2);
    const orderNo = await take(phone);
    await new Promise((r) => setTimeout(r, 1500));
    await sim.up();
    sim.busy = 2;
    await expect.poll(() => texts(phone), { timeout: 30_000 }).toHaveLength(1);
    expect(texts(phone)[0]).toContain(orderNo);
    expect(sim.busy).toBe(0);
  });

  it('sends a receipt once when the gateway answers too late and the row is sent again', async () => {
    sim.slowMs = 1500; // past the 1000 ms the sender waits
    const before = sim.requests;
    const phone = mobile(3);
    await take(phone);
    await expect.poll(() => sim.requests - before >= 2, { timeout: 30_000 }).toBe(true);
    sim.slowMs = 0;
    await new Promise((r) => setTimeout(r, 2000));
    expect(texts(phone), 'one message per msgId (the outbox row id)').toHaveLength(1);
  });

  it('sends nothing to a landline, nor anything in writing about a confidential request', async () => {
    const landline = `022-2${String(Date.now()).slice(-7)}`;
    const phone = mobile(4);
    await take(landline);
    await take(phone, { citizen: { name: '保密测试', phone, confidential: true }, unitSummary: '河西区某小区停水' });
    await new Promise((r) => setTimeout(r, 2000));
    expect(sim.sent.has(landline.replace('-', ''))).toBe(false);
    expect(texts(phone)).toEqual([]);
  });

  it('logs no citizen\'s number on any of these paths', () => {
    const log = lines.join('');
    expect(log.length).toBeGreaterThan(1000);
    for (const p of used) expect(log, p).not.toContain(p);
  });
});
