import type { MigrationInterface, QueryRunner } from 'typeorm';

/** 紧急件: when the unit confirmed it was on site. */
export class Urgent1765400000000 implements MigrationInterface {
  name = 'Urgent1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order ADD COLUMN on_site_at DATETIME(3) NULL AFTER acknowledged_at');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order DROP COLUMN on_site_at');
  }
}
