/**
 * Migrations on MySQL as processes started together run them: one at a time under a server-wide
 * lock, each migration once; a process started to check only refuses to run on a database that
 * needs one. The file's own two databases, dropped at its end.
 */
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { createDataSource, migrate, migrations, MigrationsPending, openDataSource } from '../../../infra/db/data-source.js';

const base = new URL(process.env.DATABASE_URL!);
const urlOf = (suffix: string): string => {
  const u = new URL(base);
  u.pathname = `${base.pathname}_${suffix}`;
  return u.toString();
};
const names = ['mig_race', 'mig_check'];
const server = () => mysql.createConnection({ host: base.hostname, port: Number(base.port || 3306), user: decodeURIComponent(base.username), password: decodeURIComponent(base.password) });

async function fresh(suffix: string): Promise<string> {
  const c = await server();
  await c.query(`DROP DATABASE IF EXISTS \`${base.pathname.slice(1)}_${suffix}\``);
  await c.query(`CREATE DATABASE \`${base.pathname.slice(1)}_${suffix}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await c.end();
  return urlOf(suffix);
}

afterAll(async () => {
  const c = await server();
  for (const n of names) await c.query(`DROP DATABASE IF EXISTS \`${base.pathname.slice(1)}_${n}\``);
  await c.end();
});

describe('migrations (MySQL)', () => {
  it('run once when three processes start together on an empty database, each finding what the one before did', async () => {
    const url = await fresh('mig_race');
    const sources = await Promise.all([1, 2, 3].map(() => openDataSource(createDataSource({ DATABASE_URL: url }))));
    try {
      const ran = await Promise.all(sources.map((ds) => migrate(ds, 'run')));
      expect(ran.flat().sort()).toEqual(migrations.map((m) => m.name).sort());
      const rows = (await sources[0]!.query('SELECT name, COUNT(*) AS n FROM migrations GROUP BY name HAVING n > 1')) as unknown[];
      expect(rows).toEqual([]);
      expect(await migrate(sources[1]!, 'check')).toEqual([]);
    } finally {
      await Promise.all(sources.map((ds) => ds.destroy()));
    }
  });

  it('with DATABASE_MIGRATIONS=check, migrate nothing and refuse to start on a database that needs them, naming them', async () => {
    const ds = await openDataSource(createDataSource({ DATABASE_URL: await fresh('mig_check') }));
    try {
      const err = await migrate(ds, 'check').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MigrationsPending);
      expect((err as MigrationsPending).pending).toEqual(migrations.map((m) => m.name));
      expect((err as Error).message).toContain('Start one process with DATABASE_MIGRATIONS=run first');
      expect(await ds.query("SHOW TABLES LIKE 'work_order'")).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });
});
