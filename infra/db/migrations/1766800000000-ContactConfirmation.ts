import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A citizen's contact details are written to only once confirmed (domain/notices.ts): the phone
 * when the citizen gave it to a call-taker or a callback reached them, the e-mail address by the
 * link in the confirmation mail (its token kept as a SHA-256 hash). Orders taken before this were
 * written to as they were: their contacts count as confirmed when taken.
 */
export class ContactConfirmation1766800000000 implements MigrationInterface {
  name = 'ContactConfirmation1766800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE work_order
      ADD COLUMN citizen_phone_confirmed_at DATETIME(3) NULL AFTER citizen_email,
      ADD COLUMN citizen_email_confirmed_at DATETIME(3) NULL AFTER citizen_phone_confirmed_at,
      ADD COLUMN citizen_email_token CHAR(64) NULL AFTER citizen_email_confirmed_at,
      ADD KEY idx_work_order_email_token (citizen_email_token)`);
    await q.query('UPDATE work_order SET citizen_phone_confirmed_at = created_at, citizen_email_confirmed_at = IF(citizen_email IS NULL, NULL, created_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order DROP KEY idx_work_order_email_token, DROP COLUMN citizen_email_token, DROP COLUMN citizen_email_confirmed_at, DROP COLUMN citizen_phone_confirmed_at');
  }
}
