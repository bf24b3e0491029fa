/**
 * The three database users of docs/access.md "Database users", made by running
 * docs/database-users.sql itself (names made unique, the file's database this file's own): the hub
 * at work reads and writes rows but cannot drop the audit log's triggers or alter a table; the
 * audit trail's user adds and reads audit rows and nothing else; a hub opened with both
 * (AUDIT_DATABASE_URL) writes its audit rows through the second. The users are dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, projectRoot } from '../../../infra/config.js';
import { AuditTrail } from '../../../infra/db/audit.js';
import { createDataSource, migrate, openDataSource } from '../../../infra/db/data-source.js';
import { openCore } from '../../../hub/core.js';
import { createLogger } from '../../../infra/log.js';

const base = new URL(process.env.DATABASE_URL!);
const database = base.pathname.slice(1);
const tag = randomBytes(3).toString('hex');
const user = { migrate: `hub_migrate_${tag}`, app: `hub_app_${tag}`, audit: `hub_audit_${tag}` };
const password = { migrate: 'change-me-migrate', app: 'change-me-app', audit: 'change-me-audit' };
const urlOf = (who: keyof typeof user): string => {
  const u = new URL(base);
  u.username = user[who];
  u.password = password[who];
  return u.toString();
};
const root = () => mysql.createConnection({ host: base.hostname, port: Number(base.port || 3306), user: decodeURIComponent(base.username), password: decodeURIComponent(base.password), database });
const as = (who: keyof typeof user) => mysql.createConnection({ host: base.hostname, port: Number(base.port || 3306), user: user[who], password: password[who], database });

beforeAll(async () => {
  const sql = fs
    .readFileSync(path.join(projectRoot, 'docs/database-users.sql'), 'utf8')
    .replace(/^--.*$/gm, '')
    .replaceAll('`hotline_hub`', `\`${database}\``)
    .replace(/'hub_(migrate|app|audit)'/g, (_m, who: keyof typeof user) => `'${user[who]}'`);
  const c = await root();
  try {
    for (const statement of sql.split(';').map((s) => s.trim()).filter(Boolean)) await c.query(statement);
  } finally {
    await c.end();
  }
});

afterAll(async () => {
  const c = await root();
  for (const u of Object.values(user)) await c.query(`DROP USER IF EXISTS '${u}'@'%'`);
  await c.end();
});

describe('the database users docs/database-users.sql makes', () => {
  it('lets the hub at work read and write rows and check migrations, and nothing over the audit log or the schema', async () => {
    const c = await as('app');
    try {
      await c.query("INSERT INTO inbox (message_id, source, processed_at) VALUES ('users-test', 'test', NOW(3))");
      await c.query("DELETE FROM inbox WHERE message_id = 'users-test'");
      await expect(c.query('DROP TRIGGER audit_log_no_delete')).rejects.toThrow(/denied/i);
      await expect(c.query('ALTER TABLE audit_log ADD COLUMN x INT')).rejects.toThrow(/denied/i);
      await expect(c.query('DROP TABLE audit_log')).rejects.toThrow(/denied/i);
      await c.query("INSERT INTO audit_log (at, actor, action, outcome, source) VALUES (NOW(3), 'users-test', 'test', '200', 'test')");
      await expect(c.query("DELETE FROM audit_log WHERE actor = 'users-test'")).rejects.toThrow(/append-only/);
    } finally {
      await c.end();
    }
    const ds = await openDataSource(createDataSource({ DATABASE_URL: urlOf('app') }, { connectionLimit: 1 }));
    try {
      expect(await migrate(ds, 'check')).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });

  it('lets the audit trail\'s user add and read audit rows, and nothing else', async () => {
    const ds = await openDataSource(createDataSource({ DATABASE_URL: urlOf('audit') }, { connectionLimit: 1 }));
    try {
      const trail = new AuditTrail(ds);
      await trail.record({ actorKey: null, actor: `users-test-${tag}`, role: null, unitCode: null, action: 'test', target: `users-${tag}`, outcome: '200', source: 'test', requestId: null });
      expect((await trail.list({ target: `users-${tag}`, limit: 5 })).map((r) => r.actor)).toEqual([`users-test-${tag}`]);
      await expect(ds.query('SELECT COUNT(*) FROM work_order')).rejects.toThrow(/denied/i);
      await expect(ds.query("UPDATE audit_log SET outcome = '500' WHERE target = ?", [`users-${tag}`])).rejects.toThrow(/denied/i);
      await expect(ds.query('DELETE FROM audit_log WHERE target = ?', [`users-${tag}`])).rejects.toThrow(/denied/i);
    } finally {
      await ds.destroy();
    }
  });

  it('lets the migrating user change the schema', async () => {
    const c = await as('migrate');
    try {
      await c.query('CREATE TABLE users_test_migrate (id INT PRIMARY KEY)');
      await c.query('DROP TABLE users_test_migrate');
    } finally {
      await c.end();
    }
  });

  it('writes a hub\'s audit rows through AUDIT_DATABASE_URL\'s user when it is given', async () => {
    const core = await openCore(loadConfig({ ...process.env, DATABASE_URL: urlOf('app'), AUDIT_DATABASE_URL: urlOf('audit'), DATABASE_MIGRATIONS: 'check' }), createLogger('silent'));
    try {
      await core.audit.record({ actorKey: null, actor: 'through-audit-user', role: null, unitCode: null, action: 'test', target: `core-${tag}`, outcome: '200', source: 'test', requestId: null });
      // Only the audit user can prove it was the one: the hub's user could not have read work_order through it.
      await expect((core.audit as unknown as { ds: { query(q: string): Promise<unknown> } }).ds.query('SELECT 1 FROM work_order LIMIT 1')).rejects.toThrow(/denied/i);
      expect((await core.audit.list({ target: `core-${tag}`, limit: 5 })).map((r) => r.actor)).toEqual(['through-audit-user']);
    } finally {
      await core.close();
    }
  });
});
