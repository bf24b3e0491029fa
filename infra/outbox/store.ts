/**
 * The outbox table as a queue that any number of hub processes share (graphile-worker's way, on
 * MySQL 8 / MariaDB 10.6+): a relay claims due rows with SELECT ... FOR UPDATE SKIP LOCKED and
 * takes a lease on them, so no two relays hold one row; a row waits while an older unsent row of
 * its channel and order exists (per-order order); a failed row is pushed out by the retry policy
 * and parked after its last attempt, kept for a person to look at and replay.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { OutboxChannel, OutboxRow } from '../db/entities.js';
import { retryDelayMs, shouldPark, type RetryPolicy } from './retry-policy.js';

const COLUMNS = `id, seq, channel, destination, message_key AS messageKey, aggregate_key AS aggregateKey, payload,
  dedup_key AS dedupKey, created_at AS createdAt, available_at AS availableAt, claimed_by AS claimedBy,
  lease_until AS leaseUntil, sent_at AS sentAt, parked_at AS parkedAt, attempts, last_error AS lastError, trace_parent AS traceParent`;

export interface OutboxCounts {
  channel: string;
  pending: number;
  parked: number;
  oldestPendingAt: Date | null;
}

export class OutboxStore {
  constructor(
    private readonly ds: DataSource,
    /** Who claims: written into claimed_by (host, pid and a random part). */
    readonly owner: string,
  ) {}

  /** Claims up to `limit` due rows of a channel, oldest first, at most one per order. */
  async claim(channel: OutboxChannel, limit: number, leaseMs: number, now = new Date()): Promise<OutboxRow[]> {
    // READ COMMITTED: the scan takes no gap locks, so it never blocks a step inserting new rows.
    return this.ds.transaction('READ COMMITTED', async (em) => {
      const ids = (await em.query(
        `SELECT o.id FROM outbox o
          WHERE o.channel = ? AND o.sent_at IS NULL AND o.parked_at IS NULL AND o.available_at <= ?
            AND (o.lease_until IS NULL OR o.lease_until < ?)
            AND NOT EXISTS (SELECT 1 FROM outbox p
                             WHERE p.channel = o.channel AND p.aggregate_key = o.aggregate_key
                               AND p.sent_at IS NULL AND p.seq < o.seq)
          ORDER BY o.seq LIMIT ${Number(limit)} FOR UPDATE SKIP LOCKED`,
        [channel, now, now],
      )) as Array<{ id: string }>;
      if (ids.length === 0) return [];
      const list = ids.map((r) => r.id);
      await em.query('UPDATE outbox SET claimed_by = ?, lease_until = ? WHERE id IN (?)', [this.owner, new Date(now.getTime() + leaseMs), list]);
      const rows = (await em.query(`SELECT ${COLUMNS} FROM outbox WHERE id IN (?) ORDER BY seq`, [list])) as OutboxRow[];
      return rows.map((r) => ({ ...r, attempts: Number(r.attempts), seq: String(r.seq) }));
    });
  }

  async markSent(ids: string[], now = new Date()): Promise<void> {
    if (ids.length === 0) return;
    await this.ds.query('UPDATE outbox SET sent_at = ?, claimed_by = NULL, lease_until = NULL, last_error = NULL WHERE id IN (?) AND sent_at IS NULL', [now, ids]);
  }

  /**
   * Records a failed attempt: the row is due again after the policy's delay, or parked. With
   * `retryInMs` (the receiver said when to come back) it is due then, and is parked only when
   * the failure is permanent. Only while this relay holds the row: once its lease ran out another
   * relay may be sending it, and freeing the row would let a third one take it too ('not-held').
   * (A delivery is marked sent whoever holds the row: it happened, and the mark stops further copies.)
   */
  async markFailed(row: Pick<OutboxRow, 'id' | 'attempts'>, error: string, policy: RetryPolicy, permanent: boolean, now = new Date(), retryInMs?: number): Promise<'retry' | 'parked' | 'not-held'> {
    const attempts = row.attempts + 1;
    const park = permanent || (retryInMs === undefined && shouldPark(policy, attempts));
    const delay = park ? 0 : (retryInMs ?? retryDelayMs(policy, attempts));
    const result = (await this.ds.query(
      'UPDATE outbox SET attempts = ?, last_error = ?, claimed_by = NULL, lease_until = NULL, available_at = ?, parked_at = ? WHERE id = ? AND sent_at IS NULL AND claimed_by = ?',
      [attempts, error.slice(0, 1000), new Date(now.getTime() + delay), park ? now : null, row.id, this.owner],
    )) as { affectedRows?: number };
    if (result.affectedRows === 0) return 'not-held';
    return park ? 'parked' : 'retry';
  }

  /** Gives unsent claimed rows back at once (on shutdown), without counting an attempt. */
  async release(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.ds.query('UPDATE outbox SET claimed_by = NULL, lease_until = NULL WHERE id IN (?) AND claimed_by = ? AND sent_at IS NULL', [ids, this.owner]);
  }

  parked(limit = 100): Promise<OutboxRow[]> {
    return this.ds.query(`SELECT ${COLUMNS} FROM outbox WHERE parked_at IS NOT NULL AND sent_at IS NULL ORDER BY seq LIMIT ${Number(limit)}`);
  }

  /** Puts parked rows back in the queue with a fresh count of attempts: all, or those named. */
  async replay(ids?: string[], now = new Date()): Promise<number> {
    const where = ids ? 'AND id IN (?)' : '';
    const r = (await this.ds.query(
      `UPDATE outbox SET parked_at = NULL, attempts = 0, available_at = ?, claimed_by = NULL, lease_until = NULL WHERE parked_at IS NOT NULL AND sent_at IS NULL ${where}`,
      ids ? [now, ids] : [now],
    )) as { affectedRows?: number };
    return r.affectedRows ?? 0;
  }

  /**
   * Re-publishes a message already sent (to the engine, or to Kafka) that its receiver did not
   * take: a copy goes in the queue as a new row. An engine message gets a new message id (Zeebe
   * refuses a repeat of a buffered one, and its correlation key still names the one wait it is
   * for); a Kafka event keeps its event id, so a consumer that had it applies it once. Resolves
   * with the new row's id, or null when there is no such sent row.
   */
  async republish(id: string, now = new Date()): Promise<string | null> {
    const [row] = (await this.ds.query("SELECT channel, destination, message_key AS messageKey, aggregate_key AS aggregateKey, payload, dedup_key AS dedupKey FROM outbox WHERE id = ? AND sent_at IS NOT NULL AND channel IN ('engine', 'kafka')", [id])) as Array<Pick<OutboxRow, 'channel' | 'destination' | 'messageKey' | 'aggregateKey' | 'payload' | 'dedupKey'>>;
    if (!row) return null;
    const newId = randomUUID();
    const tag = `again:${newId.slice(0, 8)}`;
    let payload = row.payload;
    if (row.channel === 'engine') {
      const p = JSON.parse(row.payload) as { messageId: string };
      payload = JSON.stringify({ ...p, messageId: `${p.messageId}:${tag}` });
    }
    await this.ds.query(
      'INSERT INTO outbox (id, channel, destination, message_key, aggregate_key, payload, dedup_key, created_at, available_at, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)',
      [newId, row.channel, row.destination, row.messageKey, row.aggregateKey, payload, `${row.dedupKey.slice(0, 170)}:${tag}`, now, now],
    );
    return newId;
  }

  async counts(): Promise<OutboxCounts[]> {
    const rows = (await this.ds.query(
      `SELECT channel, SUM(parked_at IS NULL) AS pending, SUM(parked_at IS NOT NULL) AS parked, MIN(CASE WHEN parked_at IS NULL THEN created_at END) AS oldest
         FROM outbox WHERE sent_at IS NULL GROUP BY channel ORDER BY channel`,
    )) as Array<{ channel: string; pending: string; parked: string; oldest: Date | null }>;
    return rows.map((r) => ({ channel: r.channel, pending: Number(r.pending), parked: Number(r.parked), oldestPendingAt: r.oldest }));
  }
}
