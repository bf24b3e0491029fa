import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The delivery spine: outbox rows get a claim (lease), a backoff, a parked state, a sequence and
 * the key of the order they belong to (per-key order); orders get a correlation id that is unique
 * across every database one Zeebe broker serves. Existing rows keep working: old outbox rows are
 * due at once, old orders get a random correlation id.
 */
export class SpineOutbox1764100000000 implements MigrationInterface {
  name = 'SpineOutbox1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox
      ADD COLUMN seq BIGINT NOT NULL AUTO_INCREMENT UNIQUE,
      ADD COLUMN aggregate_key VARCHAR(64) NULL,
      ADD COLUMN available_at DATETIME(3) NULL,
      ADD COLUMN claimed_by VARCHAR(100) NULL,
      ADD COLUMN lease_until DATETIME(3) NULL,
      ADD COLUMN parked_at DATETIME(3) NULL`);
    await q.query('UPDATE outbox SET available_at = created_at, aggregate_key = message_key WHERE available_at IS NULL');
    await q.query('ALTER TABLE outbox MODIFY available_at DATETIME(3) NOT NULL');
    await q.query('ALTER TABLE outbox DROP INDEX idx_outbox_unsent');
    await q.query('CREATE INDEX idx_outbox_due ON outbox (channel, sent_at, seq)');
    await q.query('CREATE INDEX idx_outbox_key ON outbox (channel, aggregate_key, sent_at, seq)');
    await q.query('ALTER TABLE work_order ADD COLUMN correlation_id CHAR(36) NULL');
    await q.query('UPDATE work_order SET correlation_id = UUID() WHERE correlation_id IS NULL');
    await q.query('ALTER TABLE work_order MODIFY correlation_id CHAR(36) NOT NULL, ADD UNIQUE KEY uq_order_correlation (correlation_id)');
    // The hub writes every timestamp itself, in UTC; the server's clock and zone play no part.
    await q.query('ALTER TABLE work_order MODIFY created_at DATETIME(3) NOT NULL, MODIFY updated_at DATETIME(3) NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order MODIFY created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), MODIFY updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)');
    await q.query('ALTER TABLE work_order DROP INDEX uq_order_correlation, DROP COLUMN correlation_id');
    await q.query('DROP INDEX idx_outbox_key ON outbox');
    await q.query('DROP INDEX idx_outbox_due ON outbox');
    await q.query('CREATE INDEX idx_outbox_unsent ON outbox (sent_at, created_at)');
    await q.query('ALTER TABLE outbox DROP COLUMN seq, DROP COLUMN aggregate_key, DROP COLUMN available_at, DROP COLUMN claimed_by, DROP COLUMN lease_until, DROP COLUMN parked_at');
  }
}
