import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] },
      },
      {
        // Each test checks and builds its own small copy of content (malformed cases, `npm run new`,
        // escaping). Two at a time: the machine has two cores.
        extends: true,
        test: {
          name: 'content',
          include: ['tests/content/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          maxConcurrency: 2,
          fileParallelism: false,
        },
      },
      {
        // The hostile-content catalogue and the property tests of the defences: like `content`,
        // each case checks or builds its own small copy.
        extends: true,
        test: {
          name: 'security',
          include: ['tests/security/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 320_000,
          maxConcurrency: 2,
          fileParallelism: false,
        },
      },
      {
        // Build and browser tests share one build of the fixture and demo sites.
        extends: true,
        test: {
          name: 'site',
          include: ['tests/build/**/*.test.ts', 'tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/helpers/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
