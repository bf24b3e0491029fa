/**
 * Demo keys, when asked for (DEMO_KEYS=true; off by default): on a database that never had a key,
 * the first `hub start` prints one key per role but admin, once; a printed key works; the next
 * start prints none.
 */
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../domain/access.js';
import { loadConfig } from '../../infra/config.js';
import { spawnHub } from '../support/harness.js';

const url = new URL(loadConfig().DATABASE_URL);
const fresh = `${url.pathname.slice(1)}_demo`;
const server = () => mysql.createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) });

async function dropFresh(): Promise<void> {
  const c = await server();
  await c.query(`DROP DATABASE IF EXISTS \`${fresh}\``);
  await c.end();
}

beforeAll(dropFresh);
afterAll(dropFresh);

describe('demo keys on a new database', () => {
  it('prints one key per role but admin on the first start only, and a printed key works', async () => {
    const db = new URL(url);
    db.pathname = `/${fresh}`;
    // Only the gateway: the demo keys are the gateway's business, and no relay touches this database.
    const env = { DATABASE_URL: db.toString(), HUB_ROLES: 'gateway', DEMO_KEYS: 'true' };
    const first = await spawnHub(env);
    let printed: Record<string, string>;
    try {
      printed = Object.fromEntries([...first.output().matchAll(/export HUB_KEY_(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
      // Never an admin key: what a console prints ends up in a log.
      expect(Object.keys(printed).sort()).toEqual(ROLES.filter((r) => r !== 'admin').map((r) => r.toUpperCase().replace(/-/g, '_')).sort());
      const me = await fetch(`${first.url}/me`, { headers: { authorization: `Bearer ${printed.CALL_TAKER}` } });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ role: 'call-taker' });
      const unit = (await (await fetch(`${first.url}/me`, { headers: { authorization: `Bearer ${printed.UNIT}` } })).json()) as { unit: string };
      expect(unit.unit).toBe('water-group');
    } finally {
      expect(await first.stop()).toBe(0);
    }
    const second = await spawnHub(env);
    try {
      expect(second.output()).not.toMatch(/HUB_KEY_/);
      expect((await fetch(`${second.url}/me`, { headers: { authorization: `Bearer ${printed.SUPERVISOR}` } })).status, 'the first start\'s keys still hold').toBe(200);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  }, 120_000);
});
