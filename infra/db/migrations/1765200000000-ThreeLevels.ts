import type { MigrationInterface, QueryRunner } from 'typeorm';

/** 三级网络: the street (level 3) a district sent an order on to; a street lists its orders by it. */
export class ThreeLevels1765200000000 implements MigrationInterface {
  name = 'ThreeLevels1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order ADD COLUMN sub_unit_code VARCHAR(64) NULL AFTER unit_code, ADD KEY idx_work_order_sub_unit (sub_unit_code)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order DROP KEY idx_work_order_sub_unit, DROP COLUMN sub_unit_code');
  }
}
