import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeSearchIndex, type SearchIndexOptions, type SearchStory } from '../../src/outputs/search-index';
import { listFiles } from '../../src/lib/list-files';
import { SEARCH_ERAS_FILE, type SearchErasManifest } from '../../src/lib/search-params';
import { TMP } from '../helpers/sites';
import { searchStory } from '../helpers/search-stories';

// Real Pagefind runs on real bundles: the cache must give the bytes a fresh index gives, and
// index again exactly the eras whose stories changed.

const ROOT = join(TMP, 'search-cache-unit');
const story = (iso: string, slug: string, title?: string): SearchStory => searchStory(iso, slug, { title });
// Two stories an era: 2016, 2019, 2024 and 2026 (eraStories 2).
const STORIES = [
  story('2016-03-02T15:00:00Z', 'museum'),
  story('2016-09-02T15:00:00Z', 'ledgers'),
  story('2019-05-02T15:00:00Z', 'ferry'),
  story('2019-08-02T15:00:00Z', 'lighthouse'),
  story('2024-06-02T15:00:00Z', 'dredging'),
  story('2024-07-02T15:00:00Z', 'levee'),
  story('2026-06-10T16:00:00Z', 'budget'),
];
const OPTIONS: SearchIndexOptions = { now: new Date('2026-11-25T12:00:00Z'), fullTextYears: 2, eraStories: 2, lang: 'en-US' };
const CACHE = join(ROOT, 'cache');

/** Every file of a folder with its bytes: two folders are byte-identical when these are equal. */
function tree(dir: string): Record<string, string> {
  return Object.fromEntries(listFiles(dir).map((rel) => [rel, readFileSync(join(dir, rel)).toString('base64')]));
}
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, SEARCH_ERAS_FILE), 'utf8')) as SearchErasManifest;
const entries = () => readdirSync(CACHE).sort();

/** The cache entry holding the bundle `era` of the index in `dir`, found by its Pagefind entry file. */
function entryOf(dir: string, eraId: string): string {
  const era = manifest(dir).eras.find((e) => e.id === eraId)!;
  const published = readFileSync(join(dir, era.dir, 'pagefind-entry.json'), 'utf8');
  const name = entries().find((n) => readFileSync(join(CACHE, n, 'pagefind-entry.json'), 'utf8') === published);
  if (!name) throw new Error(`no cache entry holds era ${eraId}`);
  return join(CACHE, name);
}

describe('the search index with a build cache', () => {
  const fresh = join(ROOT, 'fresh');
  const cold = join(ROOT, 'cold');

  beforeAll(async () => {
    rmSync(ROOT, { recursive: true, force: true });
    mkdirSync(ROOT, { recursive: true });
    await writeSearchIndex(STORIES, fresh, OPTIONS);
  });

  it('indexes every era when the cache is empty, keeps each, and writes the same bytes as an index without a cache', async () => {
    const written = await writeSearchIndex(STORIES, cold, { ...OPTIONS, cacheDir: CACHE });
    expect(written.eras.map((e) => e.id)).toEqual(['2026', '2024', '2019', '2016']);
    expect(written.indexed).toEqual(['2026', '2024', '2019', '2016']);
    expect(written.reused).toEqual([]);
    expect(entries()).toHaveLength(4);
    expect(tree(cold)).toEqual(tree(fresh));
  });

  it('reuses every era for the same stories, in any order, byte for byte', async () => {
    const again = join(ROOT, 'again');
    const written = await writeSearchIndex([...STORIES].reverse(), again, { ...OPTIONS, cacheDir: CACHE });
    expect(written.indexed).toEqual([]);
    expect(written.reused).toEqual(['2026', '2024', '2019', '2016']);
    expect(written.pruned).toBe(0);
    expect(tree(again)).toEqual(tree(fresh));
  });

  it('indexes again only the era of an edited old story, as a fresh index of the edited stories would be, and drops the old entry', async () => {
    const edited = STORIES.map((s) => (s.path.includes('/ferry/') ? story('2019-05-02T15:00:00Z', 'ferry', 'Ferry service returns') : s));
    const dir = join(ROOT, 'edited');
    const written = await writeSearchIndex(edited, dir, { ...OPTIONS, cacheDir: CACHE });
    expect(written.indexed).toEqual(['2019']);
    expect(written.reused).toEqual(['2026', '2024', '2016']);
    // The 2019 entry of the unedited stories is no longer used.
    expect(written.pruned).toBe(1);
    expect(entries()).toHaveLength(4);
    const freshEdited = join(ROOT, 'fresh-edited');
    await writeSearchIndex(edited, freshEdited, OPTIONS);
    expect(tree(dir)).toEqual(tree(freshEdited));
    expect(tree(dir)).not.toEqual(tree(fresh));
  });

  it('leaves older eras’ bundles and addresses untouched when a story is added this year', async () => {
    const before = join(ROOT, 'before-new');
    await writeSearchIndex(STORIES, before, { ...OPTIONS, cacheDir: CACHE });
    const dir = join(ROOT, 'new-story');
    const written = await writeSearchIndex([...STORIES, story('2026-11-20T16:00:00Z', 'ferry-vote')], dir, { ...OPTIONS, cacheDir: CACHE });
    expect(written.indexed).toEqual(['2026']);
    expect(written.reused).toEqual(['2024', '2019', '2016']);
    const old = (d: string) => manifest(d).eras.slice(1);
    expect(old(dir)).toEqual(old(before));
    for (const era of old(dir)) expect(tree(join(dir, era.dir))).toEqual(tree(join(before, era.dir)));
    // The newest era is the bundle root, beside the older eras' folders.
    const newest = (d: string) => Object.entries(tree(d)).filter(([rel]) => !rel.startsWith('archive/') && rel !== SEARCH_ERAS_FILE);
    expect(newest(dir)).not.toEqual(newest(before));
  });

  describe('a damaged entry is never published', () => {
    const damages: [string, (entry: string) => void][] = [
      [
        'a truncated file',
        (entry) => {
          const file = join(
            entry,
            listFiles(entry).find((f) => f.includes('pf_fragment'))!,
          );
          // A new file, not the same inode: the published copies are hard links to the entry's files.
          const bytes = readFileSync(file);
          rmSync(file);
          writeFileSync(file, bytes.subarray(0, bytes.length - 1));
        },
      ],
      [
        'a missing file',
        (entry) =>
          rmSync(
            join(
              entry,
              listFiles(entry).find((f) => f.includes('pf_index'))!,
            ),
          ),
      ],
      [
        'another page count',
        (entry) => {
          const file = join(entry, 'pagefind-entry.json');
          const text = readFileSync(file, 'utf8').replace(/"page_count":2/, '"page_count":3');
          rmSync(file);
          writeFileSync(file, text);
        },
      ],
      ['no record of its files (cut short before the rename)', (entry) => rmSync(join(entry, '.masthead-entry.json'))],
    ];

    it.each(damages)('%s: the era is indexed again and the output is a fresh index’s', async (_, damage) => {
      const base = join(ROOT, 'base');
      await writeSearchIndex(STORIES, base, { ...OPTIONS, cacheDir: CACHE });
      damage(entryOf(base, '2019'));
      const dir = join(ROOT, 'after-damage');
      rmSync(dir, { recursive: true, force: true });
      const written = await writeSearchIndex(STORIES, dir, { ...OPTIONS, cacheDir: CACHE });
      expect(written.indexed).toEqual(['2019']);
      expect(written.reused).toEqual(['2026', '2024', '2016']);
      expect(tree(dir)).toEqual(tree(fresh));
    });

    it('leaves no temporary folder behind and drops one left by a build that is not running', async () => {
      const stale = join(CACHE, '.tmp-0123456789abcdef-999999999');
      mkdirSync(stale, { recursive: true });
      writeFileSync(join(stale, 'pagefind-entry.json'), '{}');
      const dir = join(ROOT, 'after-stale');
      await writeSearchIndex(STORIES, dir, { ...OPTIONS, cacheDir: CACHE });
      expect(existsSync(stale)).toBe(false);
      expect(entries().every((n) => /^[0-9a-f]{40}$/.test(n) && statSync(join(CACHE, n)).isDirectory())).toBe(true);
      expect(tree(dir)).toEqual(tree(fresh));
    });
  });
});
