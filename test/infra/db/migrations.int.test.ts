/**
 * Migrations on MySQL as processes started together run them: one at a time under a server-wide
 * lock, each migration once; a process started to check only refuses to run on a database that
 * needs one; a migration that moves rows moves the ones written before it. The file's own
 * databases, dropped at its end.
 */
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { createDataSource, migrate, migrations, MigrationsPending, openDataSource } from '../../../infra/db/data-source.js';
import { SqlOrderStore } from '../../../infra/db/orders.js';

const base = new URL(process.env.DATABASE_URL!);
const urlOf = (suffix: string): string => {
  const u = new URL(base);
  u.pathname = `${base.pathname}_${suffix}`;
  return u.toString();
};
const names = ['mig_race', 'mig_check', 'mig_open311', 'mig_open311_fields', 'mig-hyphen'];
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

  it('take a database whose name has a hyphen (tianjin-12345), with the pool size the settings give', async () => {
    const ds = await openDataSource(createDataSource({ DATABASE_URL: await fresh('mig-hyphen'), DATABASE_POOL_SIZE: 3 }));
    try {
      expect((await migrate(ds, 'run')).length).toBe(migrations.length);
      const { order } = await new SqlOrderStore(ds).register({ channel: 'phone', type: 'help', category: 'water-outage', district: 'hexi', title: '停水', description: '停水', address: '河西区1号', urgent: false, citizen: { name: '市民', phone: '13800138000', confidential: false } }, undefined, 'test', () => []);
      expect(order.orderNo).toMatch(/^GD\d{14}$/);
      expect(((await ds.query('SELECT DATABASE() AS db')) as [{ db: string }])[0].db).toMatch(/-hyphen$/);
      expect((ds.driver as unknown as { pool: { config: { connectionLimit: number } } }).pool.config.connectionLimit).toBe(3);
    } finally {
      await ds.destroy();
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

  it('gives each Open311 request taken before it to the application whose key took it, and no one else', async () => {
    const ds = await openDataSource(createDataSource({ DATABASE_URL: await fresh('mig_open311') }));
    const q = ds.createQueryRunner();
    try {
      const at = migrations.findIndex((m) => m.name === 'Open311Submitter1766400000000');
      for (const M of migrations.slice(0, at)) await new M().up(q);
      const history = [
        ['GD20261101000001', 'intake', 'integration:city-app'],
        ['GD20261101000001', 'dispatch', 'integration:other-app'],
        ['GD20261101000002', 'intake', 'integration:street-app'],
        ['GD20261101000003', 'intake', 'call-taker:k1'],
      ];
      for (const [orderNo, step, actor] of history) await q.query("INSERT INTO order_history (order_no, step, actor, note, occurred_at) VALUES (?, ?, ?, '', NOW(3))", [orderNo, step, actor]);
      for (const orderNo of ['GD20261101000001', 'GD20261101000002', 'GD20261101000003']) await q.query("INSERT INTO order_external_ref (`system`, external_id, order_no, created_at) VALUES ('open311', ?, ?, NOW(3))", [orderNo, orderNo]);
      await q.query("INSERT INTO order_external_ref (`system`, external_id, order_no, created_at) VALUES ('dcm', 'DCM-1', 'GD20261101000002', NOW(3))");
      await new migrations[at]!().up(q);
      const rows = (await q.query('SELECT `system`, external_id FROM order_external_ref ORDER BY external_id')) as Array<{ system: string; external_id: string }>;
      expect(rows.map((r) => [r.system, r.external_id])).toEqual([
        ['dcm', 'DCM-1'],
        ['open311:city-app', 'GD20261101000001'],
        ['open311:street-app', 'GD20261101000002'],
        ['open311', 'GD20261101000003'],
      ]);
    } finally {
      await q.release();
      await ds.destroy();
    }
  });

  it('keeps the fields of each Open311 request taken before them, read once from the text the hub wrote them into', async () => {
    const ds = await openDataSource(createDataSource({ DATABASE_URL: await fresh('mig_open311_fields') }));
    const q = ds.createQueryRunner();
    try {
      // Every migration but this one: the store of today writes the orders taken before it.
      const at = migrations.findIndex((m) => m.name === 'Open311Fields1766900000000');
      for (const M of migrations.filter((_m, i) => i !== at)) await new M().up(q);
      const store = new SqlOrderStore(ds);
      const order = (description: string) => ({ channel: 'app' as const, type: 'help', category: 'road-damage', district: 'heping', title: '道路破损', description, address: '和平区 39.120570,117.203140', urgent: false, citizen: { name: '市民', phone: '13712345678', confidential: false } });
      const { order: a } = await store.register(order('路面塌陷（位置 39.120570,117.203140）\n图片：https://img.example.invalid/1.jpg'), undefined, 'integration:city-app', () => []);
      const { order: b } = await store.register(order('路面破损'), undefined, 'call-taker:k1', () => []);
      await store.linkExternal(a.orderNo!, { system: 'open311:city-app', id: a.orderNo! });
      await store.linkExternal(b.orderNo!, { system: 'dcm', id: 'DCM-9' });
      await new migrations[at]!().up(q);
      const rows = (await q.query('SELECT order_no, application, service_code, lat, lng, media_url FROM open311_request')) as Array<Record<string, string | null>>;
      expect(rows).toEqual([{ order_no: a.orderNo, application: 'city-app', service_code: null, lat: '39.120570', lng: '117.203140', media_url: 'https://img.example.invalid/1.jpg' }]);
      const listed = await store.open311Requests({ ids: [a.orderNo!, b.orderNo!], since: new Date(0), until: new Date(8.64e15), limit: 2 });
      expect(listed.map((r) => [r.order.orderNo, r.fields])).toEqual([[a.orderNo, { serviceCode: null, lat: 39.12057, long: 117.20314, addressId: null, zipcode: null, mediaUrl: 'https://img.example.invalid/1.jpg' }]]);
    } finally {
      await q.release();
      await ds.destroy();
    }
  });
});
