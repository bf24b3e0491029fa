/**
 * The delivery spine under faults, on the real stack: hub processes killed, two of them side by
 * side, Zeebe, Kafka and the mail server gone for a while. Each test stops what it started and
 * leaves the stack running.
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../infra/config.js';
import { createDataSource, openDataSource } from '../../infra/db/data-source.js';
import { createLogger } from '../../infra/log.js';
import { startRelay } from '../../infra/outbox/relay.js';
import { zeebeSender } from '../../infra/engine/zeebe-engine.js';
import { OutboxStore } from '../../infra/outbox/store.js';
import { createZeebeClient } from '../../infra/engine/zeebe-client.js';
import { startHub } from '../../hub/compose.js';
import { Stack } from '../../stack/index.js';
import { makeKeys, type TestKeys } from '../support/keys.js';
import { freePort, postAll, readDispatched, sleep, spawnHub, startSmtp, until, type DispatchedReader } from '../support/harness.js';

const config = loadConfig();
const ds = createDataSource(config);
let kafka: DispatchedReader;
let keys: TestKeys;
let callTaker: string;

beforeAll(async () => {
  keys = await makeKeys();
  callTaker = keys.role['call-taker'];
  await openDataSource(ds);
  kafka = await readDispatched();
}, 60_000);
afterAll(async () => {
  await kafka?.close();
  await ds.destroy();
});

const sql = async <T = Record<string, unknown>>(q: string, params: unknown[] = []): Promise<T[]> => (await ds.query(q, params)) as T[];
const inList = (orderNos: string[]): string => orderNos.map((o) => `'${o}'`).join(',');
const countOutbox = async (where: string): Promise<number> => Number((await sql<{ n: string }>(`SELECT COUNT(*) AS n FROM outbox WHERE ${where}`))[0]!.n);
const countWhere = async (where: string): Promise<number> => Number((await sql<{ n: string }>(`SELECT COUNT(*) AS n FROM work_order WHERE ${where}`))[0]!.n);

/** Every order has its dispatched event on Kafka exactly once (and no other order got a second). */
function expectOneEventEach(orderNos: string[]): void {
  const counts = orderNos.map((o) => kafka.byOrder.get(o)?.length ?? 0);
  expect(counts.filter((c) => c !== 1), `orders whose dispatched event did not arrive exactly once: ${orderNos.filter((_, i) => counts[i] !== 1).join(', ')}`).toEqual([]);
}

describe('delivery spine under faults', () => {
  it('relays with two hub processes side by side: every event once on Kafka, every e-mail once at the SMTP server', async () => {
    const smtp = await startSmtp();
    const env = { SMTP_URL: `smtp://127.0.0.1:${smtp.port}` };
    const [a, b] = await Promise.all([spawnHub(env), spawnHub(env)]);
    try {
      const orderNos = await postAll([a.url, b.url], 200, 10, callTaker);
      await until('200 dispatched events and e-mails', () => orderNos.every((o) => kafka.byOrder.has(o) && smtp.byOrder.has(o)), 120_000);
      await sleep(2000); // a double send would arrive by now
      expectOneEventEach(orderNos);
      expect(orderNos.filter((o) => smtp.byOrder.get(o) !== 1), 'orders not mailed exactly once').toEqual([]);
      expect(await countWhere(`order_no IN (${inList(orderNos)}) AND process_instance_key IS NULL`)).toBe(0);
      // SIGTERM: intake stops, jobs and claims in flight finish, the process exits cleanly.
      expect(await Promise.all([a.stop('SIGTERM'), b.stop('SIGTERM')])).toEqual([0, 0]);
      expect(await countOutbox(`claimed_by IS NOT NULL AND sent_at IS NULL AND aggregate_key IN (${inList(orderNos)})`), 'no claim left behind by a clean stop').toBe(0);
    } finally {
      await Promise.all([a.stop('SIGKILL'), b.stop('SIGKILL')]);
      await smtp.close();
    }
  }, 240_000);

  it('sends every e-mail once when two relays share a slow mail server: a batch fits its lease, and only the relay holding a row marks it', async () => {
    // Each mail takes 1.5 s; the lease is 3 s. A relay that claimed its usual batch would hold rows
    // it cannot send in time, and the other would take them over and send them again.
    const smtp = await startSmtp(undefined, { delayMs: 1500 });
    const tag = randomUUID().slice(0, 8);
    const orderNos = Array.from({ length: 16 }, (_, i) => `GD209912${String(Date.now() % 1e6).padStart(6, '0')}${String(i).padStart(2, '0')}`);
    for (const [i, orderNo] of orderNos.entries()) {
      await sql("INSERT INTO outbox (id, channel, destination, payload, dedup_key, created_at, attempts, aggregate_key, available_at) VALUES (UUID(), 'email', ?, ?, ?, NOW(3), 0, ?, NOW(3))", [
        `citizen${i}@example.invalid`,
        JSON.stringify({ subject: '慢邮件服务器测试', text: '测试', orderNo }),
        `slow-smtp:${tag}:${i}`,
        orderNo,
      ]);
    }
    const env = { HUB_ROLES: 'adapters', SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, OUTBOX_LEASE_MS: '3000', SMTP_TIMEOUT_MS: '2500', MAIL_CONCURRENCY: '2' };
    const [a, b] = await Promise.all([spawnHub(env), spawnHub(env)]);
    try {
      await until('16 e-mails at the slow server', () => orderNos.every((o) => smtp.byOrder.has(o)), 90_000);
      await sleep(4000); // a row taken over after its lease ran out would be sent again by now
      expect(orderNos.filter((o) => smtp.byOrder.get(o) !== 1), 'e-mails not sent exactly once').toEqual([]);
      expect(await countOutbox(`dedup_key LIKE 'slow-smtp:${tag}:%' AND sent_at IS NULL`), 'every row marked sent').toBe(0);
    } finally {
      await Promise.all([a.stop('SIGKILL'), b.stop('SIGKILL')]);
      await smtp.close();
    }
  }, 180_000);

  it('delivers a dispatch committed before a kill -9 exactly once after the restart', async () => {
    // The hub process runs intake and workers but no relay of its own; this test relays only the
    // Zeebe messages, so each order reaches its dispatch and the Kafka row is committed, unsent.
    const zeebe = createZeebeClient(config);
    const outbox = new OutboxStore(ds, 'test-zeebe-only');
    const relay = startRelay({
      store: outbox,
      senders: [zeebeSender(zeebe, { batchSize: 20, concurrency: 10, timeoutMs: 5000 })],
      policy: { initialMs: 200, factor: 2, maxMs: 2000, jitter: 0, maxAttempts: 50 },
      leaseMs: 10_000,
      pollMs: 100,
      log: createLogger('warn'),
    });
    const first = await spawnHub({ HUB_ROLES: 'gateway,workers' });
    let second: Awaited<ReturnType<typeof spawnHub>> | undefined;
    try {
      const orderNos = await postAll([first.url], 30, 5, callTaker, 1000);
      await until('30 dispatches committed', async () => (await countWhere(`order_no IN (${inList(orderNos)}) AND status = 'dispatched'`)) === 30, 60_000);
      expect(await countOutbox(`channel = 'kafka' AND sent_at IS NULL AND aggregate_key IN (${inList(orderNos)})`), 'the Kafka rows are committed and not yet sent').toBe(30);
      expect(await first.stop('SIGKILL')).toBe(null);
      expect(orderNos.filter((o) => kafka.byOrder.has(o))).toEqual([]);

      second = await spawnHub({});
      await until('the 30 events after the restart', () => orderNos.every((o) => kafka.byOrder.has(o)), 60_000);
      await sleep(2000);
      expectOneEventEach(orderNos);
    } finally {
      await relay.close();
      await zeebe.close();
      await first.stop('SIGKILL');
      await second?.stop('SIGTERM');
    }
  }, 240_000);

  it('keeps taking orders and replies while Zeebe is down for 10 s, reports itself ready but degraded, and hands every one over once it is back', async () => {
    const hub = await startHub(loadConfig({ ...process.env, PORT: String(await freePort()), OUTBOX_POLL_MS: '100', OUTBOX_RETRY_INITIAL_MS: '200', OUTBOX_RETRY_MAX_MS: '2000', LOG_LEVEL: 'fatal' }), createLogger('fatal'));
    const stack = new Stack(config, () => undefined);
    try {
      const before = await postAll([hub.url! + '/api/v1'], 10, 5, callTaker, 2000);
      await until('the first 10 dispatched', async () => (await countWhere(`order_no IN (${inList(before)}) AND status = 'dispatched'`)) === 10, 60_000);
      // Gone as a crash would go: a broker with workers polling it takes its whole 30 s grace to stop.
      await stack.stop('zeebe', { graceMs: 2000 });
      const downSince = Date.now();
      const during = await postAll([hub.url! + '/api/v1'], 10, 5, callTaker, 2100);
      // Units reply while Zeebe is down: recorded now, handed to the process when it is back.
      for (const row of await sql<{ order_no: string; unit_code: string }>(`SELECT order_no, unit_code FROM work_order WHERE order_no IN (${inList(before)})`)) {
        const res = await fetch(`${hub.url}/api/v1/orders/${row.order_no}/reply`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.unit[row.unit_code]}` }, body: JSON.stringify({ result: '已处理', handledBy: '值班员' }) });
        expect(res.status).toBe(202);
      }
      // Still taking orders (they wait in the outbox): ready, degraded, naming the engine.
      const ready = await fetch(`${hub.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'degraded', checks: { database: 'up', zeebe: expect.stringMatching(/^down/) } });
      await sleep(Math.max(0, 10_000 - (Date.now() - downSince)));
      await stack.up(true);
      const after = await postAll([hub.url! + '/api/v1'], 10, 5, callTaker, 2200);
      const all = [...before, ...during, ...after];
      await until('the 20 later orders dispatched with their instance', async () => (await countWhere(`order_no IN (${inList([...during, ...after])}) AND status = 'dispatched' AND process_instance_key IS NOT NULL`)) === 20, 120_000);
      await until('the replies given during the outage to reach their instances', async () => (await countWhere(`order_no IN (${inList(before)}) AND status = 'awaiting_callback'`)) === 10, 60_000);
      await until('the 30 events', () => all.every((o) => kafka.byOrder.has(o)), 60_000);
      expectOneEventEach(all);
      expect((await fetch(`${hub.url}/readyz`)).status).toBe(200);
    } finally {
      await stack.up(true);
      await hub.close();
    }
  }, 240_000);

  it('lets the outbox grow while Kafka is down and drains it once Kafka is back', async () => {
    const hub = await startHub(loadConfig({ ...process.env, PORT: String(await freePort()), OUTBOX_POLL_MS: '100', OUTBOX_RETRY_INITIAL_MS: '200', OUTBOX_RETRY_MAX_MS: '2000' }), createLogger('fatal'));
    const stack = new Stack(config, () => undefined);
    try {
      await stack.stop('kafka');
      const orderNos = await postAll([hub.url! + '/api/v1'], 20, 5, callTaker, 3000);
      await until('20 dispatches waiting in the outbox', async () => (await countOutbox(`channel = 'kafka' AND sent_at IS NULL AND aggregate_key IN (${inList(orderNos)})`)) === 20, 60_000);
      expect(((await (await fetch(`${hub.url}/readyz`)).json()) as { checks: Record<string, string> }).checks.kafka).toMatch(/^down/);
      await stack.up(true);
      await until('the outbox drained onto Kafka', () => orderNos.every((o) => kafka.byOrder.has(o)), 90_000);
      expect(orderNos.filter((o) => new Set(kafka.byOrder.get(o)).size !== 1), 'one event id per order').toEqual([]);
      expect(await countOutbox(`parked_at IS NOT NULL AND aggregate_key IN (${inList(orderNos)})`)).toBe(0);
    } finally {
      await stack.up(true);
      await hub.close();
    }
  }, 240_000);

  it('dispatches to Kafka while the mail server hangs, and parks the e-mails after their last attempt', async () => {
    // E-mails earlier tests left unsent (their hubs had no SMTP_URL) would queue before ours.
    await ds.query("DELETE FROM outbox WHERE channel = 'email' AND sent_at IS NULL");
    // A mail server that accepts connections and never says a word.
    const sockets = new Set<net.Socket>();
    const blackHole = net.createServer((s) => void sockets.add(s));
    const port = await freePort();
    await new Promise<void>((r) => blackHole.listen(port, '127.0.0.1', () => r()));
    const hub = await startHub(
      loadConfig({ ...process.env, PORT: String(await freePort()), SMTP_URL: `smtp://127.0.0.1:${port}`, SMTP_TIMEOUT_MS: '500', MAIL_CONCURRENCY: '16', OUTBOX_POLL_MS: '100', OUTBOX_RETRY_INITIAL_MS: '100', OUTBOX_RETRY_MAX_MS: '200', OUTBOX_MAX_ATTEMPTS: '2' }),
      createLogger('fatal'),
    );
    try {
      const started = Date.now();
      const orderNos = await postAll([hub.url! + '/api/v1'], 30, 5, callTaker, 4000);
      await until('30 events on Kafka', () => orderNos.every((o) => kafka.byOrder.has(o)), 60_000);
      expect(Date.now() - started, 'Kafka dispatch does not wait for the mail server').toBeLessThan(30_000);
      expectOneEventEach(orderNos);
      const mailRows = `channel = 'email' AND aggregate_key IN (${inList(orderNos)})`;
      await until('the e-mails parked', async () => (await countOutbox(`${mailRows} AND parked_at IS NOT NULL`)) === 30, 90_000);
      const [row] = await sql<{ attempts: number; last_error: string; sent_at: Date | null }>(`SELECT attempts, last_error, sent_at FROM outbox WHERE ${mailRows} LIMIT 1`);
      expect(row).toMatchObject({ attempts: 2, sent_at: null });
      expect(row!.last_error).toMatch(/timeout|Greeting never received|did not answer/i);
      // Replayed rows are due again with a fresh count.
      expect(await hub.outbox.replay()).toBeGreaterThanOrEqual(30);
      expect(await countOutbox(`${mailRows} AND parked_at IS NULL AND sent_at IS NULL`)).toBeGreaterThan(0);
    } finally {
      await hub.close();
      // Leave no parked or pending mail to the black hole behind for other tests.
      await ds.query("DELETE FROM outbox WHERE channel = 'email' AND sent_at IS NULL");
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => blackHole.close(() => r()));
    }
  }, 240_000);

  it('answers 503 with Retry-After while the database is unreachable, and takes orders again once it is back', async () => {
    // A TCP proxy in front of the database that the test can cut.
    const upstream = new URL(config.DATABASE_URL);
    const sockets = new Set<net.Socket>();
    let open = true;
    const proxy = net.createServer((client) => {
      if (!open) return client.destroy();
      const server = net.connect(Number(upstream.port || 3306), upstream.hostname);
      for (const s of [client, server]) {
        sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => sockets.delete(s));
      }
      client.pipe(server).pipe(client);
    });
    const port = await freePort();
    await new Promise<void>((r) => proxy.listen(port, '127.0.0.1', () => r()));
    const viaProxy = new URL(config.DATABASE_URL);
    viaProxy.port = String(port);
    const hub = await startHub(loadConfig({ ...process.env, DATABASE_URL: viaProxy.toString(), PORT: String(await freePort()), HUB_ROLES: 'gateway' }), createLogger('fatal'));
    const post = () => fetch(`${hub.url}/api/v1/orders`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${callTaker}` }, body: JSON.stringify({ channel: 'web', type: 'help', category: 'noise', title: '数据库故障测试', description: '夜间施工噪声', district: 'nankai', address: '南开区测试路2号', citizen: { name: '测试人', phone: '13000000000' } }) });
    try {
      expect((await post()).status).toBe(201);
      open = false;
      for (const s of sockets) s.destroy();
      const started = Date.now();
      const refused = await post();
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('UNAVAILABLE');
      expect(Date.now() - started, 'answered, not hung').toBeLessThan(15_000);
      expect((await fetch(`${hub.url}/readyz`)).status).toBe(503);
      open = true;
      await until('the gateway to take orders again', async () => (await post()).status === 201, 30_000);
    } finally {
      open = true;
      await hub.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => proxy.close(() => r()));
    }
  }, 120_000);
});
