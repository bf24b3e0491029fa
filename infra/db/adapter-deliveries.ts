/**
 * What each adapter has delivered to its legacy system, by canonical event id: a redelivered event
 * (a rebalance, a crash before the offset commit, a replay) is not sent to the system again.
 */
import type { DataSource } from 'typeorm';

export class AdapterDeliveries {
  constructor(private readonly ds: DataSource) {}

  async delivered(adapter: string, eventId: string): Promise<boolean> {
    const rows = (await this.ds.query('SELECT 1 FROM adapter_delivery WHERE adapter = ? AND event_id = ?', [adapter, eventId])) as unknown[];
    return rows.length > 0;
  }

  async record(adapter: string, eventId: string, orderNo: string | null, attempts: number): Promise<void> {
    await this.ds.query('INSERT IGNORE INTO adapter_delivery (adapter, event_id, order_no, attempts, delivered_at) VALUES (?, ?, ?, ?, ?)', [adapter, eventId, orderNo, attempts, new Date()]);
  }
}
