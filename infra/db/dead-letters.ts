/**
 * Kafka messages the hub refused, kept whole in the database for an operator: the dead-letter
 * topic only points here (id, order number, reason), so personal data never spreads through Kafka.
 */
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

export interface DeadLetter {
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  reason: string;
  orderNo: string | null;
}

export interface DeadLetterRow {
  id: string;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: string;
  reason: string;
  orderNo: string | null;
  createdAt: Date;
}

export class DeadLetterStore {
  constructor(private readonly ds: DataSource) {}

  /**
   * Keeps the message; a redelivery of the same source message returns the first row's id. The
   * same place with other content (offsets start again on a rebuilt cluster) is another message.
   */
  async record(d: DeadLetter): Promise<string> {
    const hash = createHash('sha256').update(`${d.key ?? ''}\u0000${d.value ?? ''}`).digest('hex');
    const r = (await this.ds.query(
      `INSERT INTO dead_letter (source_topic, source_partition, source_offset, content_hash, message_key, message_value, headers, reason, order_no, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)`,
      [d.sourceTopic, d.sourcePartition, d.sourceOffset, hash, d.key?.slice(0, 255) ?? null, d.value, JSON.stringify(d.headers), d.reason.slice(0, 1000), d.orderNo, new Date()],
    )) as { insertId: number | string };
    return String(r.insertId);
  }

  async list(limit: number): Promise<DeadLetterRow[]> {
    const rows = (await this.ds.query(
      'SELECT id, source_topic, source_partition, source_offset, reason, order_no, created_at FROM dead_letter ORDER BY id DESC LIMIT ?',
      [limit],
    )) as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      id: String(r.id),
      sourceTopic: String(r.source_topic),
      sourcePartition: Number(r.source_partition),
      sourceOffset: String(r.source_offset),
      reason: String(r.reason),
      orderNo: (r.order_no as string | null) ?? null,
      createdAt: new Date(r.created_at as string),
    }));
  }
}
