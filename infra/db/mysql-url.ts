/**
 * DATABASE_URL read once, for every user of it (the hub's pool, the stack's check, the migration
 * lock): mysql://user:password@host:port/database with the options a centre's MySQL needs as
 * parameters — `ssl=true` (TLS, the server's certificate checked against the system's CAs),
 * `ssl-ca=<file>` (against this CA instead), `ssl-verify=false` (encrypted, not checked: a test
 * server only), `socket=<path>` (a Unix socket instead of host and port). A database name may hold
 * letters, digits, `_`, `-` and `$`.
 */
import fs from 'node:fs';

export interface MysqlTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  socketPath?: string;
  ssl?: { ca?: string; rejectUnauthorized: boolean };
}

export const DATABASE_NAME = /^[A-Za-z0-9_$-]{1,64}$/;
const PARAMS = ['ssl', 'ssl-ca', 'ssl-verify', 'socket'] as const;

/** What is wrong with a DATABASE_URL, or null when it is one. */
export function mysqlUrlProblem(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'a URL such as mysql://user:password@host:3306/database';
  }
  if (u.protocol !== 'mysql:') return 'a URL such as mysql://user:password@host:3306/database (mysql://)';
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!DATABASE_NAME.test(database)) return 'the database name after the host: letters, digits, _, - or $ (mysql://user:password@host:3306/database)';
  const unknown = [...u.searchParams.keys()].filter((k) => !(PARAMS as readonly string[]).includes(k));
  if (unknown.length) return `unknown parameter ${unknown.join(', ')}: ${PARAMS.join(', ')}`;
  const ssl = u.searchParams.get('ssl');
  if (ssl !== null && ssl !== 'true' && ssl !== 'false') return 'ssl=true or ssl=false';
  const verify = u.searchParams.get('ssl-verify');
  if (verify !== null && verify !== 'true' && verify !== 'false') return 'ssl-verify=true or ssl-verify=false';
  const ca = u.searchParams.get('ssl-ca');
  if (ca !== null && !fs.existsSync(ca)) return `ssl-ca=${ca}: no such file`;
  return null;
}

export function parseMysqlUrl(url: string): MysqlTarget {
  const u = new URL(url);
  const ca = u.searchParams.get('ssl-ca') ?? undefined;
  const wantsTls = u.searchParams.get('ssl') === 'true' || ca !== undefined || u.searchParams.get('ssl-verify') !== null;
  const socket = u.searchParams.get('socket') ?? undefined;
  return {
    host: u.hostname || 'localhost',
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, '')),
    ...(socket ? { socketPath: socket } : {}),
    ...(wantsTls ? { ssl: { ...(ca ? { ca: fs.readFileSync(ca, 'utf8') } : {}), rejectUnauthorized: u.searchParams.get('ssl-verify') !== 'false' } } : {}),
  };
}

/** The options mysql2 takes for a connection to the target (without the database: the caller picks). */
export const connectionOptions = (t: MysqlTarget) => ({ host: t.host, port: t.port, user: t.user, password: t.password, ...(t.socketPath ? { socketPath: t.socketPath } : {}), ...(t.ssl ? { ssl: t.ssl } : {}) });
