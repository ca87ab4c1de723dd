import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const TMP = `${ROOT}tests/.tmp`;

/** The fixed "now" of the fixture build: 2026-11-25T12:00:00Z. */
export const FIXTURE_NOW = new Date('2026-11-25T12:00:00Z');

export const SITES = {
  /** Named edge cases in tests/fixtures/content, built at FIXTURE_NOW. */
  fixtures: {
    contentDir: `${ROOT}tests/fixtures/content`,
    outDir: `${TMP}/fixtures-dist`,
    cacheDir: `${TMP}/cache-fixtures`,
    defaultStation: 'kfix',
    sourceDateEpoch: String(FIXTURE_NOW.getTime() / 1000),
  },
  /** A scratch copy of the fixtures that tests/build/incremental.test.ts edits between builds. */
  incremental: {
    contentDir: `${TMP}/incremental-content`,
    outDir: `${TMP}/incremental-dist`,
    cacheDir: `${TMP}/cache-incremental`,
    defaultStation: 'kfix',
    sourceDateEpoch: String(FIXTURE_NOW.getTime() / 1000),
  },
  /** The bundled sample content, as `npm start` builds it. */
  demo: {
    contentDir: `${ROOT}content`,
    outDir: `${TMP}/demo-dist`,
    cacheDir: `${TMP}/cache-demo`,
    defaultStation: 'kxpr',
    sourceDateEpoch: undefined,
  },
} as const;

export type SiteName = keyof typeof SITES;
