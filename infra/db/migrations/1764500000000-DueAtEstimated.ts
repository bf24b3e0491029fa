import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An order whose deadline was counted through a year the working-day calendar does not know is flagged. */
export class DueAtEstimated1764500000000 implements MigrationInterface {
  name = 'DueAtEstimated1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order ADD COLUMN due_at_estimated BOOLEAN NOT NULL DEFAULT FALSE');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order DROP COLUMN due_at_estimated');
  }
}
