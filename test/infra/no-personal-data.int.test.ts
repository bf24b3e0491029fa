/**
 * No citizen identity in the logs or on the dead-letter topic: a whole hub (gateway, workers,
 * relay, Kafka consumer) logs at debug level into this test while orders of citizens with
 * distinctive names and phones go through every path that logs: intake, dispatch, replies,
 * callbacks, refused requests, a reply that is dead-lettered with the phone in it, a database
 * error. Then the captured log is searched for those names and phones.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unitTopics } from '../../domain/events.js';
import { startHub, type RunningHub } from '../../hub/compose.js';
import { loadConfig } from '../../infra/config.js';
import { createKafka } from '../../infra/kafka.js';
import { createLogger } from '../../infra/log.js';
import { freePort } from '../support/harness.js';
import { bearer, makeKeys, type TestKeys } from '../support/keys.js';
import { approveReview } from '../support/tasks.js';

const lines: string[] = [];
const sink = new Writable({ write: (chunk: Buffer, _enc, cb) => (lines.push(chunk.toString()), cb()) });
let hub: RunningHub;
let keys: TestKeys;
let base: string;

// Distinctive enough that nothing else in a log could contain them by chance.
const citizens = [
  { name: '欧阳秘密', phone: '13987650001', confidential: true },
  { name: '司马公开', phone: '15987650002', confidential: false },
];

beforeAll(async () => {
  keys = await makeKeys();
  hub = await startHub(loadConfig({ ...process.env, PORT: String(await freePort()), OUTBOX_POLL_MS: '100', DEMO_KEYS: 'false' }), createLogger('debug', sink));
  base = `${hub.url}/api/v1`;
}, 120_000);
afterAll(async () => {
  await hub?.close();
});

const post = (p: string, body: unknown, token: string) => fetch(`${base}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(token) }, body: JSON.stringify(body) });
const statusOf = async (orderNo: string) => ((await (await fetch(`${base}/orders/${orderNo}`, { headers: bearer(keys.role.supervisor) })).json()) as { status: string }).status;

describe('personal data stays out of logs and dead letters', () => {
  it('logs no test citizen\'s name or phone on any path an order takes, failures included', async () => {
    const orderNos: string[] = [];
    for (const citizen of citizens) {
      const body = { channel: 'phone', type: 'complaint', category: 'gas-fault', title: '燃气味道', description: `来电人${citizen.name}，电话${citizen.phone}，闻到燃气味`, district: 'nankai', address: '南开区隐私路1号', citizen, unitSummary: '南开区某小区有燃气味，请排查' };
      const res = await post('/orders', body, keys.role['call-taker']);
      expect(res.status).toBe(201);
      orderNos.push(((await res.json()) as { orderNo: string }).orderNo);
      // Refused requests that carry the citizen: a bad field beside them, a role that may not.
      expect((await post('/orders', { ...body, priority: 1 }, keys.role['call-taker'])).status).toBe(400);
      expect((await post('/orders', body, keys.role.operator)).status).toBe(403);
    }
    for (const orderNo of orderNos) {
      await expect.poll(() => statusOf(orderNo), { timeout: 20_000 }).toBe('dispatched');
      expect((await post(`/orders/${orderNo}/reply`, { result: '已排查', handledBy: '抢修班' }, keys.unit['gas-group']!)).status).toBe(202);
      await approveReview(base, keys.role.supervisor, orderNo);
      await expect.poll(() => statusOf(orderNo), { timeout: 20_000 }).toBe('awaiting_callback');
      expect((await post(`/orders/${orderNo}/callback`, { satisfaction: 'satisfied', note: `${citizens[0]!.name}表示满意` }, keys.role['callback-agent'])).status).toBe(202);
      await expect.poll(() => statusOf(orderNo), { timeout: 20_000 }).toBe('closed');
    }
    // A unit system that puts the citizen into a message the hub refuses.
    const kafka = createKafka(loadConfig(), `pii-test-${randomUUID()}`);
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const marker = randomUUID();
    await producer.send({ topic: unitTopics('gas-group').replied, messages: [{ value: `{"broken": "${citizens[0]!.phone} ${citizens[0]!.name} ${marker}"` }] });
    await producer.disconnect();
    await expect.poll(async () => Number((await hub.store.ds.query('SELECT COUNT(*) AS n FROM dead_letter WHERE message_value LIKE ?', [`%${marker}%`]))[0].n), { timeout: 30_000 }).toBe(1);
    // A database error whose statement carries the phone.
    await hub.store.ds.query('SELECT citizen_phone FROM no_such_table WHERE citizen_phone = ?', [citizens[1]!.phone]).catch((err: unknown) => hub.log.error({ err }, 'test: a failed query'));
    await new Promise((r) => setTimeout(r, 500));

    const log = lines.join('');
    expect(log.length, 'the hub logged at debug level meanwhile').toBeGreaterThan(1000);
    expect(log).toContain(orderNos[0]!); // the order number is what an operator needs, and it is there
    for (const c of citizens) {
      expect(log.includes(c.phone), `the log contains ${c.phone}`).toBe(false);
      expect(log.includes(c.name), `the log contains ${c.name}`).toBe(false);
    }
  }, 150_000);
});
