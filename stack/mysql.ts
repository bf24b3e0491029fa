/**
 * MySQL is not started by the stack: the hub uses the server DATABASE_URL names (by default the
 * machine's MariaDB) and creates the database when it is missing.
 */
import mysql from 'mysql2/promise';
import { connectionOptions, parseMysqlUrl, type MysqlTarget } from '../infra/db/mysql-url.js';
import { StackError } from './errors.js';
import type { ComponentStatus } from './java-component.js';

export type { MysqlTarget } from '../infra/db/mysql-url.js';

/** DATABASE_URL as the stack reads it (infra/db/mysql-url.ts: TLS and socket parameters too). */
export const parseDatabaseUrl = (url: string): MysqlTarget => parseMysqlUrl(url);

/** Redacts the password for messages and status lines. */
export const describeTarget = (t: MysqlTarget): string => `mysql://${t.user}@${t.host}:${t.port}/${t.database}`;

/**
 * A connection to the server. A handshake that times out is tried again for a minute (5 s each): a
 * server on a machine busy starting JVMs, or dropping a large database, can be slow to answer (a
 * test run once met 15 s of silence); a refused or unknown host fails at once.
 */
async function connect(t: MysqlTarget): Promise<mysql.Connection> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await mysql.createConnection({ ...connectionOptions(t), connectTimeout: 5000 });
    } catch (err) {
      if (attempt < 12 && (err as { code?: string }).code === 'ETIMEDOUT') continue;
      throw unreachable(t, err);
    }
  }
}

function unreachable(t: MysqlTarget, err: unknown): StackError {
  return new StackError(
    'MYSQL_UNREACHABLE',
    `No MySQL/MariaDB answers at ${describeTarget(t)} (${(err as Error).message}). ` +
      'Start the local server (on Debian: `apt-get install mariadb-server` and ' +
      '`start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd`), ' +
      'or set DATABASE_URL=mysql://user:password@host:3306/database to a reachable MySQL 8 / MariaDB 10.11+.',
    true,
    { cause: err },
  );
}

export async function ensureDatabase(url: string): Promise<ComponentStatus> {
  const t = parseDatabaseUrl(url);
  const conn = await connect(t);
  try {
    // utf8mb4: citizens' names and addresses are Chinese text.
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${t.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    return await describe(conn, t);
  } finally {
    await conn.end();
  }
}

async function describe(conn: mysql.Connection, t: MysqlTarget): Promise<ComponentStatus> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');
  return {
    component: 'mysql',
    version: String(rows[0]?.v ?? '?'),
    ports: { DATABASE_URL: t.port },
    health: 'up',
    detail: `${describeTarget(t)} (external server, not started or stopped by the stack)`,
  };
}

export async function mysqlStatus(url: string): Promise<ComponentStatus> {
  const t = parseDatabaseUrl(url);
  try {
    const conn = await connect(t);
    try {
      return await describe(conn, t);
    } finally {
      await conn.end();
    }
  } catch (err) {
    return { component: 'mysql', version: '?', ports: { DATABASE_URL: t.port }, health: 'down', detail: (err as Error).message };
  }
}
