/**
 * /admin/ on each host: `_headers` is written in the dialect of the site setting `host`, and read
 * back the way that host reads it, a response on /admin/ ends with exactly the editor's policy
 * and one on any reader page with exactly the site's.
 */
import { HeadersHandler } from '@netlify/headers';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cloudflareHeadersFor,
  parseCloudflareHeaders,
  parseNetlifyHeaders,
  readHostHeaders,
} from '../../src/integrations/host-files/dialect';
import { hostFilesFor } from '../../src/integrations/host-files/index';
import { ADMIN_CSP, CACHE_CONTROL, type BuildData } from '../../src/integrations/host-files/policy';
import { urlPathOf } from '../../src/lib/dist-path';
import type { Host } from '../../src/lib/host';
import { siteConfig, siteConfigSchema } from '../../src/site.config';

describe("the model of Cloudflare Pages' _headers", () => {
  // The example and its table from Cloudflare's documentation (Pages → Configuration → Headers).
  const DOC_EXAMPLE = `# This is a comment
/secure/page
  X-Frame-Options: DENY
  X-Content-Type-Options: nosniff
  Referrer-Policy: no-referrer

/static/*
  Access-Control-Allow-Origin: *
  X-Robots-Tag: nosnippet

https://myproject.pages.dev/*
  X-Robots-Tag: noindex
`;

  it('gives the headers of the documentation’s table for its example', () => {
    const { rules, errors } = parseCloudflareHeaders(DOC_EXAMPLE);
    expect(errors).toEqual([]);
    const at = (url: string) => {
      const u = new URL(url);
      return cloudflareHeadersFor(rules, u.pathname, u.hostname);
    };
    const secure = { 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
    expect(at('https://custom.domain/secure/page')).toEqual(secure);
    expect(at('https://custom.domain/static/image.jpg')).toEqual({ 'access-control-allow-origin': '*', 'x-robots-tag': 'nosnippet' });
    expect(at('https://myproject.pages.dev/home')).toEqual({ 'x-robots-tag': 'noindex' });
    expect(at('https://myproject.pages.dev/secure/page')).toEqual({ ...secure, 'x-robots-tag': 'noindex' });
    expect(at('https://myproject.pages.dev/static/styles.css')).toEqual({
      'access-control-allow-origin': '*',
      'x-robots-tag': 'nosnippet, noindex',
    });
  });

  it('detaches a header a more pervasive rule added, as the documentation’s example does', () => {
    const { rules } = parseCloudflareHeaders("/*\n  Content-Security-Policy: default-src 'self';\n\n/*.jpg\n  ! Content-Security-Policy\n");
    expect(cloudflareHeadersFor(rules, '/a.html')).toEqual({ 'content-security-policy': "default-src 'self';" });
    expect(cloudflareHeadersFor(rules, '/a.jpg')).toEqual({});
  });

  it('keeps one rule per path: a second rule for a path replaces the first', () => {
    const { rules } = parseCloudflareHeaders('/a/*\n  Cache-Control: x\n/a/*\n  X-Robots-Tag: noindex\n');
    expect(cloudflareHeadersFor(rules, '/a/b')).toEqual({ 'x-robots-tag': 'noindex' });
  });
});

/** A small built site: reader pages, a search bundle, an SVG icon and the editor. */
const PAGES = ['index.html', '404.html', 'news/2026/11/20/bridge/index.html', 'topics/water/index.html', 'search/index.html'];
const ADMIN = ['admin/index.html', 'admin/decap-cms.js', 'admin/config.yml', 'admin/admin.js'];
const OTHER = ['_astro/site.Ab12.css', '_astro/page.Cd34.js', '_pagefind/pagefind.js', 'favicon.svg', 'rss.xml'];
const DATA: BuildData = {
  redirects: [],
  permalinks: [],
  streams: [{ url: 'https://stream.example.org/live.mp3', type: 'audio/mpeg' }],
  embedHosts: [],
};

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function buildFor(host: Host, data: BuildData = DATA) {
  const dist = mkdtempSync(join(tmpdir(), `masthead-${host}-`));
  roots.push(dist);
  for (const f of [...PAGES, ...ADMIN, ...OTHER]) {
    mkdirSync(dirname(join(dist, f)), { recursive: true });
    const html = `<!doctype html><html><head><link rel="stylesheet" href="/_astro/site.Ab12.css"><script type="module" src="/_astro/page.Cd34.js"></script></head><body><p>x</p></body></html>`;
    writeFileSync(join(dist, f), f.endsWith('.html') ? html : f.endsWith('.svg') ? '<svg xmlns="http://www.w3.org/2000/svg"/>' : 'x');
  }
  const out = hostFilesFor(dist, data, { hashedDirs: ['_astro/'], host });
  writeFileSync(join(dist, '_headers'), out.headers);
  return { dist, out };
}

const readers = PAGES.map(urlPathOf);
const adminPaths = ['/admin/', ...ADMIN.map(urlPathOf)];

describe('/admin/ and reader pages on Cloudflare Pages', () => {
  const { dist, out } = buildFor('cloudflare-pages');

  it('writes the Cloudflare dialect: /admin/* detaches the site’s CSP and COOP before giving its own, in one rule', () => {
    const admin = out.headers.slice(out.headers.indexOf('\n/admin/*\n') + 1).split(/\n(?=\/)/)[0]!;
    expect(admin.split('\n')).toEqual([
      '/admin/*',
      '  ! Content-Security-Policy',
      '  ! X-Robots-Tag',
      '  ! Cross-Origin-Opener-Policy',
      `  Cache-Control: ${CACHE_CONTROL.revalidate}`,
      `  Content-Security-Policy: ${ADMIN_CSP}`,
      '  X-Robots-Tag: noindex, nofollow',
      '  Cross-Origin-Opener-Policy: same-origin-allow-popups',
    ]);
    expect(out.headers).toContain('# Dialect: cloudflare-pages');
  });

  it('ends /admin/ with exactly the editor’s CSP, and every reader page with exactly the site’s', async () => {
    const read = (await readHostHeaders(dist))!;
    expect(read.host).toBe('cloudflare-pages');
    expect(read.errors).toEqual([]);
    for (const path of adminPaths) {
      const h = read.headersFor(path);
      expect(h['content-security-policy'], path).toBe(ADMIN_CSP);
      expect(h['cross-origin-opener-policy'], path).toBe('same-origin-allow-popups');
      expect(h['x-robots-tag'], path).toBe('noindex, nofollow');
      expect(h['cache-control'], path).toBe(CACHE_CONTROL.revalidate);
      expect(h['strict-transport-security'], path).toBe('max-age=31536000; includeSubDomains');
    }
    for (const path of readers) {
      const h = read.headersFor(path);
      expect(h['content-security-policy'], path).toBe(out.csp);
      expect(h['cross-origin-opener-policy'], path).toBe('same-origin');
      expect(h['x-robots-tag'], path).toBeUndefined();
    }
    expect(out.csp).not.toContain("'unsafe-eval'");
  });

  it('would join the two policies on /admin/ with the Netlify dialect, which is why each host gets its own', async () => {
    const { dist: netlifyDist, out: netlifyOut } = buildFor('netlify');
    const asCloudflare = (await readHostHeaders(netlifyDist, 'cloudflare-pages'))!;
    expect(asCloudflare.headersFor('/admin/')['content-security-policy']).toBe(`${netlifyOut.csp}, ${ADMIN_CSP}`);
    // …and Netlify's parser would drop the detach lines without a word; the reader says so.
    const file = join(dist, '_headers');
    const asNetlify = await parseNetlifyHeaders(file, out.headers);
    expect(asNetlify.errors).toHaveLength(3);
    expect(asNetlify.errors[0]).toMatch(/"! Content-Security-Policy" is Cloudflare's detach; Netlify ignores it/);
  });

  it('keeps a preview build noindex everywhere, with the editor’s own X-Robots-Tag once on /admin/', async () => {
    const { dist: preview } = buildFor('cloudflare-pages', { ...DATA, preview: true });
    const read = (await readHostHeaders(preview))!;
    expect(read.headersFor('/admin/')['x-robots-tag']).toBe('noindex, nofollow');
    for (const path of readers) expect(read.headersFor(path)['x-robots-tag'], path).toBe('noindex');
  });
});

describe('/admin/ and reader pages on Netlify', () => {
  const { dist, out } = buildFor('netlify');
  // Netlify's own headers engine (@netlify/headers), on the written file.
  const engine = new HeadersHandler({ projectDir: dist, publishDir: '.', logger: console });
  const served = async (path: string) =>
    Object.fromEntries(
      Object.entries(await engine.apply(new Request(`https://news.example.org${path}`))).map(([k, v]) => [k.toLowerCase(), v]),
    );

  it('writes no detach lines, one /admin/* rule after /*, and names its dialect', () => {
    expect(out.headers).not.toMatch(/^\s+!/m);
    expect(out.headers.match(/^\/admin\/\*$/gm)).toHaveLength(1);
    expect(out.headers.indexOf('\n/admin/*\n')).toBeGreaterThan(out.headers.indexOf('\n/*\n'));
    expect(out.headers).toContain('# Dialect: netlify');
  });

  it('ends /admin/ with exactly the editor’s CSP, and every reader page with exactly the site’s', async () => {
    for (const path of adminPaths) {
      const h = await served(path);
      expect(h['content-security-policy'], path).toBe(ADMIN_CSP);
      expect(h['cross-origin-opener-policy'], path).toBe('same-origin-allow-popups');
      expect(h['x-robots-tag'], path).toBe('noindex, nofollow');
      expect(h['cache-control'], path).toBe(CACHE_CONTROL.revalidate);
    }
    for (const path of readers) {
      const h = await served(path);
      expect(h['content-security-policy'], path).toBe(out.csp);
      expect(h['cross-origin-opener-policy'], path).toBe('same-origin');
    }
    // The reader used by npm run verify agrees with Netlify's engine.
    const read = (await readHostHeaders(dist))!;
    expect(read.host).toBe('netlify');
    for (const path of [...adminPaths, ...readers]) expect(read.headersFor(path), path).toEqual(await served(path));
  });
});

describe('the site setting host', () => {
  it('is one of the deploy targets, and photos resize on its CDN only where it has one', () => {
    for (const host of ['netlify', 'cloudflare-pages', 's3'])
      expect(siteConfigSchema.safeParse({ ...siteConfig, host }).success, host).toBe(true);
    const wrong = siteConfigSchema.safeParse({ ...siteConfig, host: 'vercel' });
    expect(wrong.error?.issues[0]).toMatchObject({ path: ['host'], message: expect.stringContaining('netlify, cloudflare-pages, s3') });
    expect(siteConfigSchema.safeParse({ ...siteConfig, host: 'cloudflare-pages', images: { cdn: true } }).success).toBe(true);
    const s3 = siteConfigSchema.safeParse({ ...siteConfig, host: 's3', images: { cdn: true } });
    expect(s3.error?.issues[0]).toMatchObject({
      path: ['images', 'cdn'],
      message: expect.stringContaining('S3 and CloudFront do not resize'),
    });
    // The old form, which named the CDN, is refused rather than read as off.
    const old = siteConfigSchema.safeParse({ ...siteConfig, images: { cdn: 'cloudflare' } });
    expect(old.error?.issues[0]).toMatchObject({ path: ['images', 'cdn'], message: expect.stringContaining('MASTHEAD_IMAGE_CDN=on') });
  });
});

describe('npm run verify on /admin/', { timeout: 120_000 }, () => {
  /** The host-files lines verify prints (its other checks have no real pages to read here). */
  const verifyHeaders = (dist: string, env: Record<string, string> = {}) => {
    const r = spawnSync('npm', ['run', '--silent', 'verify', '--', dist], { encoding: 'utf8', env: { ...process.env, ...env } });
    return `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.startsWith('  ✗ _headers'));
  };

  it('passes a Cloudflare _headers that detaches, and refuses one that would join the policies on /admin/', () => {
    const { dist } = buildFor('cloudflare-pages');
    expect(verifyHeaders(dist, { MASTHEAD_HOST: 'cloudflare-pages' })).toEqual([]);
    const file = join(dist, '_headers');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^ {2}! .+\n/gm, ''));
    const problems = verifyHeaders(dist);
    expect(
      problems.some((l) =>
        l.startsWith("  ✗ _headers: /admin/ ends with Content-Security-Policy: \"default-src 'self'; script-src 'self' 'wasm-unsafe-eval'"),
      ),
    ).toBe(true);
    expect(problems).toContain(
      '  ✗ _headers: /admin/ ends with Cross-Origin-Opener-Policy: "same-origin, same-origin-allow-popups" on cloudflare-pages, not the editor\'s own value; the /admin/* rule must replace the site\'s (src/integrations/host-files/policy.ts, renderHeaders)',
    );
  });

  it('refuses a _headers written for another host than the deploy target', () => {
    const { dist } = buildFor('netlify');
    expect(verifyHeaders(dist, { MASTHEAD_HOST: 'cloudflare-pages' })).toEqual([
      '  ✗ _headers: was written for netlify, but MASTHEAD_HOST (the deploy target) is cloudflare-pages; build again with MASTHEAD_HOST=cloudflare-pages',
    ]);
  });
});
