import type { MigrationInterface, QueryRunner } from 'typeorm';

/** 重复件: a repeat call is a row of its own (counted), linked to the open order it repeats, which counts its repeats. */
export class Repeats1764800000000 implements MigrationInterface {
  name = 'Repeats1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE work_order
      ADD COLUMN merged_into VARCHAR(32) NULL,
      ADD COLUMN repeat_count INT NOT NULL DEFAULT 0,
      ADD KEY idx_work_order_repeat (citizen_phone, category, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order DROP KEY idx_work_order_repeat, DROP COLUMN merged_into, DROP COLUMN repeat_count');
  }
}
