/**
 * Brings the integration tests' lanes up (test/support/lanes.ts): per lane a fresh stack with both
 * process engines (Zeebe, and the Camunda 7 engine of the open-source path) and Kafka, its clocks
 * under the tests' control, started side by side and stopped again after the run. Each lane's clock
 * broker (test/support/clock-engine.ts: the Zeebe whose clock its files move) starts behind them,
 * while the first files run: a file that needs it waits for it. Migrates the
 * template database each test file's own database is made from (test/support/file-database.ts).
 * A child run inside a test file (the scaffold test) uses its parent file's lane and database.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { projectRoot } from '../infra/config.js';
import { JAVA_COMPONENTS, Stack } from '../stack/index.js';
import { camunda7DatabaseUrl } from '../stack/camunda7.js';
import { ensureDatabase } from '../stack/mysql.js';
import { createDataSource } from '../infra/db/data-source.js';
import { laneConfig, laneCount, templateDatabase } from './support/lanes.js';
import { clockEngineConfig, startClockEngine } from './support/clock-engine.js';
import { databasesLike, dropDatabases, holdRunLock, readTemplate } from './support/test-databases.js';

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (process.env.HUB_TEST_DATABASE) return undefined;
  const lanes = laneCount();
  const url = process.env.DATABASE_URL!;
  const template = templateDatabase(url);

  // One run at a time on a server: a second one is refused before it touches the first one's databases.
  const runLock = await holdRunLock(url, template);
  try {
    return await setUp(project, url, template, lanes, runLock);
  } catch (err) {
    await runLock.release();
    throw err;
  }
}

async function setUp(project: TestProject, url: string, template: string, lanes: number, runLock: { release(): Promise<void> }): Promise<() => Promise<void>> {
  // The template, migrated; and this run's file counter. A stopped run's file databases go first.
  await ensureDatabase(url);
  await dropDatabases(url, await databasesLike(url, `${template}_f`));
  const ds = createDataSource({ DATABASE_URL: url });
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    const runDatabase = `${template}_run`;
    await ds.query(`DROP DATABASE IF EXISTS \`${runDatabase}\``);
    await ds.query(`CREATE DATABASE \`${runDatabase}\``);
    await ds.query(`CREATE TABLE \`${runDatabase}\`.test_file (n INT AUTO_INCREMENT PRIMARY KEY, file VARCHAR(255) NOT NULL, at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)`);
    project.provide('testDatabases', { schema: await readTemplate(url), runDatabase, lanes });
  } finally {
    await ds.destroy();
  }

  // Each lane fresh: no instance, timer, topic or moved clock of an earlier run. A lane that fails
  // to start stops every lane again: nothing is left running when the run ends here.
  const stacks = Array.from({ length: lanes }, (_, i) => new Stack(laneConfig(i + 1), (line) => console.log(`[lane ${i + 1}] ${line}`)));
  const clockStacks = Array.from({ length: lanes }, (_, i) => new Stack(clockEngineConfig(i + 1), (line) => console.log(`[lane ${i + 1} clock] ${line}`)));
  let clocksStarted: Promise<unknown> = Promise.resolve();
  // Side by side and without grace: the next run starts every lane on empty data anyway.
  const stopAll = async (): Promise<void> => {
    await clocksStarted;
    const stopped = await Promise.all([...stacks, ...clockStacks].flatMap((stack) => JAVA_COMPONENTS.map((c) => stack.stop(c, { graceMs: 0 }))));
    for (const line of stopped) console.log(`[stack] ${line}`);
    await runLock.release();
  };
  const started = await Promise.allSettled(
    stacks.map(async (stack, i) => {
      const config = laneConfig(i + 1);
      await stack.down();
      const cache = path.resolve(projectRoot, config.HUB_CACHE_DIR);
      const zeebeData = fs.existsSync(path.join(cache, 'zeebe')) ? fs.readdirSync(path.join(cache, 'zeebe')).filter((d) => d.startsWith('data-')).map((d) => path.join(cache, 'zeebe', d)) : [];
      for (const dir of [path.join(cache, 'kafka', 'data'), ...zeebeData]) fs.rmSync(dir, { recursive: true, force: true });
      await dropDatabases(url, [new URL(camunda7DatabaseUrl(config)).pathname.slice(1)]);
      await stack.up(true, ['zeebe', 'camunda7']);
    }),
  );
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await stopAll();
    throw failed.reason;
  }
  // A failure is reported here and by the first file that waits for the broker (clockEngineStarted).
  clocksStarted = Promise.all(
    clockStacks.map((stack, i) => startClockEngine(stack, clockEngineConfig(i + 1)).catch((e: unknown) => console.error(`[lane ${i + 1} clock] did not start: ${String(e)}`))),
  );
  return stopAll;
}
