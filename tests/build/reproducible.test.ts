import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../helpers/build-site';
import { listFiles } from '../helpers/dist';
import { SITES, TMP } from '../helpers/sites';

/** Two builds of the fixture site at the same SOURCE_DATE_EPOCH, on machines that differ as much
 * as this one can make them: output folder, cache, locale and time zone. The first is the global
 * setup's build (tests/helpers/global-setup.ts), in the test run's own locale and zone, with a
 * cache that is cold on a clean clone and warm on a rerun (the cache must not change the output
 * either); the second is built here, with a cold cache, in Swedish at UTC+14. */
const RUNS = [
  { name: 'a', outDir: SITES.fixtures.outDir },
  {
    name: 'b',
    outDir: `${TMP}/reproducible-b`,
    cacheDir: `${TMP}/reproducible-cache-b`,
    env: { LANG: 'sv_SE.UTF-8', LC_ALL: 'sv_SE.UTF-8', TZ: 'Pacific/Kiritimati' },
  },
] as const;

const hashes = (dir: string) =>
  new Map(
    listFiles(dir).map((f) => [
      f,
      createHash('sha256')
        .update(readFileSync(join(dir, f)))
        .digest('hex'),
    ]),
  );

let trees: Map<string, string>[];

beforeAll(async () => {
  const b = RUNS[1];
  rmSync(b.outDir, { recursive: true, force: true });
  rmSync(b.cacheDir, { recursive: true, force: true });
  await buildSite('fixtures', { ...b.env, MASTHEAD_CACHE_DIR: b.cacheDir }, b.outDir);
  trees = RUNS.map((run) => hashes(run.outDir));
}, 300_000); // one build, waiting its turn behind other files' builds

describe('a reproducible build', () => {
  it('gives byte-identical trees for the same commit and SOURCE_DATE_EPOCH', () => {
    const [a, b] = trees as [Map<string, string>, Map<string, string>];
    const differing = [...new Set([...a.keys(), ...b.keys()])]
      .sort()
      .filter((f) => a.get(f) !== b.get(f))
      .map((f) => (!a.has(f) ? `${f}: only in build b` : !b.has(f) ? `${f}: only in build a` : `${f}: contents differ`));
    expect(differing).toEqual([]);
  });

  it('covers the whole site, host files and content-hashed assets included', () => {
    const files = [...trees[0]!.keys()];
    expect(files).toEqual(expect.arrayContaining(['index.html', '_headers', '_redirects', 'sitemap-index.xml']));
    expect(files.filter((f) => f.startsWith('_astro/')).length).toBeGreaterThan(5);
    // Asset names carry a hash of their content, so a changed file can never keep its old name.
    for (const f of files.filter((f) => f.startsWith('_astro/'))) expect(f).toMatch(/\.[\w-]{8}(_[\w-]+)?\.\w+$/);
  });
});

describe('the tested build', () => {
  it('is the one `npm run build` makes: no dev-only markup from the test runner’s environment', () => {
    // Astro marks content images with data-image-component only when import.meta.env.DEV; vitest's
    // DEV=1 once leaked into every test build (tests/helpers/run.ts, withoutVitest).
    for (const run of RUNS)
      for (const f of listFiles(run.outDir).filter((f) => f.endsWith('.html') || f.endsWith('.xml')))
        expect(readFileSync(join(run.outDir, f), 'utf8'), f).not.toContain('data-image-component');
  });
});
