import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 110转12345: each transfer an emergency line sent, once per incident id (a transfer sent again is
 * the same one), with what the transfer list decided: the order made of it, or why it went back.
 * An adapter's delivery of an answer to a declined transfer has no order number.
 */
export class PartnerTransfer1765800000000 implements MigrationInterface {
  name = 'PartnerTransfer1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE partner_transfer (
      partner VARCHAR(32) NOT NULL,
      incident_id VARCHAR(100) NOT NULL,
      item VARCHAR(32) NOT NULL,
      three_way_call VARCHAR(16) NULL,
      accepted BOOLEAN NOT NULL,
      reason VARCHAR(500) NULL,
      order_no VARCHAR(32) NULL,
      received_at DATETIME(3) NOT NULL,
      PRIMARY KEY (partner, incident_id),
      KEY idx_partner_transfer_order (order_no),
      KEY idx_partner_transfer_received (received_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
    await q.query('ALTER TABLE adapter_delivery MODIFY order_no VARCHAR(32) NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DELETE FROM adapter_delivery WHERE order_no IS NULL');
    await q.query('ALTER TABLE adapter_delivery MODIFY order_no VARCHAR(32) NOT NULL');
    await q.query('DROP TABLE partner_transfer');
  }
}
