import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { articlePaths, loadPage } from '../helpers/dist';
import { SITES } from '../helpers/sites';
import { all, text } from '../helpers/html';

const dist = SITES.demo.outDir;
const source = readdirSync(`${SITES.demo.contentDir}/articles/2026`).filter((f) => f.endsWith('.md'));

describe('the bundled demo site', () => {
  it('builds every sample story that is not a draft', () => {
    expect(source.length).toBeGreaterThanOrEqual(12);
    const pages = articlePaths(dist);
    expect(pages.length).toBeGreaterThanOrEqual(12);
    expect(pages.length).toBeLessThanOrEqual(source.length);
  });

  it('has at least two stations and three authors with pages', () => {
    const $ = loadPage(dist, '/stations/');
    expect(all($, 'main h2').length).toBeGreaterThanOrEqual(2);
    expect(all(loadPage(dist, '/authors/'), 'main h2').length).toBeGreaterThanOrEqual(3);
  });

  it('covers a wire story, a photo with credit, a multi-author byline, a dateline and a correction', () => {
    const pages = articlePaths(dist).map((p) => loadPage(dist, p));
    expect(pages.some(($) => text(all($, '.wire-credit')).startsWith('Copyright'))).toBe(true);
    expect(pages.some(($) => text(all($, 'figure.photo .credit')).length > 0)).toBe(true);
    expect(pages.some(($) => all($, '.byline a[rel="author"]').length >= 2)).toBe(true);
    expect(pages.some(($) => all($, '.dateline').length === 1)).toBe(true);
    expect(pages.some(($) => all($, '.corrections').length === 1 && all($, 'time[data-updated]').length === 1)).toBe(true);
    expect(pages.some(($) => all($, '[data-article-body] h2').length > 0 && all($, '[data-article-body] blockquote').length > 0)).toBe(
      true,
    );
  });
});
