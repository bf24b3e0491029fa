import type { MigrationInterface, QueryRunner } from 'typeorm';

/** 疑难件: when an order became a hard case and why (counted apart in the statistics). */
export class HardCases1767300000000 implements MigrationInterface {
  name = 'HardCases1767300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order ADD COLUMN hard_case_at DATETIME(3) NULL AFTER supervised_at, ADD COLUMN hard_case_reason VARCHAR(200) NULL AFTER hard_case_at');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order DROP COLUMN hard_case_reason, DROP COLUMN hard_case_at');
  }
}
