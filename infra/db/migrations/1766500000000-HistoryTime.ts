import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * order_history by time: the step-latency gauge that every /metrics scrape reads (the last
 * hour's entries) found them by scanning the whole table, which only grows.
 */
export class HistoryTime1766500000000 implements MigrationInterface {
  name = 'HistoryTime1766500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX idx_history_occurred ON order_history (occurred_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX idx_history_occurred ON order_history');
  }
}
