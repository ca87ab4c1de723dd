import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { articlePaths, listFiles, loadPage } from '../helpers/dist';
import { SITES } from '../helpers/sites';

const sites = [
  ['fixtures', SITES.fixtures.outDir],
  ['demo', SITES.demo.outDir],
] as const;

/** Every page a reader sees; the redirect pages left at stories' old addresses are not pages of the site. */
const htmlPages = (dist: string) =>
  listFiles(dist)
    .filter((f) => f.endsWith('.html') && !f.startsWith('pagefind/'))
    .filter((f) => !/<meta http-equiv="refresh"/i.test(readFileSync(join(dist, f), 'utf8')))
    .map((f) => `/${f.replace(/index\.html$/, '')}`);

describe.each(sites)('the %s build', (_name, dist) => {
  it('has a search index of exactly its story pages', () => {
    const entry = JSON.parse(readFileSync(join(dist, 'pagefind/pagefind-entry.json'), 'utf8')) as {
      languages: Record<string, { page_count: number }>;
    };
    const indexed = Object.values(entry.languages).reduce((n, l) => n + l.page_count, 0);
    expect(indexed).toBe(articlePaths(dist).length);
    for (const path of htmlPages(dist)) {
      const $ = loadPage(dist, path);
      expect($('[data-pagefind-body]').length, path).toBe(path.startsWith('/news/') ? 1 : 0);
    }
  });

  it('records what results show and filter on for every story', () => {
    for (const path of articlePaths(dist)) {
      const $ = loadPage(dist, path);
      const record = $('[data-search-record]');
      const meta = (key: string) => record.find(`[data-pagefind-meta="${key}"]`).text();
      expect(meta('title'), path).toBe($('h1').text());
      expect(meta('dek'), path).toBe($('.article-header .dek').text());
      expect(meta('station'), path).toBe($('.byline .station').text());
      expect(meta('date').length, path).toBeGreaterThan(0);
      expect(meta('datetime'), path).toBe($('time[data-published]').attr('datetime'));
      expect(record.attr('data-pagefind-sort'), path).toMatch(/^date:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(record.find('[data-pagefind-filter="station"]').text(), path).toBe(meta('station'));
      expect(
        record
          .find('[data-pagefind-filter="topic"]')
          .map((_i, el) => $(el).text())
          .get(),
        path,
      ).toEqual(
        $('nav.topics a')
          .map((_i, el) => $(el).text())
          .get(),
      );
      // The chrome, the author bios and the related stories stay out of the index.
      expect($('[data-pagefind-body]').closest('header.station-header, footer, nav.site-nav').length).toBe(0);
      expect($('[data-pagefind-body] .bios[data-pagefind-ignore]').length).toBe($('[data-pagefind-body] .bios').length);
      expect($('[data-pagefind-body] .related').length).toBe(0);
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
