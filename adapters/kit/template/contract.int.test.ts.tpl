/**
 * __NAME__'s contract on the real stack (Zeebe, Kafka, MySQL) against its simulator: an order
 * there and back, the system down and answering twice, a redelivery reaching it once. Add the
 * system's own faults (slow, out of order) as its simulator learns them.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metrics } from '../../infra/metrics.js';
import { useEngineHub, useKeysAndMail } from '../../test/support/engine-hub.js';
import { freePort } from '../../test/support/harness.js';
import { Simulator } from './simulator.js';

const fx = useKeysAndMail();
const env: Record<string, string> = {};
let sim: Simulator;
beforeAll(async () => {
  const callbackPort = await freePort();
  const token = randomUUID();
  sim = new Simulator({ callback: `http://127.0.0.1:${callbackPort}`, token });
  Object.assign(env, {
    ADAPTERS: '__NAME__',
    __ENV__URL: await sim.start(),
    __ENV__CALLBACK_PORT: String(callbackPort),
    __ENV__CALLBACK_TOKEN: token,
    __ENV__GROUP_ID: `test-__NAME__-${randomUUID()}`,
    __ENV__RETRY_INITIAL_MS: '200',
    __ENV__RETRY_MAX_MS: '1000',
  });
});
const h = useEngineHub('zeebe', { mail: () => fx.mail, env });
afterAll(() => sim?.stop());

const status = async (orderNo: string): Promise<string> => ((await (await h.get(`/orders/${orderNo}`, fx.keys.role.supervisor)).json()) as { status: string }).status;
const steps = async (orderNo: string, step: string): Promise<number> =>
  ((await (await h.get(`/orders/${orderNo}`, fx.keys.role.supervisor)).json()) as { history: Array<{ step: string }> }).history.filter((x) => x.step === step).length;

/** An order of __CATEGORY__, which the dispatch rules send to __UNIT__. */
async function anOrder(title: string): Promise<string> {
  const res = await h.post('/orders', { channel: 'phone', type: 'help', category: '__CATEGORY__', title, description: `${title}，请尽快处理`, district: 'heping', address: '和平区测试路1号', citizen: { name: '适配测试', phone: '13500135000', confidential: false } }, fx.keys.role['call-taker']);
  expect(res.status).toBe(201);
  return ((await res.json()) as { orderNo: string }).orderNo;
}

async function closeIt(orderNo: string): Promise<void> {
  await h.until(() => status(orderNo), 'awaiting_callback', 60_000);
  expect((await h.post(`/orders/${orderNo}/callback`, { satisfaction: 'satisfied' }, fx.keys.role['callback-agent'])).status).toBe(202);
  await h.until(() => status(orderNo), 'closed');
}

describe('__NAME__ adapter', { timeout: 120_000 }, () => {
  it('sends an order to the system and takes its answers back until the order closes', async () => {
    const orderNo = await anOrder('适配器往返');
    await h.until(async () => sim.ticketsFor(orderNo).length, 1);
    await closeIt(orderNo);
    expect(await steps(orderNo, 'reply')).toBe(1);
  });

  it('keeps trying while the system is down and answers everything twice, and makes one ticket, each answer applied once', async () => {
    await sim.down();
    sim.twice = true;
    const retried = metrics.get('hub_adapter_messages_total', { adapter: '__NAME__', direction: 'out', outcome: 'retried' });
    const orderNo = await anOrder('系统停机时派单');
    await h.until(async () => metrics.get('hub_adapter_messages_total', { adapter: '__NAME__', direction: 'out', outcome: 'retried' }) > retried, true);
    await sim.up();
    await closeIt(orderNo);
    sim.twice = false;
    expect(sim.ticketsFor(orderNo)).toHaveLength(1);
    expect(await steps(orderNo, 'acknowledge')).toBe(1);
    expect(await steps(orderNo, 'reply')).toBe(1);
  });
});
