/**
 * Every integration test file runs on its lane's stack and in a database of its own (vitest
 * setupFiles: this runs in the file's worker before the file is loaded). The database is made from
 * the run's migrated template and dropped after the file, once the instances its orders left open
 * are cancelled; nothing a file writes is seen by another. A child run inside a test (the
 * scaffold test's vitest) keeps its parent file's lane and database.
 */
import path from 'node:path';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { createFromTemplate, dropDatabases, nextFileNumber, queryDatabase } from './test-databases.js';
import { laneSettings } from './lanes.js';
import { restartsDone, takeRestarted } from './clock.js';
import { profileMark } from './profile.js';
import { loadConfig, type Config } from '../../infra/config.js';
import { DONE_STATUSES } from '../../domain/order.js';

/** Order ids per file: each file's order numbers (GD + date + the id's last six digits) are its own. */
const ORDERS_PER_FILE = 10_000;

/**
 * What this worker process started with, kept from its first file: a worker runs its lane's files
 * one after another in one process (isolate: false, so that the hub's modules load once per lane,
 * not once per file), and each file below changes DATABASE_URL and HUB_TEST_DATABASE.
 */
const worker = ((globalThis as { hubTestWorker?: { childRun: boolean; templateUrl: string } }).hubTestWorker ??= {
  childRun: Boolean(process.env.HUB_TEST_DATABASE),
  templateUrl: process.env.DATABASE_URL!,
});

if (!worker.childRun) {
  const { schema, runDatabase, lanes } = inject('testDatabases');
  const file = path.relative(process.cwd(), expect.getState().testPath ?? 'unknown');
  profileMark(file, 'start');
  const lane = Number(process.env.VITEST_POOL_ID ?? '1');
  if (!(lane >= 1 && lane <= lanes)) throw new Error(`this worker's pool id ${process.env.VITEST_POOL_ID} is not a lane (1..${lanes}): run the integration tests with maxWorkers = TEST_LANES`);
  Object.assign(process.env, laneSettings(lane, schema.template));
  const templateUrl = worker.templateUrl;
  const n = await nextFileNumber(templateUrl, runDatabase, file);
  if (n * ORDERS_PER_FILE >= 1_000_000) throw new Error(`test file number ${n}: more files than order numbers to give them (${1_000_000 / ORDERS_PER_FILE})`);
  const name = `${schema.template}_f${n}`;
  await createFromTemplate(templateUrl, schema, name, n * ORDERS_PER_FILE);
  const url = new URL(templateUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  process.env.HUB_TEST_DATABASE = name;
  profileMark(file, 'database');
  beforeAll(() => profileMark(file, 'tests-begin'));
  afterAll(async () => {
    profileMark(file, 'tests-end');
    await restartsDone();
    await leaveNothingRunning(process.env.DATABASE_URL!, takeRestarted());
    if (!process.env.KEEP_TEST_DATABASES) await dropDatabases(templateUrl, [name]);
    profileMark(file, 'file-end');
  });
}

/**
 * The file's last step: every instance its orders still have open is cancelled on its engine (a
 * Zeebe key is a number, a Camunda 7 id a UUID), so that the next file on the lane finds none of
 * its jobs queued and no later clock move fires its timers. An engine restarted on an empty state
 * during the file is skipped.
 */
async function leaveNothingRunning(url: string, restarted: ReadonlySet<Config['HUB_ENGINE']>): Promise<void> {
  const rows = await queryDatabase<{ k: string }>(url, 'SELECT process_instance_key AS k FROM work_order WHERE process_instance_key IS NOT NULL AND status NOT IN (?)', [DONE_STATUSES]);
  if (rows.length === 0) return;
  const { cancelInstances, engineOfInstance } = await import('./instances.js');
  const config = loadConfig();
  const keys = rows.map((r) => String(r.k));
  for (const engine of ['zeebe', 'camunda7'] as const) {
    if (!restarted.has(engine)) await cancelInstances(config, engine, keys.filter((k) => engineOfInstance(k) === engine));
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabases: { schema: import('./test-databases.js').TemplateSchema; runDatabase: string; lanes: number };
  }
}
