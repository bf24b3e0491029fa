/**
 * 答非所问 on both engines (real Zeebe or Camunda 7, Kafka, MySQL): with the check on
 * (REPLY_QUALITY_FILE), a help request's answer that review-policy.dmn would let through on its own
 * goes to a supervisor's review with the reasons when it is a template phrase; an answer that names
 * the matter and what was done goes on to the callback by itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type RunningHub } from '../../hub/compose.js';
import { loadConfig } from '../../infra/config.js';
import { createLogger } from '../../infra/log.js';
import { freePort } from '../support/harness.js';
import { bearer, makeKeys, type TestKeys } from '../support/keys.js';
import { taskFor } from '../support/tasks.js';

let keys: TestKeys;
beforeAll(async () => {
  keys = await makeKeys();
});

describe.each(['zeebe', 'camunda7'] as const)('reply quality on %s', { timeout: 120_000 }, (engine) => {
  let hub: RunningHub;
  let base: string;
  beforeAll(async () => {
    hub = await startHub(loadConfig({ ...process.env, HUB_ENGINE: engine, PORT: String(await freePort()), OUTBOX_POLL_MS: '100', DEMO_KEYS: 'false', REPLY_QUALITY_FILE: 'config/reply-quality.json' }), createLogger('error'));
    base = `${hub.url}/api/v1`;
  }, 600_000);
  afterAll(async () => {
    await hub?.close();
  });
  const post = (p: string, body: unknown, token: string) => fetch(`${base}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(token) }, body: JSON.stringify(body) });
  const order = async (orderNo: string) => (await (await fetch(`${base}/orders/${orderNo}`, { headers: bearer(keys.role.supervisor) })).json()) as { status: string; history: Array<{ step: string; note: string }> };
  const until = <T>(what: () => Promise<T>, expected: T) => expect.poll(what, { timeout: 30_000, interval: 200 }).toEqual(expected);

  async function answered(result: string): Promise<string> {
    // A help request (求助): bpmn/review-policy.dmn lets its answer through without a person.
    const res = await post('/orders', { channel: 'phone', type: 'help', category: 'water-outage', title: '小区停水', description: '友谊路小区停水两天，没有任何通知', district: 'hexi', address: '河西区友谊路2号', citizen: { name: '质量测试', phone: '13500135111', confidential: false } }, keys.role['call-taker']);
    expect(res.status).toBe(201);
    const { orderNo } = (await res.json()) as { orderNo: string };
    await until(async () => (await order(orderNo)).status, 'dispatched');
    expect((await post(`/orders/${orderNo}/reply`, { result, handledBy: '水务集团' }, keys.unit['water-group']!)).status).toBe(202);
    return orderNo;
  }

  it('sends a template answer to a supervisor with the reasons, and lets an answer that names the matter through', async () => {
    const template = await answered('已转相关部门处理，请耐心等待。');
    const task = await taskFor(base, keys.role.supervisor, template, 'reply-review');
    expect(task.detail.qualityReasons).toEqual(expect.arrayContaining(['答非所问：答复未涉及诉求内容', '套话：“已转相关部门”，未说明办理措施']));
    expect((await order(template)).history.find((h) => h.step === 'review-requested')?.note).toContain('答复质量：');

    const good = await answered('经查，友谊路主管线破裂导致小区停水，已于今日14时恢复供水，并张贴停水告示说明原因。');
    await until(async () => (await order(good)).status, 'awaiting_callback');
    expect((await order(good)).history.some((h) => h.step === 'review-requested')).toBe(false);

    // The supervisor sends the template answer back: the unit must say what it did.
    expect((await post(`/tasks/${task.id}/complete`, { kind: 'reply-review', approved: false, reason: '请说明具体办理措施' }, keys.role.supervisor)).status).toBe(200);
    await until(async () => (await order(template)).status, 'dispatched');
  });
});
