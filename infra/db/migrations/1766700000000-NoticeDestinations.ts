import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The notices one destination got in the last day (domain/notices.ts's daily limit), counted at each intake and close without a scan. */
export class NoticeDestinations1766700000000 implements MigrationInterface {
  name = 'NoticeDestinations1766700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX idx_outbox_destination ON outbox (destination, created_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX idx_outbox_destination ON outbox');
  }
}
