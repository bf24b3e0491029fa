import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 重复件 across callers: where the request is on the map (an app's or Open311's point, when given),
 * and the open orders of one category and district looked up by time, whoever called.
 */
export class RepeatPlaces1767700000000 implements MigrationInterface {
  name = 'RepeatPlaces1767700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE work_order
      ADD COLUMN lat DECIMAL(9,6) NULL AFTER address,
      ADD COLUMN lng DECIMAL(9,6) NULL AFTER lat,
      ADD KEY idx_work_order_matter (category, district, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order DROP KEY idx_work_order_matter, DROP COLUMN lng, DROP COLUMN lat');
  }
}
