import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the statistics count without walking every order's history: when the unit's last answer
 * came (on time is "by its deadline") and when the order closed. Orders from before are filled in
 * from their history.
 */
export class Statistics1764700000000 implements MigrationInterface {
  name = 'Statistics1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order ADD COLUMN replied_at DATETIME(3) NULL, ADD COLUMN closed_at DATETIME(3) NULL, ADD KEY idx_work_order_created (created_at)');
    await q.query(`UPDATE work_order w SET
      replied_at = (SELECT MAX(h.occurred_at) FROM order_history h WHERE h.order_no = w.order_no AND h.step = 'reply'),
      closed_at = (SELECT MAX(h.occurred_at) FROM order_history h WHERE h.order_no = w.order_no AND h.step = 'close')
      WHERE w.order_no IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order DROP KEY idx_work_order_created, DROP COLUMN replied_at, DROP COLUMN closed_at');
  }
}
