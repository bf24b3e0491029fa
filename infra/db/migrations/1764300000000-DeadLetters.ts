import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Messages the hub could not apply are kept here, whole, for an operator (behind the database's
 * access control); the dead-letter topic carries only a reference, the order number and the
 * reason, so that no citizen data spreads through Kafka. One row per source message.
 */
export class DeadLetters1764300000000 implements MigrationInterface {
  name = 'DeadLetters1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE dead_letter (
      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      source_topic VARCHAR(249) NOT NULL,
      source_partition INT NOT NULL,
      source_offset VARCHAR(20) NOT NULL,
      content_hash CHAR(64) NOT NULL,
      message_key VARCHAR(255) NULL,
      message_value MEDIUMTEXT NULL,
      headers TEXT NULL,
      reason VARCHAR(1000) NOT NULL,
      order_no VARCHAR(32) NULL,
      created_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_dead_letter_source (source_topic, source_partition, source_offset, content_hash),
      KEY idx_dead_letter_order (order_no)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE dead_letter');
  }
}
