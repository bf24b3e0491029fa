import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A Camunda 7 engine names its process instances with UUIDs (36 characters), Zeebe with numbers. */
export class EngineNeutralKeys1764400000000 implements MigrationInterface {
  name = 'EngineNeutralKeys1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order MODIFY process_instance_key VARCHAR(64) NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order MODIFY process_instance_key VARCHAR(32) NULL');
  }
}
