import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { articlePaths, listFiles, loadPage } from '../helpers/dist';
import { isReaderPage } from '../../src/lib/dist-path';
import { SITES } from '../helpers/sites';

const sites = [
  ['fixtures', SITES.fixtures.outDir],
  ['demo', SITES.demo.outDir],
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

describe.each(sites)('the %s build', (_name, dist) => {
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
    for (const path of htmlPages(dist)) expect(loadPage(dist, path)('[data-pagefind-body], [data-pagefind-meta]').length, path).toBe(0);
  });

  it('records what results show and filter on for every story, as its page shows it', () => {
    const byUrl = new Map(fragments(dist).map((f) => [f.url, f]));
    for (const path of articlePaths(dist)) {
      const $ = loadPage(dist, path);
      const { meta, filters, content } = byUrl.get(path)!;
      expect(meta.title, path).toBe($('h1').text());
      expect(meta.dek, path).toBe($('.article-header .dek').text());
      expect(meta.station, path).toBe($('.byline .station').text());
      expect(meta.date, path).toBeTruthy();
      expect($('time[data-published]').text().startsWith(meta.date!), path).toBe(true);
      expect(meta.datetime, path).toBe($('time[data-published]').attr('datetime'));
      expect(filters.station, path).toEqual([meta.station]);
      const topics = $('nav.topics a')
        .map((_i, el) => $(el).text())
        .get();
      expect(filters.topic ?? [], path).toEqual(topics);
      // Headline, dek, byline and topics are searchable words; the author bios and the chrome are not.
      // Pagefind ends a block with a full stop unless it already has one.
      expect(content, path).toContain(`${meta.title}${/[.!?]$/.test(meta.title!) ? '' : '.'} ${meta.dek}`);
      if (topics.length) expect(content, path).toContain(`Topics: ${topics.join(', ')}.`);
      expect(content, path).not.toContain($('.bios').text().trim() || '\u0000');
    }
  });

  it('puts a search form in the header of every page that works without JavaScript', () => {
    for (const path of htmlPages(dist)) {
      const $ = loadPage(dist, path);
      const form = $('nav.site-nav form[role="search"]');
      expect(form.length, path).toBe(1);
      expect(form.attr('action'), path).toBe('/search/');
      expect(form.attr('method'), path).toBe('get');
      const input = form.find('input[type="search"][name="q"]');
      expect(input.length, path).toBe(1);
      expect($(`label[for="${input.attr('id')}"]`).text(), path).toBe('Search stories');
    }
  });

  it("has no inline script, so a script-src 'self' policy can hold", () => {
    for (const path of htmlPages(dist)) {
      const $ = loadPage(dist, path);
      $('script').each((_, el) => {
        const s = $(el);
        const type = s.attr('type');
        // Data blocks (station data, JSON-LD) are never executed, so script-src does not apply.
        if (type === 'application/json' || type === 'application/ld+json') return;
        expect(type, `${path}: ${$.html(el).slice(0, 80)}`).toBe('module');
        expect(s.attr('src'), `${path}: inline module script`).toMatch(/^\/_astro\/[\w.-]+\.js$/);
      });
    }
  });

  it('sizes every image, loads only the lead photo eagerly (with high priority), and offers AVIF and WebP for template images', () => {
    for (const path of htmlPages(dist)) {
      const $ = loadPage(dist, path);
      const imgs = $('img');
      imgs.each((_i, el) => {
        const img = $(el);
        const where = `${path} ${img.attr('src')}`;
        expect(Number(img.attr('width')), where).toBeGreaterThan(0);
        expect(Number(img.attr('height')), where).toBeGreaterThan(0);
        if (img.attr('loading') === 'eager') expect(img.attr('fetchpriority'), where).toBe('high');
        else expect(img.attr('loading'), where).toBe('lazy');
        const picture = img.parent('picture');
        // Images in Markdown bodies are an <img> (.md has no component to swap in), with the
        // photo set's WebP widths and sizes; every image the templates draw is a <picture>.
        const inBody = img.closest('[data-article-body]').length > 0;
        if (inBody) {
          expect(img.attr('src'), where).toMatch(/^\/_astro\/.+\.webp$/);
          expect(img.attr('srcset'), where).toMatch(/\.webp 480w, .+\.webp \d+w$/);
          expect(img.attr('sizes'), where).toBe('(min-width: 46rem) 42rem, 100vw');
        } else if (img.attr('src')?.startsWith('/_astro/') && picture.find('source[type="image/avif"]').length) {
          // Photos: AVIF in a <source>, WebP in the <img> itself (one file per width and format).
          expect(picture.find('source[type="image/avif"]').attr('srcset'), where).toMatch(/\.avif \d+w/);
          expect(picture.find('source').first().attr('sizes'), where).toBeTruthy();
          if (img.attr('srcset')?.includes('.webp')) expect(img.attr('src'), where).toMatch(/\.webp$/);
        } else if (img.attr('src')?.startsWith('/_astro/')) {
          expect(picture.length, where).toBe(1);
        }
      });
      expect($('img[loading="eager"]').length, path).toBeLessThanOrEqual(1);
    }
  });
});
