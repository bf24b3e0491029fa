import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The trace context an outbox row was made in (W3C traceparent), so that the Kafka event it
 * becomes carries the order's trace on to the adapters (infra/tracing.ts). Empty when nothing is
 * traced.
 */
export class OutboxTrace1766100000000 implements MigrationInterface {
  name = 'OutboxTrace1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE outbox ADD COLUMN trace_parent VARCHAR(64) NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE outbox DROP COLUMN trace_parent');
  }
}
