import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/gen-corpus';
import { differences } from '../helpers/dist';
import { astroBuild, exclusively, releaseWhenRendering, run } from '../helpers/run';
import { FIXTURE_NOW, ROOT, TMP } from '../helpers/sites';

/**
 * The sharded build (src/data/shards.ts, scripts/shards.ts) on a small multi-year corpus: the demo
 * content (this year) plus generated stories of two past years, with photos. The assembled
 * dist/ must be byte for byte the full build's, before and after a 2016 story is corrected, and
 * the correction must rebuild the 2016 shard only. (Two past years prove "only" as three did,
 * one shard build fewer each time.) Each full build runs beside the sharded build it is compared
 * with: the two take turns on `.astro/` (tests/helpers/run.ts) and otherwise overlap.
 */
const DIR = join(TMP, 'sharded-build');
const CONTENT = join(DIR, 'content');
const SHARDS = join(DIR, 'shards');
const EPOCH = String(FIXTURE_NOW.getTime() / 1000);
const YEARS = ['2016', '2022'];

const env = (cache: string) => ({
  MASTHEAD_CONTENT_DIR: CONTENT,
  MASTHEAD_CACHE_DIR: join(DIR, cache),
  MASTHEAD_DEFAULT_STATION: 'kxpr',
  SOURCE_DATE_EPOCH: EPOCH,
});

async function fullBuild(out: string) {
  const r = await astroBuild({
    contentDir: CONTENT,
    outDir: join(DIR, out),
    cacheDir: join(DIR, 'cache-full'),
    defaultStation: 'kxpr',
    sourceDateEpoch: EPOCH,
    timeoutMs: 1_800_000,
    heapLimitMb: null,
  });
  expect(r.status, r.output).toBe(0);
}

/**
 * `npm run shards -- <args>`, one build at a time with the other test files' builds. It runs its
 * builds one after another, `builds` in all: the last may render beside another file's build.
 */
async function shards(args: string[], builds = 0) {
  const r = await exclusively((release) =>
    run(
      'npm',
      ['run', '-s', 'shards', '--', ...args, '--shards', SHARDS, '--out', join(DIR, 'assembled')],
      { ...env('cache-sharded'), NODE_OPTIONS: '' },
      1_800_000,
      builds ? releaseWhenRendering(release, builds) : undefined,
    ),
  );
  expect(r.status, r.output).toBe(0);
  return r.output;
}

const builtAt = () => Object.fromEntries(YEARS.map((y) => [y, JSON.parse(readFileSync(join(SHARDS, y, 'shard.json'), 'utf8')).builtAt as string]));

let story2016: string;

beforeAll(async () => {
  rmSync(DIR, { recursive: true, force: true });
  await generateCorpus({ dir: CONTENT, stories: 24 });
  // Keep two past years (and this one), so the corpus has two shards and stories in the core build.
  const articles = join(CONTENT, 'articles');
  for (const year of readdirSync(articles)) {
    if (/^\d{4}$/.test(year) && ![...YEARS, '2026'].includes(year)) rmSync(join(articles, year), { recursive: true });
  }
  cpSync(join(ROOT, 'content/articles'), articles, { recursive: true });
  story2016 = join(articles, '2016', readdirSync(join(articles, '2016')).find((f) => f.endsWith('.md'))!);
}, 600_000);

describe('the sharded build', () => {
  it('plans one shard per past year, all to build', async () => {
    const plan = JSON.parse((await shards(['plan', '--json'])).replace(/^\[shards\].*\n/gm, '')) as { shards: { id: string; dirty: boolean }[] };
    expect(plan.shards.map((s) => [s.id, s.dirty])).toEqual(YEARS.map((y) => [y, true]));
  }, 120_000);

  it('assembles the core build and the shards into the full build, byte for byte', async () => {
    // Each shard, then the core build.
    const [, log] = await Promise.all([fullBuild('full'), shards(['sharded'], YEARS.length + 1)]);
    for (const y of YEARS) expect(log).toContain(`built shard ${y}:`);
    expect(existsSync(join(SHARDS, '2016/files/news/2016'))).toBe(true);
    // The core took the kept pages' head facts and CSP scan from each shard's pages.json, not from the pages.
    expect(log).toMatch(/merged 2 shard\(s\), (\d+) story pages, \1 of them described by their shard's pages\.json/);
    expect(differences(join(DIR, 'full'), join(DIR, 'assembled'))).toEqual([]);
  }, 1_800_000);

  it('after a correction to a 2016 story, rebuilds the 2016 shard only, and still matches the full build', async () => {
    const before = builtAt();
    writeFileSync(story2016, `${readFileSync(story2016, 'utf8')}\nCorrection: an earlier version of this story misspelled a name.\n`);
    const planned = await shards(['plan']);
    expect(planned).toMatch(/\] 2016: .*build \(changed: .*2016\/.*\.md\)/);
    expect(planned).toMatch(/\] 2022: .*kept output reused/);

    // The 2016 shard, then the core build.
    const [, log] = await Promise.all([fullBuild('full-edited'), shards(['sharded'], 2)]);
    expect(log).toContain('built shard 2016:');
    expect(log).not.toContain('built shard 2022:');
    // The core build started beside the shard build, passed its gate, and waited inside Astro for its turn in .astro/.
    expect(log).toMatch(/waited \d+\.\d s for its turn in \.astro\//);
    // A body edit changes no listing: the core build puts every listing page back from its listing cache.
    expect(log).toMatch(/listing pages: 0 rendered, [1-9]\d* kept from the last build/);
    const after = builtAt();
    expect(after['2016']).not.toBe(before['2016']);
    expect(after['2022']).toBe(before['2022']);

    expect(differences(join(DIR, 'full-edited'), join(DIR, 'assembled'))).toEqual([]);
    // The sitemap lists the shards' pages with their dates, as the full build's does.
    expect(readFileSync(join(DIR, 'assembled/sitemap-0.xml'), 'utf8')).toMatch(/news\/2016\/[^<]+<\/loc><lastmod>/);
  }, 1_800_000);

  it('with no shard to build, the core build takes its turn at once and the output is unchanged', async () => {
    const before = builtAt();
    const log = await shards(['sharded'], 1);
    expect(log).not.toContain('built shard');
    expect(log).toMatch(/waited \d+\.\d s for its turn in \.astro\//);
    expect(builtAt()).toEqual(before);
    expect(differences(join(DIR, 'full-edited'), join(DIR, 'assembled'))).toEqual([]);
  }, 1_800_000);

  it('when the core build refuses a story, stops the shard build beside it and keeps the previous output', async () => {
    const before = readFileSync(story2016, 'utf8');
    // Frontmatter the plan accepts; a body only the core build's gate reads.
    writeFileSync(story2016, `${before}\n<script>alert(1)</script>\n`);
    try {
      const r = await exclusively(() =>
        run('npm', ['run', '-s', 'shards', '--', 'sharded', '--shards', SHARDS, '--out', join(DIR, 'assembled')], { ...env('cache-sharded'), NODE_OPTIONS: '' }, 600_000),
      );
      expect(r.status).toBe(1);
      expect(r.output).toMatch(/content check failed: \d+ errors?/);
      expect(r.output).toContain(story2016.split('/').pop()!);
      expect(r.output).not.toContain('built shard 2016:');
      // Nothing of the last good build was deleted for a build that never started.
      expect(differences(join(DIR, 'full-edited'), join(DIR, 'assembled'))).toEqual([]);
    } finally {
      writeFileSync(story2016, before);
    }
  }, 600_000);

  it('refuses to assemble without a shard, naming it and the command that builds it', async () => {
    rmSync(join(SHARDS, '2022'), { recursive: true });
    const r = await exclusively(() =>
      run('npm', ['run', '-s', 'assemble', '--', '--shards', SHARDS, '--out', join(DIR, 'refused')], { ...env('cache-sharded'), NODE_OPTIONS: '' }, 600_000),
    );
    expect(r.status).toBe(1);
    expect(r.output).toContain('2022 (no kept output) must be built first (hint: npm run shards -- build 2022, or npm run build:sharded)');
  }, 600_000);
});
