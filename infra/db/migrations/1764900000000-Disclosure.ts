import type { MigrationInterface, QueryRunner } from 'typeorm';

/** 政务公开: a closed order the centre publishes, with the anonymised texts the public reads. */
export class Disclosure1764900000000 implements MigrationInterface {
  name = 'Disclosure1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE work_order
      ADD COLUMN published_at DATETIME(3) NULL,
      ADD COLUMN published_by VARCHAR(100) NULL,
      ADD COLUMN public_summary TEXT NULL,
      ADD COLUMN public_answer TEXT NULL,
      ADD KEY idx_work_order_published (published_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order DROP KEY idx_work_order_published, DROP COLUMN published_at, DROP COLUMN published_by, DROP COLUMN public_summary, DROP COLUMN public_answer');
  }
}
