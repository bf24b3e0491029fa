/**
 * The retention sweep (infra/db/retention.ts) on MySQL: what goes after its time, what stays
 * whatever its age (unsent, parked and open orders' messages; orders, history, the audit log),
 * and batches that add up. Each row is written where the spine writes it, dated as each case needs.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../infra/config.js';
import { createDataSource, openDataSource } from '../../../infra/db/data-source.js';
import { SqlOrderStore } from '../../../infra/db/orders.js';
import { Retention, retentionPolicy } from '../../../infra/db/retention.js';
import { request } from '../../support/order-store-contract.js';

const config = loadConfig();
const ds = createDataSource(config);
beforeAll(() => openDataSource(ds));
afterAll(() => ds.destroy());

const DAY = 86_400_000;
const now = new Date('2026-12-06T02:00:00Z');
const ago = (days: number) => new Date(now.getTime() - days * DAY);
const policy = { outboxDays: 30, inboxDays: 30, deadLetterDays: 90, trailDays: 365 };
const store = new SqlOrderStore(ds);

async function order(status: string): Promise<string> {
  const { order: o } = await store.register(request(`保留 ${status}`), undefined, 'test', () => []);
  await ds.query('UPDATE work_order SET status = ? WHERE order_no = ?', [status, o.orderNo]);
  return o.orderNo!;
}
async function outbox(orderNo: string | null, sentAt: Date | null, parkedAt: Date | null = null): Promise<string> {
  const id = randomUUID();
  await ds.query(
    "INSERT INTO outbox (id, channel, destination, payload, dedup_key, created_at, sent_at, attempts, aggregate_key, available_at, parked_at) VALUES (?, 'email', 'citizen@example.invalid', '{\"to\":\"张三\"}', ?, ?, ?, 1, ?, ?, ?)",
    [id, `retention:${id}`, ago(400), sentAt, orderNo, ago(400), parkedAt],
  );
  return id;
}
const ids = async (sql: string): Promise<string[]> => ((await ds.query(sql)) as Array<{ id: string }>).map((r) => String(r.id));

describe('the retention sweep (MySQL)', () => {
  it('deletes sent messages of done orders after their time, and keeps unsent, parked and open orders\' ones whatever their age', async () => {
    const [closed, open] = [await order('closed'), await order('dispatched')];
    const gone = [await outbox(closed, ago(31)), await outbox(null, ago(31))];
    const kept = [await outbox(closed, ago(29)), await outbox(open, ago(200)), await outbox(closed, null), await outbox(closed, null, ago(300))];
    const swept = await new Retention(ds).sweep(policy, now);
    expect(swept.outbox).toBe(2);
    const left = await ids(`SELECT id FROM outbox WHERE dedup_key LIKE 'retention:%'`);
    expect(left.sort()).toEqual(kept.sort());
    expect(left).not.toContain(gone[0]);
    // The order and its history are the centre's record: never deleted.
    expect((await store.find(closed))?.status).toBe('closed');
    expect((await store.history(closed)).length).toBeGreaterThan(0);
  });

  it('deletes taken-message ids, dead letters, trail and spent one-time codes after their own times, in batches that add up', async () => {
    for (const hours of [25, 23]) await ds.query("INSERT INTO citizen_code (phone, code_hash, created_at, expires_at) VALUES ('19900000000', ?, ?, ?)", ['c'.repeat(64), new Date(now.getTime() - hours * 3_600_000 - 600_000), new Date(now.getTime() - hours * 3_600_000)]);
    for (let i = 0; i < 7; i++) {
      await ds.query('INSERT INTO inbox (message_id, source, processed_at) VALUES (?, ?, ?)', [`ret-old-${i}`, 'test', ago(31)]);
      await ds.query('INSERT INTO adapter_delivery (adapter, event_id, order_no, attempts, delivered_at) VALUES (?, ?, NULL, 1, ?)', ['retention', randomUUID(), ago(31)]);
    }
    await ds.query('INSERT INTO inbox (message_id, source, processed_at) VALUES (?, ?, ?)', ['ret-new', 'test', ago(29)]);
    await ds.query("INSERT INTO adapter_delivery (adapter, event_id, order_no, attempts, delivered_at) VALUES ('retention', ?, NULL, 1, ?)", [randomUUID(), ago(29)]);
    for (const [offset, days] of [['1', 91], ['2', 89]] as const) {
      await ds.query("INSERT INTO dead_letter (source_topic, source_partition, source_offset, content_hash, message_value, reason, created_at) VALUES ('retention.test', 0, ?, ?, '{\"name\":\"张三\"}', 'bad', ?)", [offset, offset.repeat(64), ago(days)]);
    }
    for (const days of [366, 364]) await ds.query("INSERT INTO order_trail (order_no, kind, component, detail, at) VALUES (NULL, 'kafka-in', 'retention', NULL, ?)", [ago(days)]);
    // Batches of 3: 7 rows take three deletes.
    expect(await new Retention(ds, 3).sweep(policy, now)).toMatchObject({ inbox: 7, adapterDelivery: 7, deadLetter: 1, trail: 1, citizenCode: 1 });
    expect(await ids("SELECT message_id AS id FROM inbox WHERE message_id LIKE 'ret-%'")).toEqual(['ret-new']);
    expect(await ids("SELECT COUNT(*) AS id FROM adapter_delivery WHERE adapter = 'retention'")).toEqual(['1']);
    expect(await ids("SELECT source_offset AS id FROM dead_letter WHERE source_topic = 'retention.test'")).toEqual(['2']);
    expect(await ids("SELECT COUNT(*) AS id FROM order_trail WHERE component = 'retention'")).toEqual(['1']);
    expect(await new Retention(ds, 3).sweep(policy, now), 'a second sweep finds nothing more').toEqual({ outbox: 0, inbox: 0, adapterDelivery: 0, deadLetter: 0, trail: 0, citizenCode: 0 });
  });

  it('reads its times from the RETENTION_* settings', () => {
    expect(retentionPolicy(loadConfig({ RETENTION_OUTBOX_DAYS: '7', RETENTION_TRAIL_DAYS: '30' }))).toEqual({ outboxDays: 7, inboxDays: 30, deadLetterDays: 90, trailDays: 30 });
    expect(() => loadConfig({ RETENTION_INBOX_DAYS: '0' })).toThrow(/RETENTION_INBOX_DAYS/);
  });
});
