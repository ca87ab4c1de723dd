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
  /** A copy of the fixtures with one story edited, built a day later (see tests/build/feeds.test.ts). */
  fixturesEdited: {
    contentDir: `${TMP}/fixtures-edited-content`,
    outDir: `${TMP}/fixtures-edited-dist`,
    cacheDir: `${TMP}/cache-fixtures-edited`,
    defaultStation: 'kfix',
    sourceDateEpoch: String(FIXTURE_NOW.getTime() / 1000 + 24 * 3600),
  },
  /** Over 1,000 generated stories from the two days before NEWS_FLOOD_NOW (tests/build/news-sitemap.test.ts). */
  newsFlood: {
    contentDir: `${TMP}/news-flood-content`,
    outDir: `${TMP}/news-flood-dist`,
    cacheDir: `${TMP}/cache-news-flood`,
    defaultStation: 'kfix',
    sourceDateEpoch: String(Date.parse('2026-06-15T12:00:00Z') / 1000),
  },
} as const;

export type SiteName = keyof typeof SITES;
