import type { MigrationInterface, QueryRunner } from 'typeorm';

/** 主办/协办: the units helping the lead on the current dispatch; each sees the order and answers its part. */
export class CoHandling1765300000000 implements MigrationInterface {
  name = 'CoHandling1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order ADD COLUMN helper_units VARCHAR(500) NULL AFTER sub_unit_code');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order DROP COLUMN helper_units');
  }
}
