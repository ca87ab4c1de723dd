import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';
import { LongestFirst } from './tests/helpers/sequencer.ts';

/**
 * Unit tests run first, all workers at once. Then every test that builds, checks or browses a
 * site runs in one group, two files at a time (most of these files wait on a child process: an
 * `astro build`, check:content or Chromium), the longest first (tests/helpers/sequencer.ts). Builds
 * take turns across files to sync and bundle: they share the project's `.astro/` folder
 * (tests/helpers/run.ts, astroBuild). The site project's three builds
 * start with the run and go on while the unit tests run (tests/helpers/site-builds.ts).
 */
const SITE_GROUP = { sequence: { groupOrder: 1 }, maxWorkers: 2 } as const;

/** Projects whose tests each check or build their own small copy of content, two at a time in a file. */
const OWN_COPIES = { testTimeout: 600_000, hookTimeout: 320_000, maxConcurrency: 2, ...SITE_GROUP };

/** A security test of `npm run verify` on the fixture build the `site` project's global setup makes. */
const VERIFY_HOSTILE = 'tests/security/verify-hostile.test.ts';

export default defineConfig({
  test: {
    environment: 'node',
    // Longest files first, across projects (a clean clone has no record of the last run).
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        extends: true,
        // All cores, stated: vitest's default on 2 cores is one worker, and a one-worker project
        // of group 0 is moved to the end of the run and run one file at a time.
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], maxWorkers: availableParallelism() },
      },
      {
        // Each test checks and builds its own small copy of content (malformed cases, `npm run new`,
        // escaping), two at a time within a file.
        extends: true,
        test: {
          name: 'content',
          include: ['tests/content/**/*.test.ts'],
          ...OWN_COPIES,
        },
      },
      {
        // The hostile-content catalogue and the property tests of the defences: like `content`,
        // each case checks or builds its own small copy.
        extends: true,
        test: {
          name: 'security',
          include: ['tests/security/**/*.test.ts'],
          exclude: [...configDefaults.exclude, VERIFY_HOSTILE],
          ...OWN_COPIES,
        },
      },
      {
        // Build and browser tests share one build of the fixture and demo sites.
        extends: true,
        test: {
          name: 'site',
          // verify-hostile edits a copy of the fixture build, so it runs here, after the global setup.
          include: ['tests/build/**/*.test.ts', 'tests/e2e/**/*.test.ts', VERIFY_HOSTILE],
          // The global setup starts the builds; each file waits for them before it is loaded.
          globalSetup: ['tests/helpers/global-setup.ts'],
          setupFiles: ['tests/helpers/wait-for-sites.ts'],
          testTimeout: 60_000,
          // Browser tests that run concurrently (a11y, keyboard, page-load): two pages at a time per file.
          maxConcurrency: 2,
          hookTimeout: 120_000,
          ...SITE_GROUP,
        },
      },
    ],
  },
});
