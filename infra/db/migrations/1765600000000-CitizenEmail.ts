import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Where a citizen asked to be told of the outcome (Open311 and other channels that give one). */
export class CitizenEmail1765600000000 implements MigrationInterface {
  name = 'CitizenEmail1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order ADD COLUMN citizen_email VARCHAR(200) NULL AFTER citizen_phone');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order DROP COLUMN citizen_email');
  }
}
