import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 紧急联动: the emergency the call-taker found (police, fire, medical, traffic, or unclear), the
 * outcome of the three-way call when it was unclear, and the emergency line the order went to.
 */
export class Emergency1765700000000 implements MigrationInterface {
  name = 'Emergency1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order ADD COLUMN emergency_kind VARCHAR(16) NULL, ADD COLUMN three_way_call VARCHAR(16) NULL, ADD COLUMN partner_code VARCHAR(32) NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order DROP COLUMN partner_code, DROP COLUMN three_way_call, DROP COLUMN emergency_kind');
  }
}
