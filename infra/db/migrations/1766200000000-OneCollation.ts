import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The hub's tables a migration made without naming a collation: they took the server's default. */
const TABLES = ['adapter_delivery', 'api_key', 'audit_log', 'dead_letter', 'hub_meta', 'human_task', 'knowledge_entry', 'model_version', 'order_external_ref', 'order_trail', 'partner_transfer'];

/**
 * One collation for every hub table. The first tables named theirs (utf8mb4_unicode_ci); later
 * migrations took the server's default (utf8mb4_general_ci on MariaDB, utf8mb4_0900_ai_ci on
 * MySQL 8), and a query comparing order numbers across the two (the stuck list: order_trail with
 * work_order) failed with "Illegal mix of collations" unless it named one. Each of those tables
 * not yet in utf8mb4_unicode_ci is converted, and the database's default becomes it, so that a
 * table a later migration makes is in it too.
 */
export class OneCollation1766200000000 implements MigrationInterface {
  name = 'OneCollation1766200000000';

  async up(q: QueryRunner): Promise<void> {
    for (const t of await this.tables(q, "TABLE_COLLATION <> 'utf8mb4_unicode_ci'")) await q.query(`ALTER TABLE \`${t}\` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await q.query('ALTER DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
  }

  /** Back to MariaDB's default (what they were made in there); the database's default stays. */
  async down(q: QueryRunner): Promise<void> {
    for (const t of await this.tables(q, "TABLE_COLLATION = 'utf8mb4_unicode_ci'")) await q.query(`ALTER TABLE \`${t}\` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
  }

  private async tables(q: QueryRunner, where: string): Promise<string[]> {
    const rows = (await q.query(`SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' AND ${where}`)) as Array<{ t: string }>;
    return rows.map((r) => r.t).filter((t) => TABLES.includes(t));
  }
}
