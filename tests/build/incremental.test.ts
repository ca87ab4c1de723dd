import { appendFileSync, cpSync, existsSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../helpers/build-site';
import { differences, fileForPath, listFiles, loadPage } from '../helpers/dist';
import { ROOT, SITES } from '../helpers/sites';
import { all, text } from '../helpers/html';

// Incremental builds copy a page from the cache when its cache key is unchanged. These builds
// edit a scratch copy of the fixtures between runs and check that what changed is re-rendered
// and what did not is restored, so a key that misses some data would fail here.
const site = SITES.incremental;
const dist = site.outDir;
const content = site.contentDir;
const WIRE = '/news/2026/11/21/wire-story/';
const MULTI_AUTHOR = '/news/2026/11/19/multi-author/';
const PHOTO = '/news/2026/11/20/local-story-with-photo/';
const REMOVED = '/news/2026/03/01/late-evening-local-time/';

/** Pages the build says it copied from the incremental cache instead of rendering. */
const restoredPaths = (log: string) =>
  new Set(
    [...stripVTControlCharacters(log).matchAll(/[├└]─ (\S+) \((?:restored|cached)\)/g)].map((m) => m[1]!.replace(/index\.html$/, '')),
  );

const html = (path: string) => readFileSync(fileForPath(dist, path), 'utf8');

/** Listing pages (home, station, author, topic and month pages, each paginated), by file in dist/. */
const LISTING = /^(?:(?:stations|authors|topics)\/[^/]+\/|archive\/\d{4}\/\d{2}\/)?(?:page\/\d+\/)?index\.html$/;

/** The listing pages of the last build: their bytes, and which of them the build wrote (the others the listing cache put back, files written by an earlier build). */
function listings(startedAt: number) {
  const pages = new Map<string, Buffer>();
  const written = new Set<string>();
  for (const f of listFiles(dist).filter((f) => LISTING.test(f))) {
    pages.set(f, readFileSync(join(dist, f)));
    if (statSync(join(dist, f)).mtimeMs >= startedAt) written.add(f);
  }
  return { pages, written };
}

/** Listing pages that are new or whose bytes differ from the earlier build's. */
const changedSince = (before: Map<string, Buffer>, after: Map<string, Buffer>) =>
  [...after].filter(([f, bytes]) => !before.get(f)?.equals(bytes)).map(([f]) => f).sort();

describe('incremental builds', () => {
  const logs: string[] = [];
  /** HTML of a few pages after each build. */
  const snapshots: Map<string, string>[] = [];
  /** Listing pages after each build. */
  const listed: ReturnType<typeof listings>[] = [];
  const build = async () => {
    const startedAt = Date.now();
    logs.push((await buildSite('incremental')).output);
    snapshots.push(new Map([WIRE, MULTI_AUTHOR, PHOTO, '/'].map((p) => [p, html(p)])));
    listed.push(listings(startedAt));
  };
  const FRESH = `${dist}-fresh`;

  beforeAll(async () => {
    rmSync(content, { recursive: true, force: true });
    rmSync(site.cacheDir, { recursive: true, force: true });
    rmSync(dist, { recursive: true, force: true });
    cpSync(join(ROOT, 'tests/fixtures/content'), content, { recursive: true });
    await build();

    // 1. A correction to one story's text.
    appendFileSync(join(content, 'articles/2026/wire-story.md'), '\nINCREMENTALMARKER a paragraph added after publication.\n');
    await build();

    // 2. An author changes their name.
    const author = join(content, 'authors/ada-reporter.yaml');
    writeFileSync(author, readFileSync(author, 'utf8').replace('name: Ada Reporter', 'name: Ada Q. Renamed'));
    await build();

    // 3. A headline changes: the listing pages that show the story change, no other.
    const wire = join(content, 'articles/2026/wire-story.md');
    writeFileSync(wire, readFileSync(wire, 'utf8').replace(/^title: .*$/m, 'title: LISTINGHEADLINE a corrected headline'));
    await build();

    // 4. A new story: the listings it joins shift by one (the home page gains a page 2).
    writeFileSync(
      join(content, 'articles/2026/listing-new-story.md'),
      '---\ntitle: LISTINGNEW a story published since\ndek: It joins the listings.\nbyline: [ben-editor]\nstation: kfix\ndate: 2026-11-22T08:00:00-06:00\ntags: [Water]\n---\n\nThe new story.\n',
    );
    await build();

    // 5. A story is taken down: its page and its month's listing go (the last build's pages are moved back first).
    rmSync(join(content, 'articles/2026/late-evening-local-time.md'));
    await build();

    // 6. A correction of the same length whose file gets its old times back (as an archive restore or a careless
    //    tool might): only its ctime tells it changed, and the content sync reads no other story.
    const multi = join(content, 'articles/2026/multi-author.md');
    const before = statSync(multi);
    writeFileSync(multi, readFileSync(multi, 'utf8').replace('doubled in five years', 'TRIPLED in five years'));
    utimesSync(multi, before.atime, before.mtime);
    await build();

    // The same content built afresh, with no cache at all.
    rmSync(FRESH, { recursive: true, force: true });
    await buildSite('incremental', { MASTHEAD_CACHE_DIR: `${site.cacheDir}-fresh` }, FRESH);
  }, 1_600_000); // eight builds, each waiting its turn behind other files' builds (tests/helpers/run.ts)

  it('renders every page on the first build', () => {
    expect(restoredPaths(logs[0]!).size).toBe(0);
  });

  it('re-renders only the edited story after a text edit, and restores the rest unchanged', () => {
    const restored = restoredPaths(logs[1]!);
    expect(restored.has(WIRE)).toBe(false);
    expect(snapshots[1]!.get(WIRE)).toContain('INCREMENTALMARKER');
    for (const path of [MULTI_AUTHOR, PHOTO]) {
      expect(restored.has(path)).toBe(true);
      expect(snapshots[1]!.get(path)).toBe(snapshots[0]!.get(path));
    }
    // The home page is a listing: the listing cache puts it back (below), not Astro's.
    expect(listed[1]!.written.has('index.html')).toBe(false);
    expect(snapshots[1]!.get('/')).toBe(snapshots[0]!.get('/'));
  });

  it('re-renders every page that shows an author after the author is renamed', () => {
    const restored = restoredPaths(logs[2]!);
    for (const path of [MULTI_AUTHOR, PHOTO]) {
      expect(restored.has(path)).toBe(false);
      const $ = loadPage(dist, path);
      expect(text(all($, '.byline'))).toContain('Ada Q. Renamed');
      expect(text(all($, '.author-bio .name'))).toContain('Ada Q. Renamed');
      expect(readFileSync(fileForPath(dist, path), 'utf8')).not.toContain('Ada Reporter<');
    }
    // The earlier text edit survives the re-render.
    expect(text(all(loadPage(dist, WIRE), '[data-article-body]'))).toContain('INCREMENTALMARKER');
  });

  it('after a headline edit, re-renders the story and the stories that show it as related, and restores the others', () => {
    const restored = restoredPaths(logs[3]!);
    expect(restored.has(WIRE)).toBe(false);
    expect(html(WIRE)).toContain('LISTINGHEADLINE');
    // Neither shares a topic with the edited story, so neither lists it as related.
    for (const path of [MULTI_AUTHOR, PHOTO]) expect(restored.has(path)).toBe(true);
  });

  it('moves the last build’s story pages back instead of copying them, and takes unchanged pages’ CSP scans and head facts from the last build', () => {
    const log = stripVTControlCharacters(logs[1]!);
    const count = (re: RegExp) => Number(re.exec(log)?.[1] ?? -1);
    const moved = count(/(\d+) story page\(s\) of the last build moved back/);
    expect(moved).toBeGreaterThan(3);
    // Astro finds them in dist/ ("cached") and copies none from its cache ("restored").
    expect([...log.matchAll(/[├└]─ \/news\/\S+ \(cached\)/g)].length).toBe(moved - 1);
    expect(log).not.toMatch(/\(restored\)/);
    // Only the edited story's page and the pages that show the edit (none but itself) are read again.
    expect(count(/(\d+) page scan\(s\) reused from the last build/)).toBeGreaterThan(3);
    expect(count(/page scan\(s\) reused from the last build, (\d+) read/)).toBeLessThan(count(/(\d+) page scan\(s\) reused/));
    const heads = JSON.parse(readFileSync(join(site.cacheDir, 'page-heads.json'), 'utf8')) as { pages: Record<string, number> };
    expect(Object.keys(heads.pages).length).toBeGreaterThan(moved);
  });

  it('drops the page of a story taken down, though the last build’s pages are reused', () => {
    const log = stripVTControlCharacters(logs[5]!);
    expect(log).toMatch(/1 story page\(s\) of the last build no longer built, removed/);
    expect(existsSync(fileForPath(dist, REMOVED))).toBe(false);
    expect(existsSync(join(dist, 'archive/2026/03/index.html'))).toBe(false);
    expect(existsSync(fileForPath(FRESH, REMOVED))).toBe(false);
  });

  it('reads only the story whose stat changed, even when an edit kept its size and put its mtime back', () => {
    const stories = readdirSync(join(content, 'articles'), { recursive: true }).filter((f) => String(f).endsWith('.md')).length;
    expect(stripVTControlCharacters(logs[6]!)).toContain(`${stories - 1} of ${stories} story files unchanged since the last sync (by their stat): not read again`);
    expect(snapshots[6]!.get(MULTI_AUTHOR)).toContain('TRIPLED in five years');
    expect(restoredPaths(logs[6]!).has(MULTI_AUTHOR)).toBe(false);
  });

  describe('listing pages (the listing cache, src/integrations/listing-cache.ts)', () => {
    it('renders every listing page on the first build', () => {
      expect(listed[0]!.written.size).toBeGreaterThan(10);
      expect([...listed[0]!.pages.keys()].filter((f) => !listed[0]!.written.has(f))).toEqual([]);
    });

    it('renders no listing page after an edit to a story’s text, and puts them all back unchanged', () => {
      expect([...listed[1]!.written]).toEqual([]);
      expect(logs[1]).toMatch(/listing pages: 0 rendered, [1-9]\d* kept from the last build/);
      expect(changedSince(listed[0]!.pages, listed[1]!.pages)).toEqual([]);
    });

    it('renders every listing page after an author is renamed (authors are in every listing’s key)', () => {
      expect([...listed[2]!.written].sort()).toEqual([...listed[2]!.pages.keys()].sort());
    });

    it('renders exactly the listing pages that show a story after its headline changes', () => {
      const showed = [...listed[2]!.pages].filter(([, bytes]) => bytes.toString('utf8').includes(`href="${WIRE}"`)).map(([f]) => f);
      // The home page, its station's, its topic's and its month's at least.
      expect(showed).toEqual(expect.arrayContaining(['index.html', 'stations/wfix/index.html', 'archive/2026/11/index.html']));
      expect([...listed[3]!.written].sort()).toEqual(showed.sort());
      for (const f of showed) expect(listed[3]!.pages.get(f)!.toString('utf8')).toContain('LISTINGHEADLINE');
      expect(changedSince(listed[2]!.pages, listed[3]!.pages)).toEqual(showed.sort());
    });

    it('renders exactly the listing pages that change when a story is added: those it joins and those that shift', () => {
      const written = [...listed[4]!.written].sort();
      expect(written).toEqual(expect.arrayContaining(['index.html', 'page/2/index.html', 'stations/kfix/index.html', 'authors/ben-editor/index.html']));
      expect(written).not.toContain('stations/wfix/index.html');
      expect(written).toEqual(changedSince(listed[3]!.pages, listed[4]!.pages));
    });

    it('after all those edits, is byte for byte the build of the same content with no cache', () => {
      expect(differences(FRESH, dist)).toEqual([]);
    });
  });
});
