/**
 * 审核与重办 on both engines: where bpmn/review-policy.dmn asks for it (complaints), a supervisor
 * reviews the unit's answer and can send it back; an unsatisfied citizen sends it back too; once
 * the policy's redos are used up, the next one goes to supervision (the duty leader is mailed and
 * the order flagged): an unsatisfied order then closes, a rejected answer goes back once more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type RunningHub } from '../../hub/compose.js';
import { loadConfig } from '../../infra/config.js';
import { createLogger } from '../../infra/log.js';
import { freePort, startSmtp, type Mailbox } from '../support/harness.js';
import { bearer, makeKeys, type TestKeys } from '../support/keys.js';
import { taskFor } from '../support/tasks.js';

interface Order {
  status: string;
  redoCount: number;
  supervisedAt: string | null;
  history: Array<{ step: string; note: string }>;
}

let keys: TestKeys;
let mail: Mailbox;
beforeAll(async () => {
  keys = await makeKeys();
  mail = await startSmtp();
});
afterAll(async () => {
  await mail?.close();
});

describe.each(['zeebe', 'camunda7'] as const)('review and redo on %s', (engine) => {
  let hub: RunningHub;
  let base: string;
  beforeAll(async () => {
    const config = loadConfig({ ...process.env, HUB_ENGINE: engine, PORT: String(await freePort()), SMTP_URL: `smtp://127.0.0.1:${mail.port}`, OUTBOX_POLL_MS: '100', DEMO_KEYS: 'false' });
    hub = await startHub(config, createLogger('warn'));
    base = `${hub.url}/api/v1`;
  }, 120_000);
  afterAll(async () => {
    await hub?.close();
  });

  const post = (p: string, body: unknown, token: string) => fetch(`${base}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(token) }, body: JSON.stringify(body) });
  const order = async (orderNo: string): Promise<Order> => (await (await fetch(`${base}/orders/${orderNo}`, { headers: bearer(keys.role.supervisor) })).json()) as Order;
  const until = async <T>(what: () => Promise<T>, expected: T) => expect.poll(what, { timeout: 30_000, interval: 200 }).toEqual(expected);
  const steps = async (orderNo: string, step: string) => (await order(orderNo)).history.filter((h) => h.step === step).length;

  async function register(type: string): Promise<string> {
    const res = await post('/orders', {
      channel: 'phone', type, category: 'heating', title: '暖气不热', description: '家中暖气温度只有十五度', district: 'nankai', address: '南开区审核路3号',
      citizen: { name: '审核测试', phone: '13700137000', confidential: false },
    }, keys.role['call-taker']);
    expect(res.status).toBe(201);
    const { orderNo } = (await res.json()) as { orderNo: string };
    return orderNo;
  }
  /** The unit answers its n-th dispatch of the order. */
  async function answer(orderNo: string, n: number): Promise<void> {
    await until(async () => steps(orderNo, 'dispatch'), n);
    await until(async () => (await order(orderNo)).status, 'dispatched');
    expect((await post(`/orders/${orderNo}/reply`, { result: `第${n}次答复：已派员检修`, handledBy: '供热集团' }, keys.unit['heating-group']!)).status).toBe(202);
  }
  async function review(orderNo: string, approved: boolean): Promise<void> {
    const task = await taskFor(base, keys.role.supervisor, orderNo, 'reply-review');
    expect(task.detail.result, 'the reviewer sees the answer').toMatch(/已派员检修/);
    expect((await post(`/tasks/${task.id}/complete`, approved ? { kind: 'reply-review', approved } : { kind: 'reply-review', approved, reason: '未说明恢复供热时间' }, keys.role.supervisor)).status).toBe(200);
  }
  async function callback(orderNo: string, satisfaction: string): Promise<void> {
    await until(async () => (await order(orderNo)).status, 'awaiting_callback');
    expect((await post(`/orders/${orderNo}/callback`, { satisfaction }, keys.role['callback-agent'])).status).toBe(202);
  }

  it('a complaint\'s answer is reviewed by a person: a rejected one goes back to the unit, and after two redos an unsatisfied citizen\'s order goes to supervision and closes', async () => {
    const orderNo = await register('complaint');
    await answer(orderNo, 1);
    expect((await post(`/tasks/0/complete`, { kind: 'reply-review', approved: true }, keys.role.supervisor)).status, 'no such task').toBe(404);
    await review(orderNo, false);
    await answer(orderNo, 2);
    expect((await order(orderNo)).redoCount).toBe(1);
    expect((await order(orderNo)).history.find((h) => h.step === 'review')?.note).toBe('人工审核未通过，退回重办：未说明恢复供热时间');
    await review(orderNo, true);
    await callback(orderNo, 'unsatisfied');
    await answer(orderNo, 3);
    await review(orderNo, true);
    await callback(orderNo, 'unsatisfied');
    await until(async () => (await order(orderNo)).status, 'closed');
    const o = await order(orderNo);
    expect(o.redoCount, 'review-policy: two redos for a complaint').toBe(2);
    expect(o.supervisedAt).not.toBeNull();
    expect(o.history.filter((h) => h.step === 'supervise-redos').map((h) => h.note)).toEqual(['已重办2次仍未办结，转督办，已报值班领导']);
  });

  it('an answer rejected once the redos are used up goes to supervision and back to the unit', async () => {
    const orderNo = await register('report');
    await answer(orderNo, 1);
    await review(orderNo, false);
    await answer(orderNo, 2);
    await review(orderNo, false);
    await answer(orderNo, 3);
    await review(orderNo, false);
    await answer(orderNo, 4);
    const o = await order(orderNo);
    expect(o.history.filter((h) => h.step === 'supervise-redos').length).toBe(1);
    expect(o.redoCount).toBe(3);
  });

  it('another request\'s answer passes review on its own; after one redo an unsatisfied citizen\'s order goes to supervision and closes', async () => {
    const orderNo = await register('help');
    await answer(orderNo, 1);
    await callback(orderNo, 'unsatisfied');
    await answer(orderNo, 2);
    await callback(orderNo, 'unsatisfied');
    await until(async () => (await order(orderNo)).status, 'closed');
    const o = await order(orderNo);
    expect(o.history.map((h) => h.step)).toEqual(['accept', 'classify', 'dispatch', 'reply', 'review', 'callback-requested', 'callback', 'redo', 'dispatch', 'reply', 'review', 'callback-requested', 'callback', 'supervise-redos', 'close']);
    expect(o.supervisedAt).not.toBeNull();
  });
});
