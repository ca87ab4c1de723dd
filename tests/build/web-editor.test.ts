/** /admin/ in a real build: its files only under dist/admin/, never linked, listed or indexed. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFiles } from '../helpers/dist';
import { SITES } from '../helpers/sites';
import { ADMIN_CSP } from '../../src/integrations/host-files/policy';
import { readHostHeaders } from '../../src/integrations/host-files/dialect';
import { urlPathOf } from '../../src/lib/dist-path';
import { attr, elements, parseHtml, textOf } from '../../src/lib/html';
import type { PreviewData } from '../../src/client/admin/preview';

const dist = SITES.demo.outDir;
const files = listFiles(dist);

describe('the web editor in the demo build', () => {
  it('ships Decap from node_modules, our script and the generated config under /admin/ only', () => {
    for (const f of ['admin/index.html', 'admin/config.yml', 'admin/decap-cms.js', 'admin/admin.js', 'admin/preview.json']) {
      expect(files, f).toContain(f);
    }
    expect(readFileSync(join(dist, 'admin/decap-cms.js'))).toEqual(readFileSync(join('node_modules/decap-cms/dist/decap-cms.js')));
    expect(readFileSync(join(dist, 'admin/config.yml'), 'utf8')).toBe(readFileSync('public/admin/config.yml', 'utf8'));
    expect(files.filter((f) => /decap|admin\.js/.test(f) && !f.startsWith('admin/'))).toEqual([]);
  });

  it('adds nothing to reader pages: none links /admin/', () => {
    const readers = files.filter((f) => f.endsWith('.html') && !f.startsWith('admin/'));
    expect(readers.length).toBeGreaterThan(20);
    for (const f of readers) expect(readFileSync(join(dist, f), 'utf8'), f).not.toMatch(/\/admin\//);
  });

  it('is neither in the sitemaps nor in the search index, and is noindex', () => {
    for (const f of files.filter((f) => /sitemap.*\.xml$/.test(f))) expect(readFileSync(join(dist, f), 'utf8'), f).not.toContain('/admin');
    const indexed = files.filter((f) => f.startsWith('_pagefind/fragment/'));
    expect(indexed.length).toBeGreaterThan(0);
    expect(readFileSync(join(dist, 'admin/index.html'), 'utf8')).toContain('<meta name="robots" content="noindex, nofollow" />');
  });

  it('gets its own policy from _headers: /admin/ ends with the editor’s CSP, every reader page with the site’s', async () => {
    const read = (await readHostHeaders(dist))!;
    expect(read.host).toBe('netlify');
    expect(read.errors).toEqual([]);
    const siteCsp = read.rules.find((r) => r.path === '/*')!.values['content-security-policy']!;
    expect(siteCsp).not.toContain("'unsafe-eval'");
    for (const f of files.filter((f) => f.startsWith('admin/'))) {
      const h = read.headersFor(urlPathOf(f));
      expect(h['content-security-policy'], f).toBe(ADMIN_CSP);
      expect(h['x-robots-tag'], f).toBe('noindex, nofollow');
      expect(h['cross-origin-opener-policy'], f).toBe('same-origin-allow-popups');
    }
    const readers = files.filter((f) => f.endsWith('.html') && !f.startsWith('admin/'));
    for (const f of readers) expect(read.headersFor(urlPathOf(f))['content-security-policy'], f).toBe(siteCsp);
  });

  it('offers exactly the site’s topics in the Tags field: the names the /topics/ page links, one per topic page', () => {
    const offered = JSON.parse(readFileSync(join(dist, 'admin/topics.json'), 'utf8')) as string[];
    const page = parseHtml(readFileSync(join(dist, 'topics/index.html'), 'utf8'));
    const linked = [...elements(page)]
      .filter((el) => el.tagName === 'a' && /^\/topics\/[^/]+\/$/.test(attr(el, 'href') ?? ''))
      .map((el) => textOf(el).trim());
    const pages = files.filter((f) => /^topics\/[^/]+\/index\.html$/.test(f));
    expect(offered.length).toBeGreaterThan(3);
    expect(offered).toEqual([...new Set(linked)].sort((a, b) => a.localeCompare(b, 'en-US')));
    expect(offered).toHaveLength(pages.length);
  });

  it('previews with the stylesheets and scoped-style ids of a real article page', () => {
    const data = JSON.parse(readFileSync(join(dist, 'admin/preview.json'), 'utf8')) as PreviewData;
    for (const href of data.styles) expect(existsSync(join(dist, href)), href).toBe(true);
    expect(data.styles.some((s) => s.startsWith('/_astro/'))).toBe(true);
    for (const cls of ['station-header', 'credit', 'wire-credit']) expect(data.cids[cls], cls).toBeDefined();
    expect(Object.keys(data.stations)).toContain('kxpr');
  });
});
