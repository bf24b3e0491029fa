import { defineConfig } from 'vitest/config';

// *.unit.test.ts need nothing running; *.int.test.ts run against the real local stack, which
// test/global-setup.ts brings up (and stops again when it was the one that started it).
export default defineConfig({
  test: {
    // One stack on two cores: test files run one after another.
    fileParallelism: false,
    projects: [
      {
        test: { name: 'unit', include: ['test/**/*.unit.test.ts'] },
      },
      {
        test: {
          name: 'int',
          include: ['test/**/*.int.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
