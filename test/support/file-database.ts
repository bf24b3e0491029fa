/**
 * Every integration test file runs on its lane's stack and in a database of its own (vitest
 * setupFiles: this runs in the file's worker before the file is loaded). The database is made from
 * the run's migrated template and dropped after the file; nothing a file writes is seen by
 * another. A child run inside a test (the scaffold test's vitest) keeps its parent file's lane
 * and database.
 */
import { afterAll, expect, inject } from 'vitest';
import { createFromTemplate, dropDatabases, nextFileNumber } from './test-databases.js';
import { laneSettings } from './lanes.js';
import { restartsDone } from './clock.js';

/** Order ids per file: each file's order numbers (GD + date + the id's last six digits) are its own. */
const ORDERS_PER_FILE = 10_000;

if (!process.env.HUB_TEST_DATABASE) {
  const { schema, runDatabase, lanes } = inject('testDatabases');
  const lane = Number(process.env.VITEST_POOL_ID ?? '1');
  if (!(lane >= 1 && lane <= lanes)) throw new Error(`this worker's pool id ${process.env.VITEST_POOL_ID} is not a lane (1..${lanes}): run the integration tests with maxWorkers = TEST_LANES`);
  Object.assign(process.env, laneSettings(lane, schema.template));
  const templateUrl = process.env.DATABASE_URL!;
  const n = await nextFileNumber(templateUrl, runDatabase, expect.getState().testPath ?? 'unknown');
  if (n * ORDERS_PER_FILE >= 1_000_000) throw new Error(`test file number ${n}: more files than order numbers to give them (${1_000_000 / ORDERS_PER_FILE})`);
  const name = `${schema.template}_f${n}`;
  await createFromTemplate(templateUrl, schema, name, n * ORDERS_PER_FILE);
  const url = new URL(templateUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  process.env.HUB_TEST_DATABASE = name;
  afterAll(async () => {
    await restartsDone();
    if (!process.env.KEEP_TEST_DATABASES) await dropDatabases(templateUrl, [name]);
  });
}

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabases: { schema: import('./test-databases.js').TemplateSchema; runDatabase: string; lanes: number };
  }
}
