import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import slugifyText from '@sindresorhus/slugify';
import { describe, expect, it } from 'vitest';
import { checkerSalt, decode, encode, openFactsCache, type FactsCache } from '../../src/checks/facts-cache';
import { formatAnnotations } from '../../src/checks/github';
import { checkContent } from '../../src/checks/index';
import { pathUnder } from '../../src/checks/story';
import { readShardFacts } from '../../src/data/shard-facts';
import { formatReport } from '../../src/content/problems';
import { slugify } from '../../src/lib/slug';
import { siteConfig } from '../../src/site.config';
import { loadCases, prepare, type CatalogueCase } from '../helpers/catalogue';
import { copyContent, scriptCommand } from '../helpers/run';
import { FIXTURE_NOW, ROOT } from '../helpers/sites';

/**
 * check:content's per-story cache (src/checks/facts-cache.ts) must never change what it reports:
 * a cold cache, a warm one, and a warm one after one story is edited must each print exactly what
 * a run without a cache prints, on every case of both catalogues of bad content and on the demo
 * content; a damaged, foreign or forged cache file is ignored.
 */

const SALT = checkerSalt({ embedHosts: siteConfig.embedHosts });

/** Everything a run shows: the report, the GitHub annotations, the counts and the stories the summary lists. */
function shownBy(content: string, cache?: FactsCache): string {
  const r = checkContent({ contentDir: content, root: ROOT, now: FIXTURE_NOW, embedHosts: siteConfig.embedHosts, cache });
  return [formatReport(r.problems), formatAnnotations(r.problems), JSON.stringify(r.counts), JSON.stringify(r.stories)].join('\n--\n');
}

/**
 * Each run starts now, with no margin for coarse clocks: the files were all written before the cold run
 * started, so a warm run trusts them by their stat (the CLI's margin is tested in check-content-cache-stat).
 */
const now = () => ({ startedNs: BigInt(Date.now()) * 1_000_000n, racyMarginNs: 0n });

/** Cold, warm, then warm after editing `edit`: each against a run without the cache. */
function expectCacheChangesNothing(content: string, cacheFile: string, edit: string | undefined) {
  rmSync(cacheFile, { force: true });
  const fresh = shownBy(content);
  const cold = openFactsCache(cacheFile, SALT, now());
  expect(shownBy(content, cold), 'cold cache').toBe(fresh);
  cold.save();
  const warm = openFactsCache(cacheFile, SALT, now());
  expect(shownBy(content, warm), 'warm cache').toBe(fresh);
  expect(warm.stats.ignored).toBeUndefined();
  expect(warm.stats.misses, 'a warm run parses nothing again').toBe(0);
  expect(warm.stats.byStat, 'a warm run trusts every story by its stat, unread').toBe(warm.stats.hits);
  warm.save();
  if (!edit) return;
  appendFileSync(edit, '\n\nA line added by the cache test.\n');
  const freshEdited = shownBy(content);
  const edited = openFactsCache(cacheFile, SALT, now());
  expect(shownBy(content, edited), 'warm cache after an edit').toBe(freshEdited);
  // The edited file is read afresh when it is a story the checker reads (not a refused or skipped file).
  expect(edited.stats.misses, 'only the edited story is read afresh').toBeLessThanOrEqual(1);
  expect(edited.stats.hits + edited.stats.misses, 'the other stories come from the cache').toBe(cold.stats.misses);
}

/** A story to edit: the case's own file when it is one, else the first story. */
function storyToEdit(content: string, c?: CatalogueCase): string | undefined {
  const own = c && join(content, c.file);
  if (own && own.endsWith('.md') && existsSync(own) && statSync(own).isFile()) return own;
  const articles = join(content, 'articles');
  const first = readdirSync(articles, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .sort()[0];
  return first && join(articles, first);
}

for (const catalogue of ['malformed', 'hostile']) {
  const dir = join(ROOT, 'tests/fixtures', catalogue);
  describe(`the check:content cache on the ${catalogue} catalogue`, () => {
    for (const [name, c] of loadCases(dir)) {
      it(`${name}: cold, warm and after an edit, the same report as without it`, async () => {
        const { dir: caseDir, content } = await prepare(dir, `cache-${catalogue}/${name}`, [[name, c]]);
        expectCacheChangesNothing(content, join(caseDir, 'facts.json'), storyToEdit(content, c));
      });
    }
  });
}

describe('the check:content cache', () => {
  it('changes nothing on the demo content, through the CLI: cold, warm and after an edit', () => {
    const { dir, content } = copyContent('check-cache-demo', join(ROOT, 'content'));
    const cacheFile = join(dir, 'facts.json');
    const cli = (...args: string[]) => {
      const r = spawnSync(
        process.execPath,
        [...scriptCommand('check:content'), '--content', content, '--now', FIXTURE_NOW.toISOString(), '--cache-stats', ...args],
        { cwd: ROOT, encoding: 'utf8', env: { ...process.env, MASTHEAD_CHECK_CACHE: cacheFile } },
      );
      // The last line says how long it took.
      return { out: r.stdout.replace(/ in \d+\.\d+ s:/, ' in (time):'), err: r.stderr, status: r.status };
    };
    const fresh = cli('--no-cache');
    expect(fresh.out).toMatch(/18 stories/);
    expect(existsSync(cacheFile)).toBe(false);
    const cold = cli();
    expect(cold).toMatchObject({ out: fresh.out, status: fresh.status });
    expect(cold.err).toContain('0 stories unchanged, 18 checked afresh');
    const warm = cli();
    expect(warm).toMatchObject({ out: fresh.out, status: fresh.status });
    expect(warm.err).toContain('18 stories unchanged, 0 checked afresh');
    // An edit that makes a warning: only that story is read afresh, and the warning shows.
    const story = storyToEdit(content)!;
    writeFileSync(story, readFileSync(story, 'utf8').replace(/^dek: .*$/m, `dek: "${'A very long dek. '.repeat(14)}"`));
    const freshEdited = cli('--no-cache');
    expect(freshEdited.out).toMatch(/dek: is \d+ characters/);
    const edited = cli();
    expect(edited).toMatchObject({ out: freshEdited.out, status: freshEdited.status });
    expect(edited.err).toContain('17 stories unchanged, 1 checked afresh');
  });

  it('ignores a damaged, cut-short, foreign or forged cache file, and reports as without it', async () => {
    const { dir, content } = await prepare(join(ROOT, 'tests/fixtures/malformed'), 'cache-hostile-file', []);
    const cacheFile = join(dir, 'facts.json');
    const fresh = shownBy(content);
    const good = openFactsCache(cacheFile, SALT, now());
    shownBy(content, good);
    good.save();
    const saved = readFileSync(cacheFile);
    const [header, body] = [saved.subarray(0, saved.indexOf(0x0a)).toString(), saved.subarray(saved.indexOf(0x0a) + 1).toString()];
    // A file whose digest matches: only what is in it decides.
    const withBody = (b: string) => {
      const h = JSON.parse(header) as { digest: string };
      h.digest = createHash('sha256').update(b).digest('base64url');
      return `${JSON.stringify(h)}\n${b}`;
    };
    const [meta, ...lines] = body.split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(1);
    const forged = (change: (e: Record<string, unknown>) => void) => {
      const [path, stat, key, facts] = lines[0]!.split('\t');
      const entry = JSON.parse(facts!) as Record<string, unknown>;
      change(entry);
      return withBody([meta, [path, stat, key, JSON.stringify(entry)].join('\t'), ...lines.slice(1)].join('\n'));
    };
    const files: [string, string | Buffer, RegExp | undefined][] = [
      ['random bytes', Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0a, 0x7b]), /unreadable|format/],
      ['cut short', saved.subarray(0, saved.length - 100), /digest/],
      ['one byte changed', saved.toString().replace('"steps":', '"steqs":'), /digest/],
      ['another checker', saved.toString().replace(SALT, 'another-salt'), /another checker/],
      ['not JSON after the header', `${header}\n{"a":`, /digest|unreadable/],
      ['a line that is not path, stat, key and facts', withBody([meta, 'x', ...lines].join('\n')), /damaged: line 3/],
      // The digest matches but the entries are not what the checker writes: each is checked afresh.
      ['an extra field', forged((e) => (e.extra = 1)), undefined],
      ['a problem of the wrong shape', forged((e) => (e.steps = [{ problem: { field: 1, message: 'x' } }])), undefined],
      ['an unknown tag', forged((e) => (e.bodyImages = { '\u0000': 'x' })), undefined],
      ['an entry with nothing in it', forged((e) => Object.keys(e).forEach((k) => delete e[k])), undefined],
      ['no run start', withBody(['{"zoned":{}}', ...lines].join('\n')), /no entries/],
    ];
    for (const [what, bytes, ignored] of files) {
      writeFileSync(cacheFile, bytes);
      const cache = openFactsCache(cacheFile, SALT, now());
      expect(shownBy(content, cache), what).toBe(fresh);
      if (ignored) expect(cache.stats.ignored, what).toMatch(ignored);
      else expect(cache.stats.misses, what).toBeGreaterThanOrEqual(1);
    }
    // A stat that is not one vouches for nothing: the story is read and found by its bytes.
    writeFileSync(cacheFile, withBody([meta, lines[0]!.replace(/\t[^\t]*\t/, '\tnot-a-stat\t'), ...lines.slice(1)].join('\n')));
    const badStat = openFactsCache(cacheFile, SALT, now());
    expect(shownBy(content, badStat)).toBe(fresh);
    expect(badStat.stats).toMatchObject({ misses: 0, byStat: badStat.stats.hits - 1 });
  });

  it('keeps plain data exactly: undefined, dates, -0, NaN and __proto__ keys come back as they were', () => {
    const roundTrip = (v: unknown) => decode(JSON.parse(JSON.stringify(encode(v))));
    fc.assert(
      fc.property(fc.anything({
          key: fc.string().filter((k) => !k.startsWith('\u0000')),
          withDate: true,
          withNullPrototype: false,
          withObjectString: false,
          withSparseArray: false,
        }), (v) => {
        expect(roundTrip(v)).toStrictEqual(v);
      }),
    );
    const odd = JSON.parse('{"__proto__": {"polluted": true}}') as object;
    const back = roundTrip(odd) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(['__proto__']);
    expect(Object.is(roundTrip(-0), -0)).toBe(true);
    expect(() => encode(new Map())).toThrow();
    expect(() => encode([1, , 3])).toThrow(); // eslint-disable-line no-sparse-arrays
  });
});

describe("the shard plan's read of the frontmatter", () => {
  it("takes unchanged stories from check:content's cache and gives exactly the facts it reads afresh", () => {
    const { dir, content } = copyContent('cache-shard-facts', join(ROOT, 'content'));
    // A story the cache cannot vouch for (edited after the check) is read afresh.
    const cache = openFactsCache(join(dir, 'facts.json'), SALT);
    shownBy(content, cache);
    cache.save();
    const edited = storyToEdit(content)!;
    appendFileSync(edited, '\nEdited after the check.\n');
    const warm = openFactsCache(join(dir, 'facts.json'), SALT);
    const site = { ...siteConfig, defaultStation: 'kxpr' };
    const afresh = readShardFacts({ root: ROOT, contentDir: content, now: FIXTURE_NOW, site });
    const cached = readShardFacts({
      root: ROOT,
      contentDir: content,
      now: FIXTURE_NOW,
      site,
      cachedStory: (file, bytes) => warm.get(warm.key(pathUnder(content, file), bytes))?.entry,
    });
    expect(warm.stats).toMatchObject({ hits: 17, misses: 1 });
    expect(cached).toStrictEqual(afresh);
  });
});

describe('slugify', () => {
  it('returns a string that is already a slug unchanged, as @sindresorhus/slugify does (its fast path)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9]+(?:-[a-z0-9]+)*$/), (s) => {
        expect(slugify(s)).toBe(slugifyText(s, { decamelize: false }));
      }),
      { numRuns: 2000 },
    );
  });
});
