import { defineConfig } from 'vitest/config';
import { settings } from './infra/config.js';

// Tests never touch the hub's own database: they use the same server with "_test" appended to
// the database name (set before anything reads the configuration).
const url = new URL(process.env.DATABASE_URL || settings.DATABASE_URL.default);
if (!url.pathname.endsWith('_test')) url.pathname = `${url.pathname}_test`;
process.env.DATABASE_URL = url.toString();
// The test database persists between runs, and most tests call with fixed test callers: merging
// repeat calls (重复件) would link their orders to open orders of earlier runs. Off, except where a
// test turns it on (test/gateway/repeats.int.test.ts).
process.env.MERGE_WINDOW_HOURS ??= '0';

// *.unit.test.ts need nothing running; *.int.test.ts run against the real local stack, which
// test/global-setup.ts brings up (and stops again when it was the one that started it).
// Adapters the scaffold test makes (test/adapters/scaffold.int.test.ts) run only in its own child run.
const scaffolded = process.env.SCAFFOLD_TEST ? [] : ['adapters/scaffold-test-*/**'];

export default defineConfig({
  test: {
    // One stack on two cores: test files run one after another.
    fileParallelism: false,
    projects: [
      {
        test: { name: 'unit', include: ['test/**/*.unit.test.ts', 'adapters/**/*.unit.test.ts'], exclude: ['**/node_modules/**', ...scaffolded] },
      },
      {
        test: {
          name: 'int',
          include: ['test/**/*.int.test.ts', 'adapters/**/*.int.test.ts'],
          exclude: ['**/node_modules/**', ...scaffolded],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
