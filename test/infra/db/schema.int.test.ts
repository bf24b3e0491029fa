/**
 * The hub's schema after its migrations: one collation for every table, so that order numbers
 * compare across tables without a query naming one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../infra/config.js';
import { createDataSource, migrations, openDataSource } from '../../../infra/db/data-source.js';

const ds = createDataSource(loadConfig());
beforeAll(async () => {
  await openDataSource(ds);
  if (migrations.length > 0) await ds.runMigrations({ transaction: 'each' });
});
afterAll(() => ds.destroy());

describe('the hub schema (MySQL)', () => {
  it('has every table in utf8mb4_unicode_ci, and order numbers compare across tables as they are', async () => {
    const tables = (await ds.query("SELECT TABLE_NAME AS t, TABLE_COLLATION AS c FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME NOT LIKE 'smoke%'")) as Array<{ t: string; c: string }>;
    expect(tables.length).toBeGreaterThan(10);
    expect(tables.filter((r) => r.c !== 'utf8mb4_unicode_ci').map((r) => `${r.t}: ${r.c}`)).toEqual([]);
    const [{ c }] = (await ds.query('SELECT @@collation_database AS c')) as [{ c: string }];
    expect(c, 'a table a later migration makes takes the database default').toBe('utf8mb4_unicode_ci');
    // Columns too (CONVERT TO changes them; a bare "DEFAULT COLLATE" would not).
    const columns = (await ds.query("SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME) AS col, COLLATION_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND COLLATION_NAME IS NOT NULL AND TABLE_NAME NOT LIKE 'smoke%'")) as Array<{ col: string; c: string }>;
    expect(columns.filter((r) => r.c !== 'utf8mb4_unicode_ci').map((r) => `${r.col}: ${r.c}`)).toEqual([]);
    await expect(ds.query('SELECT COUNT(*) AS n FROM order_trail t JOIN work_order w ON w.order_no = t.order_no JOIN human_task h ON h.order_no = w.order_no JOIN dead_letter d ON d.order_no = h.order_no')).resolves.toBeDefined();
  });
});
