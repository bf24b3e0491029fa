import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The retention sweep (infra/db/retention.ts) finds old rows by time, not by scanning each table. */
export class RetentionIndexes1766600000000 implements MigrationInterface {
  name = 'RetentionIndexes1766600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX idx_inbox_processed ON inbox (processed_at)');
    await q.query('CREATE INDEX idx_adapter_delivery_at ON adapter_delivery (delivered_at)');
    await q.query('CREATE INDEX idx_dead_letter_created ON dead_letter (created_at)');
    await q.query('CREATE INDEX idx_order_trail_at ON order_trail (at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX idx_order_trail_at ON order_trail');
    await q.query('DROP INDEX idx_dead_letter_created ON dead_letter');
    await q.query('DROP INDEX idx_adapter_delivery_at ON adapter_delivery');
    await q.query('DROP INDEX idx_inbox_processed ON inbox');
  }
}
