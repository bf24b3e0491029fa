import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The adapter kit: which canonical events each adapter has delivered to its legacy system (a
 * redelivered event is not sent again), the legacy systems' own ids of orders (a digital city
 * management case, a 110 incident: one order per id), and who dead-lettered a message and whether
 * it was replayed.
 */
export class Adapters1765500000000 implements MigrationInterface {
  name = 'Adapters1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE adapter_delivery (
      adapter VARCHAR(40) NOT NULL,
      event_id CHAR(36) NOT NULL,
      order_no VARCHAR(32) NOT NULL,
      attempts INT NOT NULL,
      delivered_at DATETIME(3) NOT NULL,
      PRIMARY KEY (adapter, event_id),
      KEY idx_adapter_delivery_order (order_no)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
    await q.query(`CREATE TABLE order_external_ref (
      \`system\` VARCHAR(40) NOT NULL,
      external_id VARCHAR(100) NOT NULL,
      order_no VARCHAR(32) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      PRIMARY KEY (\`system\`, external_id),
      KEY idx_order_external_ref_order (order_no)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
    await q.query('ALTER TABLE dead_letter ADD COLUMN consumer VARCHAR(60) NULL AFTER order_no, ADD COLUMN replayed_at DATETIME(3) NULL AFTER consumer');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE dead_letter DROP COLUMN replayed_at, DROP COLUMN consumer');
    await q.query('DROP TABLE order_external_ref');
    await q.query('DROP TABLE adapter_delivery');
  }
}
