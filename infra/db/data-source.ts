import 'reflect-metadata';
import { DataSource } from 'typeorm';
import type { Config } from '../config.js';
import { entities } from './entities.js';
import { parseMysqlUrl } from './mysql-url.js';
import { CreateOrders1764000000000 } from './migrations/1764000000000-CreateOrders.js';
import { SpineOutbox1764100000000 } from './migrations/1764100000000-SpineOutbox.js';
import { AccessControl1764200000000 } from './migrations/1764200000000-AccessControl.js';
import { DeadLetters1764300000000 } from './migrations/1764300000000-DeadLetters.js';
import { EngineNeutralKeys1764400000000 } from './migrations/1764400000000-EngineNeutralKeys.js';
import { DueAtEstimated1764500000000 } from './migrations/1764500000000-DueAtEstimated.js';
import { Handling1764600000000 } from './migrations/1764600000000-Handling.js';
import { Statistics1764700000000 } from './migrations/1764700000000-Statistics.js';
import { Repeats1764800000000 } from './migrations/1764800000000-Repeats.js';
import { Disclosure1764900000000 } from './migrations/1764900000000-Disclosure.js';
import { Knowledge1765000000000 } from './migrations/1765000000000-Knowledge.js';
import { TaskChase1765100000000 } from './migrations/1765100000000-TaskChase.js';
import { ThreeLevels1765200000000 } from './migrations/1765200000000-ThreeLevels.js';
import { CoHandling1765300000000 } from './migrations/1765300000000-CoHandling.js';
import { Urgent1765400000000 } from './migrations/1765400000000-Urgent.js';
import { Adapters1765500000000 } from './migrations/1765500000000-Adapters.js';
import { CitizenEmail1765600000000 } from './migrations/1765600000000-CitizenEmail.js';
import { Emergency1765700000000 } from './migrations/1765700000000-Emergency.js';
import { PartnerTransfer1765800000000 } from './migrations/1765800000000-PartnerTransfer.js';
import { OrderTrail1765900000000 } from './migrations/1765900000000-OrderTrail.js';
import { ModelVersions1766000000000 } from './migrations/1766000000000-ModelVersions.js';
import { OutboxTrace1766100000000 } from './migrations/1766100000000-OutboxTrace.js';
import { OneCollation1766200000000 } from './migrations/1766200000000-OneCollation.js';
import { EngineChannel1766300000000 } from './migrations/1766300000000-EngineChannel.js';
import { Open311Submitter1766400000000 } from './migrations/1766400000000-Open311Submitter.js';
import { HistoryTime1766500000000 } from './migrations/1766500000000-HistoryTime.js';
import { RetentionIndexes1766600000000 } from './migrations/1766600000000-RetentionIndexes.js';
import { NoticeDestinations1766700000000 } from './migrations/1766700000000-NoticeDestinations.js';
import { ContactConfirmation1766800000000 } from './migrations/1766800000000-ContactConfirmation.js';
import { Open311Fields1766900000000 } from './migrations/1766900000000-Open311Fields.js';
import { CallbackResolved1767000000000 } from './migrations/1767000000000-CallbackResolved.js';
import { Circulars1767100000000 } from './migrations/1767100000000-Circulars.js';
import { DutyRota1767200000000 } from './migrations/1767200000000-DutyRota.js';
import { HardCases1767300000000 } from './migrations/1767300000000-HardCases.js';
import { MajorIncidents1767400000000 } from './migrations/1767400000000-MajorIncidents.js';
import { CitizenEvaluation1767500000000 } from './migrations/1767500000000-CitizenEvaluation.js';
import { Digest1767600000000 } from './migrations/1767600000000-Digest.js';
import { RepeatPlaces1767700000000 } from './migrations/1767700000000-RepeatPlaces.js';
import { Attachments1767800000000 } from './migrations/1767800000000-Attachments.js';
import { CitizenLinks1767900000000 } from './migrations/1767900000000-CitizenLinks.js';

export const migrations = [CreateOrders1764000000000, SpineOutbox1764100000000, AccessControl1764200000000, DeadLetters1764300000000, EngineNeutralKeys1764400000000, DueAtEstimated1764500000000, Handling1764600000000, Statistics1764700000000, Repeats1764800000000, Disclosure1764900000000, Knowledge1765000000000, TaskChase1765100000000, ThreeLevels1765200000000, CoHandling1765300000000, Urgent1765400000000, Adapters1765500000000, CitizenEmail1765600000000, Emergency1765700000000, PartnerTransfer1765800000000, OrderTrail1765900000000, ModelVersions1766000000000, OutboxTrace1766100000000, OneCollation1766200000000, EngineChannel1766300000000, Open311Submitter1766400000000, HistoryTime1766500000000, RetentionIndexes1766600000000, NoticeDestinations1766700000000, ContactConfirmation1766800000000, Open311Fields1766900000000, CallbackResolved1767000000000, Circulars1767100000000, DutyRota1767200000000, HardCases1767300000000, MajorIncidents1767400000000, CitizenEvaluation1767500000000, Digest1767600000000, RepeatPlaces1767700000000, Attachments1767800000000, CitizenLinks1767900000000];

/** Every session of the hub runs in UTC, whatever the server's own zone. */
const SESSION_TIME_ZONE = "SET time_zone = '+00:00'";

/** A data source on DATABASE_URL; the caller initializes it (no connection at import time). */
export function createDataSource(config: Pick<Config, 'DATABASE_URL'> & Partial<Pick<Config, 'DATABASE_POOL_SIZE'>>, extra: Record<string, unknown> = {}): DataSource {
  const t = parseMysqlUrl(config.DATABASE_URL);
  return new DataSource({
    type: 'mysql',
    host: t.host,
    port: t.port,
    username: t.user,
    password: t.password,
    database: t.database,
    ...(t.socketPath ? { socketPath: t.socketPath } : {}),
    ...(t.ssl ? { ssl: t.ssl } : {}),
    charset: 'utf8mb4',
    timezone: 'Z',
    entities,
    migrations,
    migrationsRun: false,
    synchronize: false,
    logging: false,
    supportBigNumbers: true,
    bigNumberStrings: true,
    // Fail fast when the server is not there; the caller answers 503 or retries later.
    connectTimeout: 5000,
    extra: { connectionLimit: config.DATABASE_POOL_SIZE ?? 20, ...extra },
  });
}

/**
 * Initializes the data source and puts every pooled connection in UTC: the one TypeORM opened
 * to test the pool, and each one the pool opens later.
 */
export async function openDataSource(ds: DataSource): Promise<DataSource> {
  await ds.initialize();
  const pool = (ds.driver as unknown as { pool: { on(ev: 'connection', fn: (c: { query(sql: string): void }) => void): void } }).pool;
  pool.on('connection', (c) => c.query(SESSION_TIME_ZONE));
  // The pool holds exactly the one test connection now: the next query gets it.
  await ds.query(SESSION_TIME_ZONE);
  return ds;
}

/** The name of the server-wide lock under which a process migrates the hub's database. */
const MIGRATION_LOCK = (database: string): string => `hotline-hub:migrate:${database}`.slice(0, 64);

export class MigrationsPending extends Error {
  constructor(readonly pending: string[]) {
    super(`the database needs migrations this process does not run (DATABASE_MIGRATIONS=check): ${pending.join(', ')}. Start one process with DATABASE_MIGRATIONS=run first`);
  }
}

/**
 * Brings the schema up to date, one process at a time: processes started together (a hub and its
 * workers, several replicas) wait for each other under a server-wide lock (GET_LOCK, held by one
 * connection for the whole run), and each finds what the one before it did. With mode 'check' a
 * process migrates nothing and refuses to start while anything is pending (the one process meant
 * to migrate runs with 'run'). Returns the names of the migrations this process ran.
 */
export async function migrate(ds: DataSource, mode: 'run' | 'check' = 'run', waitSeconds = 300): Promise<string[]> {
  if (mode === 'check') {
    if (!(await ds.showMigrations())) return [];
    const done = new Set(((await ds.query('SELECT name FROM migrations')) as Array<{ name: string }>).map((r) => r.name));
    throw new MigrationsPending(ds.migrations.map((m) => m.name ?? m.constructor.name).filter((n) => !done.has(n)));
  }
  const runner = ds.createQueryRunner();
  const lock = MIGRATION_LOCK(String(ds.driver.database));
  try {
    const got = ((await runner.query('SELECT GET_LOCK(?, ?) AS got', [lock, waitSeconds])) as Array<{ got: number | string | null }>)[0]?.got;
    if (Number(got) !== 1) throw new Error(`another process has been migrating the database for ${waitSeconds} s (lock ${lock}); look for it, or for a session holding the lock`);
    try {
      return (await ds.runMigrations({ transaction: 'each' })).map((m) => m.name);
    } finally {
      await runner.query('SELECT RELEASE_LOCK(?)', [lock]);
    }
  } finally {
    await runner.release();
  }
}
