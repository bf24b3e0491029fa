/**
 * Every integration test file runs on its lane's stack and in a database of its own (vitest
 * setupFiles: this runs in the file's worker before the file is loaded). The database is made from
 * the run's migrated template and dropped after the file, once the instances its orders left open
 * are cancelled; nothing a file writes is seen by another. A child run inside a test (the
 * scaffold test's vitest) keeps its parent file's lane and database.
 */
import path from 'node:path';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { createFromTemplate, dropDatabases, nextFileNumber } from './test-databases.js';
import { laneSettings } from './lanes.js';
import { profileMark } from './profile.js';
import { loadConfig } from '../../infra/config.js';
import { cancelOpenInstances } from './instances.js';

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
    // The instances the file's orders left open, cancelled: the next file on the lane finds none
    // of their jobs queued, and no later clock move fires their timers. (A file that moved Zeebe's
    // clock has settings naming the lane's clock broker still, where its Zeebe instances ran.)
    await cancelOpenInstances(process.env.DATABASE_URL!, loadConfig(), ['zeebe', 'camunda7']);
    if (!process.env.KEEP_TEST_DATABASES) await dropDatabases(templateUrl, [name]);
    profileMark(file, 'file-end');
  });
}

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabases: { schema: import('./test-databases.js').TemplateSchema; runDatabase: string; lanes: number };
  }
}
