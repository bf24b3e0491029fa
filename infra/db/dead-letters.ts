/**
 * Kafka messages the hub refused, kept whole in the database for an operator: the dead-letter
 * topic only points here (id, order number, reason), so personal data never spreads through Kafka.
 */
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { StoredMessage } from '../../usecases/ports.js';

export type { StoredMessage };

export interface DeadLetter {
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  reason: string;
  orderNo: string | null;
  /** Who refused it: `hub`, or the adapter's name. */
  consumer: string;
}

export interface DeadLetterRow {
  id: string;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: string;
  reason: string;
  orderNo: string | null;
  consumer: string | null;
  replayedAt: Date | null;
  createdAt: Date;
}

/** What a replay sends back: the message as it was, and where it came from. */
export class DeadLetterStore {
  constructor(private readonly ds: DataSource) {}

  /**
   * Keeps the message; a redelivery of the same source message returns the first row's id. The
   * same place with other content (offsets start again on a rebuilt cluster) is another message.
   */
  async record(d: DeadLetter): Promise<string> {
    const hash = createHash('sha256').update(`${d.key ?? ''}\u0000${d.value ?? ''}`).digest('hex');
    const r = (await this.ds.query(
      `INSERT INTO dead_letter (source_topic, source_partition, source_offset, content_hash, message_key, message_value, headers, reason, order_no, consumer, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id), reason = VALUES(reason), replayed_at = NULL`,
      [d.sourceTopic, d.sourcePartition, d.sourceOffset, hash, d.key?.slice(0, 255) ?? null, d.value, JSON.stringify(d.headers), d.reason.slice(0, 1000), d.orderNo, d.consumer.slice(0, 60), new Date()],
    )) as { insertId: number | string };
    return String(r.insertId);
  }

  async list(limit: number): Promise<DeadLetterRow[]> {
    const rows = (await this.ds.query(
      'SELECT id, source_topic, source_partition, source_offset, reason, order_no, consumer, replayed_at, created_at FROM dead_letter ORDER BY id DESC LIMIT ?',
      [limit],
    )) as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      id: String(r.id),
      sourceTopic: String(r.source_topic),
      sourcePartition: Number(r.source_partition),
      sourceOffset: String(r.source_offset),
      reason: String(r.reason),
      orderNo: (r.order_no as string | null) ?? null,
      consumer: (r.consumer as string | null) ?? null,
      replayedAt: r.replayed_at ? new Date(r.replayed_at as string) : null,
      createdAt: new Date(r.created_at as string),
    }));
  }

  /** The stored messages to replay: these ids, or every one not replayed yet (--all). Only those that came from Kafka. */
  async forReplay(ids?: string[]): Promise<StoredMessage[]> {
    const rows = (await (ids
      ? this.ds.query('SELECT id, source_topic, message_key, message_value, headers FROM dead_letter WHERE id IN (?) AND source_partition >= 0', [ids])
      : this.ds.query('SELECT id, source_topic, message_key, message_value, headers FROM dead_letter WHERE replayed_at IS NULL AND source_partition >= 0 ORDER BY id'))) as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      id: String(r.id),
      sourceTopic: String(r.source_topic),
      key: (r.message_key as string | null) ?? null,
      value: (r.message_value as string | null) ?? null,
      headers: JSON.parse(String(r.headers ?? '{}')) as Record<string, string>,
    }));
  }

  /** One dead letter as it was refused (its content carries personal data: for an operator mending it). */
  async message(id: string): Promise<(StoredMessage & { reason: string; replayedAt: Date | null }) | null> {
    const [r] = (await this.ds.query('SELECT id, source_topic, message_key, message_value, headers, reason, replayed_at FROM dead_letter WHERE id = ?', [id])) as Array<Record<string, unknown>>;
    if (!r) return null;
    return { id: String(r.id), sourceTopic: String(r.source_topic), key: (r.message_key as string | null) ?? null, value: (r.message_value as string | null) ?? null, headers: JSON.parse(String(r.headers ?? '{}')) as Record<string, string>, reason: String(r.reason), replayedAt: (r.replayed_at as Date | null) ?? null };
  }

  async markReplayed(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.ds.query('UPDATE dead_letter SET replayed_at = ? WHERE id IN (?)', [new Date(), ids]);
  }
}
