import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hub's own trail of what each order went through outside its history: each job a worker
 * finished (completed, failed with its error, ended in an incident, or a business outcome) and
 * each event the hub read from Kafka. Written as the work happens, for operators (hub trace,
 * hub stuck): a bare broker has no query API, and Operate is not free in production.
 */
export class OrderTrail1765900000000 implements MigrationInterface {
  name = 'OrderTrail1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE order_trail (
      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      order_no VARCHAR(32) NULL,
      kind VARCHAR(24) NOT NULL,
      component VARCHAR(64) NOT NULL,
      element_instance_key VARCHAR(100) NULL,
      detail TEXT NULL,
      at DATETIME(3) NOT NULL,
      KEY idx_order_trail_order (order_no, id),
      KEY idx_order_trail_kind (kind, at),
      KEY idx_order_trail_element (element_instance_key)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE order_trail');
  }
}
