import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Open311 reads are the submitting application's only: a request is kept under
 * "open311:<adapter>" instead of one "open311" for every application. The system column grows
 * to hold an adapter's name (64); a request already taken goes to the adapter whose key took it
 * (its first "integration:<adapter>" history entry); one with no such entry stays under "open311",
 * where no application reads it.
 */
export class Open311Submitter1766400000000 implements MigrationInterface {
  name = 'Open311Submitter1766400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE order_external_ref MODIFY `system` VARCHAR(80) NOT NULL');
    await q.query(`UPDATE order_external_ref r
      JOIN (SELECT h.order_no, SUBSTRING(MIN(CONCAT(LPAD(h.id, 20, '0'), h.actor)), 21 + CHAR_LENGTH('integration:')) AS adapter
              FROM order_history h JOIN order_external_ref e ON e.order_no = h.order_no AND e.\`system\` = 'open311'
             WHERE h.actor LIKE 'integration:%' GROUP BY h.order_no) first ON first.order_no = r.order_no
       SET r.\`system\` = CONCAT('open311:', first.adapter)
     WHERE r.\`system\` = 'open311'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("UPDATE order_external_ref SET `system` = 'open311' WHERE `system` LIKE 'open311:%'");
    await q.query('ALTER TABLE order_external_ref MODIFY `system` VARCHAR(40) NOT NULL');
  }
}
