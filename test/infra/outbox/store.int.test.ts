import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../infra/config.js';
import { createDataSource, openDataSource } from '../../../infra/db/data-source.js';
import { OutboxStore } from '../../../infra/outbox/store.js';

// Rows on a channel no relay serves, so that a hub running elsewhere never takes them.
const CHANNEL = 'test' as never;
const ds = createDataSource(loadConfig());
beforeAll(() => openDataSource(ds));
afterAll(async () => {
  await ds.query('DELETE FROM outbox WHERE channel = ?', [CHANNEL]);
  await ds.destroy();
});

async function insert(key: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = randomUUID();
    ids.push(id);
    await ds.query(
      'INSERT INTO outbox (id, channel, destination, message_key, aggregate_key, payload, dedup_key, created_at, available_at, attempts) VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, 0)',
      [id, CHANNEL, 'nowhere', key, '{}', `test:${id}`, new Date(), new Date()],
    );
  }
  return ids;
}

const policy = { initialMs: 60_000, factor: 2, maxMs: 60_000, jitter: 0, maxAttempts: 2 };

describe('outbox store (MySQL)', () => {
  it('gives two relays claiming at once disjoint rows, at most one per order, oldest first', async () => {
    await ds.query('DELETE FROM outbox WHERE channel = ?', [CHANNEL]);
    const keys = Array.from({ length: 10 }, () => `GD-test-${randomUUID().slice(0, 8)}`);
    const firstOfKey = new Map<string, string>();
    for (const k of keys) firstOfKey.set(k, (await insert(k, 3))[0]!);
    const a = new OutboxStore(ds, 'relay-a');
    const b = new OutboxStore(ds, 'relay-b');
    const [ra, rb] = await Promise.all([a.claim(CHANNEL, 50, 30_000), b.claim(CHANNEL, 50, 30_000)]);
    const ids = [...ra, ...rb].map((r) => r.id);
    expect(new Set(ids).size, 'no row claimed twice').toBe(ids.length);
    expect(ids.sort()).toEqual([...firstOfKey.values()].sort());
    // The leases hold: nothing more is due until those rows are sent.
    expect(await a.claim(CHANNEL, 50, 30_000)).toEqual([]);
    await a.markSent(ra.map((r) => r.id));
    await b.markSent(rb.map((r) => r.id));
    const next = await a.claim(CHANNEL, 50, 30_000);
    expect(next).toHaveLength(10);
    for (const r of next) expect(r.seq > [...ra, ...rb].find((x) => x.aggregateKey === r.aggregateKey)!.seq).toBe(true);
    await a.markSent(next.map((r) => r.id));
  });

  it('comes back when the receiver said, without parking the row however often, until a failure is permanent', async () => {
    await ds.query('DELETE FROM outbox WHERE channel = ?', [CHANNEL]);
    const [early] = await insert('GD-test-early', 1);
    const s = new OutboxStore(ds, 'relay-a');
    let at = new Date();
    for (let i = 0; i < 5; i++) {
      const [row] = await s.claim(CHANNEL, 10, 30_000, at);
      expect(row?.id, `try ${i + 1}`).toBe(early);
      // More tries than the policy allows (2): an instance that is not waiting yet parks nothing.
      expect(await s.markFailed(row!, 'not waiting yet', policy, false, at, 1000)).toBe('retry');
      expect(await s.claim(CHANNEL, 10, 30_000, new Date(at.getTime() + 500)), 'not due before the second is up').toEqual([]);
      at = new Date(at.getTime() + 1001);
    }
    const [last] = await s.claim(CHANNEL, 10, 30_000, at);
    expect(await s.markFailed(last!, 'too late', policy, true, at, 1000)).toBe('parked');
  });

  it('backs a failed row off, parks it after its last attempt, holds its order behind it, and replays it', async () => {
    await ds.query('DELETE FROM outbox WHERE channel = ?', [CHANNEL]);
    const [bad, behind] = await insert('GD-test-bad', 2);
    const [other] = await insert('GD-test-other', 1);
    const s = new OutboxStore(ds, 'relay-a');
    const first = await s.claim(CHANNEL, 10, 30_000);
    expect(first.map((r) => r.id).sort()).toEqual([bad, other].sort());
    expect(await s.markFailed(first.find((r) => r.id === bad)!, 'refused', policy, false)).toBe('retry');
    await s.markSent([other!]);
    // Backed off a minute: nothing is due, and the row behind it waits for it.
    expect(await s.claim(CHANNEL, 10, 30_000)).toEqual([]);
    const later = new Date(Date.now() + 61_000);
    const again = await s.claim(CHANNEL, 10, 30_000, later);
    expect(again.map((r) => r.id)).toEqual([bad]);
    expect(await s.markFailed(again[0]!, 'refused again', policy, false, later)).toBe('parked');
    expect(await s.claim(CHANNEL, 10, 30_000, new Date(Date.now() + 3600_000)), 'a parked row is not retried and still holds its order').toEqual([]);
    expect((await s.parked()).map((r) => r.id)).toContain(bad);
    expect(await s.replay([bad!])).toBe(1);
    const replayed = await s.claim(CHANNEL, 10, 30_000);
    expect(replayed.map((r) => [r.id, r.attempts])).toEqual([[bad, 0]]);
    await s.markSent([bad!]);
    expect((await s.claim(CHANNEL, 10, 30_000)).map((r) => r.id)).toEqual([behind]);
  });

  it('records a failure only while the relay still holds the row: past its lease, the one that took it over keeps it', async () => {
    await ds.query('DELETE FROM outbox WHERE channel = ?', [CHANNEL]);
    const [id] = await insert(`GD-test-${randomUUID().slice(0, 8)}`, 1);
    const a = new OutboxStore(ds, 'relay-a');
    const b = new OutboxStore(ds, 'relay-b');
    const t0 = new Date();
    const [row] = await a.claim(CHANNEL, 10, 1_000, t0);
    // a's slow mail server outlasts its lease; b takes the row over and is sending it.
    const [again] = await b.claim(CHANNEL, 10, 30_000, new Date(t0.getTime() + 2_000));
    expect(again!.id).toBe(id);
    expect(await a.markFailed(row!, 'timed out', policy, false)).toBe('not-held');
    const held = (await ds.query('SELECT claimed_by AS c, attempts FROM outbox WHERE id = ?', [id])) as Array<{ c: string; attempts: number }>;
    expect(held).toEqual([{ c: 'relay-b', attempts: 0 }]);
    // Nobody else can take it while b holds it; b's outcome is recorded.
    expect(await new OutboxStore(ds, 'relay-c').claim(CHANNEL, 10, 30_000, new Date(t0.getTime() + 3_000))).toEqual([]);
    expect(await b.markFailed(again!, 'refused', policy, false)).toBe('retry');
  });
});
