import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 通报: a circular the centre drafts from the facts (units chased twice or more and still not
 * handling, the last ranked) and a supervisor approves; once sent it is never changed. The orders
 * it names get a history step each; its mails go through the outbox under its number.
 */
export class Circulars1767100000000 implements MigrationInterface {
  name = 'Circulars1767100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE circular (
      id BIGINT NOT NULL AUTO_INCREMENT,
      status VARCHAR(16) NOT NULL,
      title VARCHAR(200) NOT NULL,
      body TEXT NOT NULL,
      facts MEDIUMTEXT NOT NULL,
      period_label VARCHAR(40) NOT NULL,
      drafted_by VARCHAR(100) NOT NULL,
      drafted_at DATETIME(3) NOT NULL,
      edited_by VARCHAR(100) NULL,
      edited_at DATETIME(3) NULL,
      approved_by VARCHAR(100) NULL,
      approved_at DATETIME(3) NULL,
      circular_no VARCHAR(40) NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_circular_no (circular_no),
      KEY idx_circular_status (status, drafted_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    // The year's last circular number: its row lock, held until the sending commits, numbers them one by one.
    await q.query(`CREATE TABLE circular_counter (
      year SMALLINT NOT NULL,
      last_no INT NOT NULL,
      PRIMARY KEY (year)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE circular_counter');
    await q.query('DROP TABLE circular');
  }
}
