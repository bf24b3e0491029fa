import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 附件: an order's files (the bytes, within ATTACHMENT_MAX_BYTES, or an app's link), who added
 * them, and for a unit's the reply they went with and the leader who signed it off.
 */
export class Attachments1767800000000 implements MigrationInterface {
  name = 'Attachments1767800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE order_attachment (
      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      order_no VARCHAR(32) NOT NULL,
      kind VARCHAR(16) NOT NULL,
      name VARCHAR(120) NOT NULL,
      content_type VARCHAR(64) NULL,
      size INT NULL,
      sha256 CHAR(64) NULL,
      data LONGBLOB NULL,
      url VARCHAR(500) NULL,
      unit_code VARCHAR(64) NULL,
      added_by VARCHAR(100) NOT NULL,
      reply_id VARCHAR(64) NULL,
      signed_off_by VARCHAR(50) NULL,
      created_at DATETIME(3) NOT NULL,
      KEY idx_attachment_order (order_no, id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE order_attachment');
  }
}
