import type { MigrationInterface, QueryRunner } from 'typeorm';

/** 解决率: a callback records whether the citizen's problem was solved, apart from the satisfaction (null: not asked, as for every callback before). */
export class CallbackResolved1767000000000 implements MigrationInterface {
  name = 'CallbackResolved1767000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order ADD COLUMN resolved TINYINT(1) NULL AFTER satisfaction');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order DROP COLUMN resolved');
  }
}
