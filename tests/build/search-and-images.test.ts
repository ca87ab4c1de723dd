import { readdirSync, readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { articlePaths, listFiles, loadPage } from '../helpers/dist';
import { isReaderPage } from '../../src/lib/dist-path';
import { SITES } from '../helpers/sites';
import { SEARCH_ARCHIVE_DIR, SEARCH_ERAS_FILE, type SearchErasManifest } from '../../src/lib/search-params';
import { all, attr, closest, one, parentOf, text } from '../helpers/html';

const sites = [
  ['fixtures', SITES.fixtures.outDir, SITES.fixtures.cacheDir],
  ['demo', SITES.demo.outDir, SITES.demo.cacheDir],
] as const;

/** Every page a reader sees; the redirect pages left at stories' old addresses are not pages of the site. */
/** The pages readers see: not redirect pages, and not the web editor (/admin/, tests/build/web-editor.test.ts). */
const htmlPages = (dist: string) =>
  listFiles(dist)
    .filter(isReaderPage)
    .filter((f) => !/<meta http-equiv="refresh"/i.test(readFileSync(join(dist, f), 'utf8')))
    .map((f) => `/${f.replace(/index\.html$/, '')}`);

interface Fragment {
  url: string;
  content: string;
  meta: Record<string, string>;
  filters: Record<string, string[]>;
}

/** What Pagefind stored for each story: a fragment is gzipped "pagefind_dcd" followed by JSON. */
const fragments = (dist: string): Fragment[] =>
  readdirSync(join(dist, '_pagefind/fragment')).map(
    (f) =>
      JSON.parse(
        gunzipSync(readFileSync(join(dist, '_pagefind/fragment', f)))
          .toString('utf8')
          .replace(/^pagefind_dcd/, ''),
      ) as Fragment,
  );

describe.each(sites)('the %s build', (_name, dist, cacheDir) => {
  it('keeps each search era’s bundle in the build cache (<cacheDir>/search/), the very files it published', () => {
    const { eras } = JSON.parse(readFileSync(join(dist, '_pagefind', SEARCH_ERAS_FILE), 'utf8')) as SearchErasManifest;
    const entries = readdirSync(join(cacheDir, 'search'));
    // One entry an era, no more: the build drops entries it did not use.
    expect(entries).toHaveLength(eras.length);
    for (const era of eras) {
      const published = join(dist, '_pagefind', era.dir);
      const bundle = listFiles(published).filter((f) => !f.startsWith(`${SEARCH_ARCHIVE_DIR}/`) && f !== SEARCH_ERAS_FILE);
      const entry = entries.find((e) => statSync(join(cacheDir, 'search', e, 'pagefind-entry.json')).ino === statSync(join(published, 'pagefind-entry.json')).ino);
      expect(entry, era.id).toBeDefined();
      expect(listFiles(join(cacheDir, 'search', entry!)).filter((f) => f !== '.masthead-entry.json')).toEqual(bundle);
    }
  });

  it('has a search index of exactly its story pages, made from the data layer, not from the pages', () => {
    const entry = JSON.parse(readFileSync(join(dist, '_pagefind/pagefind-entry.json'), 'utf8')) as {
      languages: Record<string, { page_count: number }>;
    };
    const indexed = Object.values(entry.languages).reduce((n, l) => n + l.page_count, 0);
    expect(indexed).toBe(articlePaths(dist).length);
    expect(
      fragments(dist)
        .map((f) => f.url)
        .sort(),
    ).toEqual(articlePaths(dist).sort());
    // No page carries Pagefind markup any more: nothing reads it.
    for (const path of htmlPages(dist))
      expect(all(loadPage(dist, path), '[data-pagefind-body], [data-pagefind-meta]').length, path).toBe(0);
  });

  it('records what results show and filter on for every story, as its page shows it', () => {
    const byUrl = new Map(fragments(dist).map((f) => [f.url, f]));
    for (const path of articlePaths(dist)) {
      const $ = loadPage(dist, path);
      const { meta, filters, content } = byUrl.get(path)!;
      expect(meta.title, path).toBe(text(all($, 'h1')));
      expect(meta.dek, path).toBe(text(all($, '.article-header .dek')));
      expect(meta.station, path).toBe(text(all($, '.byline .station')));
      expect(meta.date, path).toBeTruthy();
      expect(text(all($, 'time[data-published]')).startsWith(meta.date!), path).toBe(true);
      expect(meta.datetime, path).toBe(attr(one($, 'time[data-published]'), 'datetime'));
      expect(filters.station, path).toEqual([meta.station]);
      const topics = all($, 'nav.topics a').map((el, _i) => text(el));
      expect(filters.topic ?? [], path).toEqual(topics);
      // Headline, dek, byline and topics are searchable words; the author bios and the chrome are not.
      // Pagefind ends a block with a full stop unless it already has one.
      expect(content, path).toContain(`${meta.title}${/[.!?]$/.test(meta.title!) ? '' : '.'} ${meta.dek}`);
      if (topics.length) expect(content, path).toContain(`Topics: ${topics.join(', ')}.`);
      expect(content, path).not.toContain(text(all($, '.bios')).trim() || '\u0000');
    }
  });

  it('puts a search form in the header of every page that works without JavaScript', () => {
    for (const path of htmlPages(dist)) {
      const $ = loadPage(dist, path);
      const forms = all($, 'nav.site-nav form[role="search"]');
      expect(forms.length, path).toBe(1);
      expect(attr(forms[0], 'action'), path).toBe('/search/');
      expect(attr(forms[0], 'method'), path).toBe('get');
      const inputs = all(forms[0]!, 'input[type="search"][name="q"]');
      expect(inputs.length, path).toBe(1);
      expect(text(all($, `label[for="${attr(inputs[0], 'id')}"]`)), path).toBe('Search stories');
    }
  });

  it("has no inline script, so a script-src 'self' policy can hold", () => {
    for (const path of htmlPages(dist)) {
      const $ = loadPage(dist, path);
      all($, 'script').forEach((s) => {
        const type = attr(s, 'type');
        // Data blocks (station data, JSON-LD) are never executed, so script-src does not apply.
        if (type === 'application/json' || type === 'application/ld+json') return;
        expect(type, `${path}: <script>${text(s).slice(0, 80)}`).toBe('module');
        expect(attr(s, 'src'), `${path}: inline module script`).toMatch(/^\/_astro\/[\w.-]+\.js$/);
      });
    }
  });

  it('sizes every image, loads only the lead photo eagerly (with high priority), and offers AVIF and WebP for template images', () => {
    for (const path of htmlPages(dist)) {
      const $ = loadPage(dist, path);
      all($, 'img').forEach((img) => {
        const where = `${path} ${attr(img, 'src')}`;
        expect(Number(attr(img, 'width')), where).toBeGreaterThan(0);
        expect(Number(attr(img, 'height')), where).toBeGreaterThan(0);
        if (attr(img, 'loading') === 'eager') expect(attr(img, 'fetchpriority'), where).toBe('high');
        else expect(attr(img, 'loading'), where).toBe('lazy');
        const parent = parentOf($, img);
        const picture = parent?.tagName === 'picture' ? parent : undefined;
        // Images in Markdown bodies are an <img> (.md has no component to swap in), with the
        // photo set's WebP widths and sizes; every image the templates draw is a <picture>.
        const inBody = closest($, img, '[data-article-body]') !== undefined;
        if (inBody) {
          expect(attr(img, 'src'), where).toMatch(/^\/_astro\/.+\.webp$/);
          expect(attr(img, 'srcset'), where).toMatch(/\.webp 480w, .+\.webp \d+w$/);
          expect(attr(img, 'sizes'), where).toBe('(min-width: 46rem) 42rem, 100vw');
        } else if (attr(img, 'src')?.startsWith('/_astro/') && picture && one(picture, 'source[type="image/avif"]')) {
          // Photos: AVIF in a <source>, WebP in the <img> itself (one file per width and format).
          expect(attr(one(picture, 'source[type="image/avif"]'), 'srcset'), where).toMatch(/\.avif \d+w/);
          expect(attr(one(picture, 'source'), 'sizes'), where).toBeTruthy();
          if (attr(img, 'srcset')?.includes('.webp')) expect(attr(img, 'src'), where).toMatch(/\.webp$/);
        } else if (attr(img, 'src')?.startsWith('/_astro/')) {
          expect(picture, where).toBeDefined();
        }
      });
      expect(all($, 'img[loading="eager"]').length, path).toBeLessThanOrEqual(1);
    }
  });
});
