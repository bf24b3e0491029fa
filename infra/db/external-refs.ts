/** Legacy systems' own ids of orders (a case or an incident id): one order's each. */
import type { DataSource } from 'typeorm';
import type { ExternalRefs } from '../../usecases/ports.js';

export class SqlExternalRefs implements ExternalRefs {
  constructor(private readonly ds: DataSource) {}

  /**
   * Keeps a legacy system's own id of an order (its case or incident id). An id is one order's:
   * false when it belongs to another order already.
   */
  async linkExternal(orderNo: string, ref: { system: string; id: string }): Promise<boolean> {
    await this.ds.query('INSERT IGNORE INTO order_external_ref (`system`, external_id, order_no, created_at) VALUES (?, ?, ?, ?)', [ref.system, ref.id, orderNo, new Date()]);
    return (await this.findByExternal(ref.system, ref.id)) === orderNo;
  }

  /** The order a legacy system's id belongs to, or null. */
  async findByExternal(system: string, id: string): Promise<string | null> {
    const rows = (await this.ds.query('SELECT order_no FROM order_external_ref WHERE `system` = ? AND external_id = ?', [system, id])) as Array<{ order_no: string }>;
    return rows[0]?.order_no ?? null;
  }

  /** The legacy systems' ids of one order. */
  async externalRefs(orderNo: string): Promise<Array<{ system: string; id: string }>> {
    const rows = (await this.ds.query('SELECT `system`, external_id FROM order_external_ref WHERE order_no = ? ORDER BY created_at', [orderNo])) as Array<{ system: string; external_id: string }>;
    return rows.map((r) => ({ system: r.system, id: r.external_id }));
  }
}
