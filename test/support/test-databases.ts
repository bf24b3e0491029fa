/**
 * A database per test file, made from a migrated template in well under a second: the template's
 * tables and triggers re-created from their own definitions (SHOW CREATE, so keys, collations and
 * the audit log's append-only triggers come along), and the migrations' record copied, so a hub
 * started on it finds nothing to migrate. Used by test/global-setup.ts (the template) and
 * test/support/file-database.ts (each file's copy).
 */
import mysql from 'mysql2/promise';
import { parseDatabaseUrl } from '../../stack/mysql.js';

export interface TemplateSchema {
  template: string;
  tables: string[];
  triggers: string[];
}

const connect = (url: string) => {
  const t = parseDatabaseUrl(url);
  return mysql.createConnection({ host: t.host, port: t.port, user: t.user, password: t.password, multipleStatements: false });
};

/** The template's tables and triggers, as statements that make them again in another database. */
export async function readTemplate(url: string): Promise<TemplateSchema> {
  const template = parseDatabaseUrl(url).database;
  const conn = await connect(url);
  try {
    await conn.query(`USE \`${template}\``);
    const [tables] = await conn.query<mysql.RowDataPacket[]>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name", [template]);
    const ddl: string[] = [];
    for (const { t } of tables) {
      const [[row]] = await conn.query<mysql.RowDataPacket[]>(`SHOW CREATE TABLE \`${t}\``);
      ddl.push(String(row!['Create Table']).replace(/ AUTO_INCREMENT=\d+/, ''));
    }
    const [trigs] = await conn.query<mysql.RowDataPacket[]>('SELECT trigger_name AS t FROM information_schema.triggers WHERE trigger_schema = ?', [template]);
    const triggers: string[] = [];
    for (const { t } of trigs) {
      const [[row]] = await conn.query<mysql.RowDataPacket[]>(`SHOW CREATE TRIGGER \`${t}\``);
      triggers.push(String(row!['SQL Original Statement']).replace(/^CREATE\s+DEFINER=\S+\s+/i, 'CREATE '));
    }
    return { template, tables: ddl, triggers };
  } finally {
    await conn.end();
  }
}

/**
 * Makes `name` from the template. Work orders start at `firstOrderId`: order numbers carry the
 * row id, and they must differ between files, whose events meet on one lane's Kafka topics.
 */
export async function createFromTemplate(url: string, schema: TemplateSchema, name: string, firstOrderId: number): Promise<void> {
  const conn = await connect(url);
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await conn.query(`USE \`${name}\``);
    await conn.query('SET FOREIGN_KEY_CHECKS = 0');
    for (const ddl of schema.tables) await conn.query(ddl);
    for (const ddl of schema.triggers) await conn.query(ddl);
    await conn.query(`INSERT INTO migrations SELECT * FROM \`${schema.template}\`.migrations`);
    await conn.query(`ALTER TABLE work_order AUTO_INCREMENT = ${Number(firstOrderId)}`);
  } finally {
    await conn.end();
  }
}

export async function dropDatabases(url: string, names: string[]): Promise<void> {
  if (names.length === 0) return;
  const conn = await connect(url);
  try {
    for (const n of names) await conn.query(`DROP DATABASE IF EXISTS \`${n}\``);
  } finally {
    await conn.end();
  }
}

/** The databases on the server whose names start with `prefix` (a stopped run's leftovers). */
export async function databasesLike(url: string, prefix: string): Promise<string[]> {
  const conn = await connect(url);
  try {
    const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT schema_name AS n FROM information_schema.schemata WHERE schema_name LIKE ?', [`${prefix.replace(/_/g, '\\_')}%`]);
    return rows.map((r) => String(r.n));
  } finally {
    await conn.end();
  }
}

/** The next file number of this run (1, 2, …), from the run's own counter table. */
export async function nextFileNumber(url: string, runDb: string, file: string): Promise<number> {
  const conn = await connect(url);
  try {
    const [r] = await conn.query<mysql.ResultSetHeader>(`INSERT INTO \`${runDb}\`.test_file (file) VALUES (?)`, [file.slice(-250)]);
    return r.insertId;
  } finally {
    await conn.end();
  }
}

/** One query on the database `url` names (a file's own, after its hubs have closed). */
export async function queryDatabase<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const conn = await connect(url);
  try {
    await conn.query(`USE \`${parseDatabaseUrl(url).database}\``);
    const [rows] = await conn.query<mysql.RowDataPacket[]>(sql, params);
    return rows as T[];
  } finally {
    await conn.end();
  }
}

/** The name of the lock an integration run holds on the server, for the test databases named after `template`. */
export const runLockName = (template: string): string => `hub_test_run:${template}`.slice(0, 64);

/**
 * Holds the run's lock on the MySQL server for as long as the run lasts (its own connection: the
 * server lets the lock go if the process dies). A second run on the same server — another checkout,
 * a fresh clone being measured — is refused here, before it drops any test database the first one
 * is using or tries the lanes' ports.
 */
export async function holdRunLock(url: string, template: string): Promise<{ release(): Promise<void> }> {
  const conn = await connect(url);
  const [[row]] = await conn.query<mysql.RowDataPacket[]>('SELECT GET_LOCK(?, 0) AS got', [runLockName(template)]);
  if (Number(row?.got) !== 1) {
    await conn.end();
    throw new Error(`another integration run on this MySQL server holds ${runLockName(template)}: its test databases and its lanes would be taken from under it. Wait for it to end (or stop it), then run again.`);
  }
  return {
    release: async () => {
      await conn.query('SELECT RELEASE_LOCK(?)', [runLockName(template)]).catch(() => undefined);
      await conn.end().catch(() => undefined);
    },
  };
}
