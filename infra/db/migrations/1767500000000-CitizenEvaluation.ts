import type { MigrationInterface, QueryRunner } from 'typeorm';

/** 一事一评: the citizen's own evaluation of a closed order (five levels), once, with an optional comment. */
export class CitizenEvaluation1767500000000 implements MigrationInterface {
  name = 'CitizenEvaluation1767500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order ADD COLUMN citizen_rating TINYINT NULL AFTER resolved, ADD COLUMN citizen_rated_at DATETIME(3) NULL AFTER citizen_rating, ADD COLUMN citizen_comment VARCHAR(500) NULL AFTER citizen_rated_at');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order DROP COLUMN citizen_comment, DROP COLUMN citizen_rated_at, DROP COLUMN citizen_rating');
  }
}
