import { defineConfig } from 'vitest/config';
import { settings } from './infra/config.js';
import { laneCount } from './test/support/lanes.js';
import { LongestFirst } from './test/support/sequencer.js';

// Tests never touch the hub's own database: they use the same server with "_test" appended to
// the database name (set before anything reads the configuration).
// A child run inside a test file (the scaffold test's) keeps its parent file's own database.
if (!process.env.HUB_TEST_DATABASE) {
  const url = new URL(process.env.DATABASE_URL || settings.DATABASE_URL.default);
  if (!url.pathname.endsWith('_test')) url.pathname = `${url.pathname}_test`;
  process.env.DATABASE_URL = url.toString();
}
// Most tests call with fixed test callers: merging repeat calls (重复件) would link a test's orders
// to each other. Off, except where a test turns it on (test/gateway/repeats.int.test.ts).
process.env.REPEATS_FILE ??= 'off';
// The daily digest is made by a sweep at a morning hour: off, except in its own test (test/gateway/digest.int.test.ts).
process.env.DIGEST_HOUR ??= 'off';
// The reply-quality check sends short test answers ("已处理") to a person's review: off, except in
// its own test (test/workers/reply-quality.int.test.ts).
process.env.REPLY_QUALITY_FILE ??= 'off';
// Spot checks draw closing orders at random for a supervisor: off, except in their own test
// (test/workers/spot-checks.int.test.ts) and the 200-order scenario.
process.env.SPOT_CHECK_FILE ??= 'off';

// *.unit.test.ts need nothing running; *.int.test.ts run against the real stack: TEST_LANES
// workers side by side, each on a stack of its own that test/global-setup.ts brings up fresh and
// stops after the run, each file in a database of its own (test/support/lanes.ts, file-database.ts).
// Adapters the scaffold test makes (test/adapters/scaffold.int.test.ts) run only in its own child run.
const scaffolded = process.env.SCAFFOLD_TEST ? [] : ['adapters/scaffold-test-*/**'];

export default defineConfig({
  test: {
    // One worker per lane; a lane's files run one after another (a child run inside a test: one).
    maxWorkers: process.env.HUB_TEST_DATABASE ? 1 : laneCount(),
    minWorkers: 1,
    pool: 'forks',
    // A worker runs its files one after another in one process and loads the hub's modules once,
    // not once per file (each integration file still gets its own database and leaves nothing
    // running, test/support/file-database.ts). vitest runs the unit files, then the integration
    // files, each project in fresh workers.
    isolate: false,
    // Longest files first (from the last run, or test/durations.json on a fresh clone): the lanes end together.
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.unit.test.ts', 'adapters/**/*.unit.test.ts'],
          exclude: ['**/node_modules/**', ...scaffolded],
          // `npm test` runs the unit files beside eslint, tsc and the stack's first fetch (Maven,
          // unzipping): on a fresh 2-core machine a test of a few hundred milliseconds alone took
          // past vitest's 5 s default. A timeout here catches a hang, not a slow machine.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'int',
          include: ['test/**/*.int.test.ts', 'adapters/**/*.int.test.ts'],
          exclude: ['**/node_modules/**', ...scaffolded],
          globalSetup: ['test/global-setup.ts'],
          setupFiles: ['test/support/file-database.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // `npm run test:cluster`: the hub on three Zeebe and three Kafka brokers, with brokers killed
        // (test/cluster/cluster.cluster.test.ts). Not part of `npm test`: run before a release.
        test: { name: 'cluster', include: ['test/cluster/**/*.cluster.test.ts'], testTimeout: 600_000, hookTimeout: 600_000 },
      },
    ],
  },
});
