import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What handling an order adds (签收, 催办/督办, 退单, 延期): the dispatch sequence that keys a
 * unit's messages to one dispatch, the acknowledgement, counters of returns and extensions, the
 * supervision flag, the version of the dispatch catalogue that picked the unit; and the human
 * tasks (re-dispatch, return review, extension approval) that the API lists per role and unit.
 */
export class Handling1764600000000 implements MigrationInterface {
  name = 'Handling1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE work_order
      ADD COLUMN dispatch_seq INT NOT NULL DEFAULT 0,
      ADD COLUMN acknowledged_at DATETIME(3) NULL,
      ADD COLUMN return_count INT NOT NULL DEFAULT 0,
      ADD COLUMN extension_count INT NOT NULL DEFAULT 0,
      ADD COLUMN supervised_at DATETIME(3) NULL,
      ADD COLUMN catalogue_version VARCHAR(64) NULL`);
    await q.query(`CREATE TABLE human_task (
      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      order_no VARCHAR(32) NOT NULL,
      kind VARCHAR(32) NOT NULL,
      role VARCHAR(24) NOT NULL,
      unit_code VARCHAR(64) NULL,
      status VARCHAR(16) NOT NULL,
      detail TEXT NULL,
      dedup_key VARCHAR(191) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      due_at DATETIME(3) NULL,
      completed_at DATETIME(3) NULL,
      completed_by VARCHAR(100) NULL,
      outcome TEXT NULL,
      UNIQUE KEY uq_human_task_dedup (dedup_key),
      KEY idx_human_task_open (status, role, kind),
      KEY idx_human_task_order (order_no)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE human_task');
    await q.query(`ALTER TABLE work_order DROP COLUMN dispatch_seq, DROP COLUMN acknowledged_at, DROP COLUMN return_count,
      DROP COLUMN extension_count, DROP COLUMN supervised_at, DROP COLUMN catalogue_version`);
  }
}
