import type { MigrationInterface, QueryRunner } from 'typeorm';

/** 重大事项: the major or public-safety matter an order was found to name at intake, and when it was escalated. */
export class MajorIncidents1767400000000 implements MigrationInterface {
  name = 'MajorIncidents1767400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order ADD COLUMN major_kind VARCHAR(32) NULL AFTER hard_case_reason, ADD COLUMN major_at DATETIME(3) NULL AFTER major_kind');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order DROP COLUMN major_at, DROP COLUMN major_kind');
  }
}
