import { parseAllHeaders, type Header } from '@netlify/headers-parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHE_CONTROL, parseCsp, urlPathOf } from '../../src/integrations/host-files/policy';
import type { StaticServer } from '../helpers/browser';
import { listFiles } from '../helpers/dist';
import { readRedirects, serveWithHostFiles } from '../helpers/host-server';
import { SITES } from '../helpers/sites';

const dist = SITES.fixtures.outDir;
const MOVED = '/news/2026/07/10/moved-story-with-aliases/';
const ARTICLE = '/news/2026/11/20/local-story-with-photo/';

let server: StaticServer;
const get = (path: string) => fetch(server.origin + path, { redirect: 'manual' });

beforeAll(async () => {
  server = await serveWithHostFiles(dist);
});
afterAll(() => server?.close());

const expectSecurityHeaders = (res: Response) => {
  expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'self'; script-src 'self'/);
  expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  expect(res.headers.get('permissions-policy')).toContain('camera=()');
};

describe('dist/_headers, applied by a CDN', () => {
  it('makes hashed assets immutable for a year', async () => {
    const assets = listFiles(dist).filter((f) => f.startsWith('_astro/'));
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of [assets.find((f) => f.endsWith('.css'))!, assets.find((f) => f.endsWith('.avif'))!]) {
      const res = await get(`/${asset}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expectSecurityHeaders(res);
    }
  });

  it('keeps pages short-lived, with stale-while-revalidate, and sends the security headers', async () => {
    for (const path of ['/', ARTICLE, '/topics/water/', '/stations/kfix/schedule/']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('public, max-age=60, stale-while-revalidate=600');
      expectSecurityHeaders(res);
    }
  });

  it('treats every feed and sitemap like a page', async () => {
    const feeds = listFiles(dist).filter((f) => /\.(xml|rss|atom)$/.test(f) || /(^|\/)feed\.json$/.test(f));
    expect(feeds).toContain('sitemap-index.xml');
    for (const feed of feeds) {
      const res = await get(`/${feed}`);
      expect(res.status, feed).toBe(200);
      expect(res.headers.get('cache-control'), feed).toBe('public, max-age=60, stale-while-revalidate=600');
    }
  });

  it('gives the 404 page a short cache too, and does not serve the host files', async () => {
    const res = await get('/news/2026/01/01/never-written/');
    expect(res.status).toBe(404);
    expect(res.headers.get('cache-control')).toBe(CACHE_CONTROL.revalidate);
    expect((await get('/_headers')).status).toBe(404);
    expect((await get('/_redirects')).status).toBe(404);
  });

  it('matches every file with exactly one Cache-Control rule', async () => {
    const { headers, errors } = await parseAllHeaders({ headersFiles: [join(dist, '_headers')], configHeaders: [], minimal: false });
    expect(errors).toEqual([]);
    const files = listFiles(dist).filter((f) => f !== '_headers' && f !== '_redirects');
    const counts = files.map((f) => {
      const rules = (headers as Header[]).filter((r) => r.forRegExp.test(urlPathOf(f)) && 'Cache-Control' in r.values);
      return `${f}: ${rules.length}`;
    });
    expect(counts).toEqual(files.map((f) => `${f}: 1`));
  });

  it('serves every SVG with a policy that forbids scripts, so one opened directly cannot run any', async () => {
    const svgs = listFiles(dist).filter((f) => f.endsWith('.svg'));
    expect(svgs).toContain('favicon.svg');
    for (const svg of svgs) {
      const csp = (await get(`/${svg}`)).headers.get('content-security-policy') ?? '';
      expect(csp, svg).toContain("default-src 'none'");
      expect(csp, svg).toContain('sandbox');
    }
  });

  it('lets the CSP allow the stations’ stream origins (relative here, so the site itself) and nothing else remote', () => {
    const csp = parseCsp(readFileSync(join(dist, '_headers'), 'utf8').match(/Content-Security-Policy: (.*)/)![1]!);
    expect(csp.get('media-src')).toEqual(["'self'", 'blob:']); // kfix streams HLS: hls.js plays it through a blob: URL
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    // No inline script to hash; Pagefind's search index is WebAssembly, which needs 'wasm-unsafe-eval'.
    expect(csp.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(csp.get('style-src-attr')?.[0]).toBe("'unsafe-hashes'");
  });
});

describe('dist/_redirects', () => {
  it('lists each published story’s aliases as a 301 to its permalink', async () => {
    expect(await readRedirects(dist)).toEqual([
      expect.objectContaining({ from: '/2026/07/river-trail.html', to: MOVED, status: 301 }),
      expect.objectContaining({ from: '/news/2026/07/09/river-trail-closed/', to: MOVED, status: 301 }),
    ]);
  });

  it('answers the old addresses with 301s that lead to the story', async () => {
    for (const alias of ['/news/2026/07/09/river-trail-closed/', '/2026/07/river-trail.html']) {
      const res = await get(alias);
      expect(res.status, alias).toBe(301);
      expect(res.headers.get('location')).toBe(MOVED);
    }
    const landed = await get(MOVED);
    expect(landed.status).toBe(200);
    expect(await landed.text()).toContain('Fixture Falls reopens the river trail');
  });
});
