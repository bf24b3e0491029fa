import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Orders, their history, the outbox and the inbox. SQL that MySQL 8 and MariaDB 10.11 both run. */
export class CreateOrders1764000000000 implements MigrationInterface {
  name = 'CreateOrders1764000000000';

  async up(q: QueryRunner): Promise<void> {
    const opts = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
    await q.query(`CREATE TABLE work_order (
      id BIGINT NOT NULL AUTO_INCREMENT,
      order_no VARCHAR(32) NULL,
      idempotency_key VARCHAR(128) NULL,
      request_hash CHAR(64) NOT NULL,
      channel VARCHAR(16) NOT NULL,
      type VARCHAR(16) NOT NULL,
      category VARCHAR(64) NOT NULL,
      district VARCHAR(64) NOT NULL,
      title VARCHAR(200) NOT NULL,
      description TEXT NOT NULL,
      address VARCHAR(300) NOT NULL,
      urgent TINYINT(1) NOT NULL,
      citizen_name VARCHAR(100) NOT NULL,
      citizen_phone VARCHAR(32) NOT NULL,
      citizen_confidential TINYINT(1) NOT NULL,
      status VARCHAR(24) NOT NULL,
      handling_mode VARCHAR(32) NULL,
      unit_code VARCHAR(64) NULL,
      due_at DATETIME(3) NULL,
      process_instance_key VARCHAR(32) NULL,
      redo_count INT NOT NULL DEFAULT 0,
      chase_count INT NOT NULL DEFAULT 0,
      satisfaction VARCHAR(24) NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
      PRIMARY KEY (id),
      UNIQUE KEY uq_order_no (order_no),
      UNIQUE KEY uq_order_idempotency (idempotency_key),
      KEY idx_order_status (status, due_at)
    ) ${opts}`);
    await q.query(`CREATE TABLE order_history (
      id BIGINT NOT NULL AUTO_INCREMENT,
      order_no VARCHAR(32) NOT NULL,
      step VARCHAR(32) NOT NULL,
      actor VARCHAR(100) NOT NULL,
      note VARCHAR(1000) NOT NULL,
      detail TEXT NULL,
      dedup_key VARCHAR(191) NULL,
      occurred_at DATETIME(3) NOT NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_history_dedup (dedup_key),
      KEY idx_history_order (order_no, id)
    ) ${opts}`);
    await q.query(`CREATE TABLE outbox (
      id CHAR(36) NOT NULL,
      channel VARCHAR(16) NOT NULL,
      destination VARCHAR(200) NOT NULL,
      message_key VARCHAR(200) NULL,
      payload MEDIUMTEXT NOT NULL,
      dedup_key VARCHAR(191) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      sent_at DATETIME(3) NULL,
      attempts INT NOT NULL DEFAULT 0,
      last_error VARCHAR(1000) NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_outbox_dedup (dedup_key),
      KEY idx_outbox_unsent (sent_at, created_at)
    ) ${opts}`);
    await q.query(`CREATE TABLE inbox (
      message_id VARCHAR(191) NOT NULL,
      source VARCHAR(100) NOT NULL,
      processed_at DATETIME(3) NOT NULL,
      PRIMARY KEY (message_id)
    ) ${opts}`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['inbox', 'outbox', 'order_history', 'work_order']) await q.query(`DROP TABLE ${t}`);
  }
}
