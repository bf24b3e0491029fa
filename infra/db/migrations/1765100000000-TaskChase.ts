import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A human task left open past its deadline is chased once, like a unit: when it was. */
export class TaskChase1765100000000 implements MigrationInterface {
  name = 'TaskChase1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE human_task ADD COLUMN chased_at DATETIME(3) NULL, ADD KEY idx_human_task_due (status, due_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE human_task DROP KEY idx_human_task_due, DROP COLUMN chased_at');
  }
}
