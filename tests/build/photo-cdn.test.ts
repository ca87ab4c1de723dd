import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRssFeed } from 'feedsmith';
import { beforeAll, describe, expect, it } from 'vitest';
import { CDN_QUALITY, type ImageCdn } from '../../src/images/cdn';
import { PHOTO_WIDTHS } from '../../src/images/photo-set';
import { parseSrcset } from '../../src/lib/srcset';
import { buildSite } from '../helpers/build-site';
import { listFiles, loadPage } from '../helpers/dist';
import { SITES, TMP } from '../helpers/sites';
import { all, attr, one, parseFragment, the } from '../helpers/html';

const STORY = '/news/2026/11/20/local-story-with-photo/';

/**
 * Each host's documented grammar, as a parser: the source path and the options, or a failure.
 * Cloudflare: /cdn-cgi/image/<key=value,…>/<source path>. Netlify: /.netlify/images?url=<path>&w=&h=&fit=&q=&fm=.
 */
const GRAMMAR: Record<ImageCdn, (url: string) => { path: string; options: Record<string, string> }> = {
  cloudflare(url) {
    const m = /^\/cdn-cgi\/image\/([a-z]+=[^,/]+(?:,[a-z]+=[^,/]+)*)(\/.+)$/.exec(url);
    if (!m) throw new Error(`not a Cloudflare transform URL: ${url}`);
    const options = Object.fromEntries(m[1]!.split(',').map((kv) => kv.split('=') as [string, string]));
    const known = new Set(['width', 'height', 'fit', 'quality', 'format', 'gravity', 'dpr']);
    for (const k of Object.keys(options)) if (!known.has(k)) throw new Error(`unknown Cloudflare option ${k} in ${url}`);
    expect(['scale-down', 'contain', 'cover', 'crop', 'pad', undefined]).toContain(options.fit);
    expect(['auto', 'avif', 'webp', 'jpeg', 'png', undefined]).toContain(options.format);
    return { path: m[2]!, options };
  },
  netlify(url) {
    const u = new URL(url, 'https://host.invalid');
    if (u.pathname !== '/.netlify/images') throw new Error(`not a Netlify Image CDN URL: ${url}`);
    const options = Object.fromEntries(u.searchParams);
    const known = new Set(['url', 'w', 'h', 'fit', 'q', 'fm', 'position']);
    for (const k of Object.keys(options)) if (!known.has(k)) throw new Error(`unknown Netlify parameter ${k} in ${url}`);
    expect(['contain', 'cover', 'fill', undefined]).toContain(options.fit);
    expect(['avif', 'webp', 'jpg', 'png', 'gif', undefined]).toContain(options.fm);
    return { path: options.url!, options };
  },
};
const widthOf = (cdn: ImageCdn, o: Record<string, string>) => Number(cdn === 'cloudflare' ? o.width : o.w);

describe.each(['cloudflare', 'netlify'] as const)('with images.cdn: %s', (cdn) => {
  const dist = `${TMP}/fixtures-cdn-${cdn}-dist`;
  beforeAll(async () => {
    await buildSite(
      'fixtures',
      {
        MASTHEAD_HOST: cdn === 'cloudflare' ? 'cloudflare-pages' : 'netlify',
        MASTHEAD_IMAGE_CDN: 'on',
        MASTHEAD_CACHE_DIR: `${TMP}/cache-fixtures-cdn-${cdn}`,
      },
      dist,
    );
  }, 300_000);

  it('encodes nothing: dist holds each original once, and no resized copy', () => {
    const images = listFiles(join(dist, '_astro')).filter((f) => /\.(avif|webp|jpe?g|png)$/.test(f));
    const originals = listFiles(join(SITES.fixtures.contentDir)).filter((f) => /\.(jpe?g|png)$/.test(f));
    const stems = (f: string) => f.replace(/^.*\//, '').replace(/\.[^.]+$/, '');
    // Each original under its hashed name, once; the publisher logo too.
    for (const o of originals) expect(images.filter((f) => f.startsWith(`${stems(o)}.`)).length, o).toBe(1);
    expect(images.filter((f) => !/\.(jpe?g|png)$/.test(f))).toEqual([]);
    expect(images.length).toBe(originals.length + 1);
  });

  it('writes srcsets in the host grammar, pointing at published originals, with width, height and alt intact', () => {
    const $ = loadPage(dist, STORY);
    const img = the($, 'article figure.photo img');
    expect(attr(img, 'alt')).toBe('A glass-fronted library building beside a river at dusk');
    expect(Number(attr(img, 'width'))).toBeGreaterThan(0);
    expect(Number(attr(img, 'height'))).toBeGreaterThan(0);
    expect(attr(img, 'fetchpriority')).toBe('high');
    // The CDN picks the format, so there is no per-format <source>.
    expect(all($, 'article figure.photo picture:has(> img) source').length).toBe(0);
    const candidates = parseSrcset(attr(img, 'srcset')!);
    expect(candidates.map((c) => c.width)).toEqual(PHOTO_WIDTHS.filter((w) => w <= Number(attr(img, 'width'))));
    for (const c of candidates) {
      const { path, options } = GRAMMAR[cdn](c.url);
      expect(widthOf(cdn, options), c.url).toBe(c.width);
      expect(Number(cdn === 'cloudflare' ? options.quality : options.q)).toBe(CDN_QUALITY);
      expect(cdn === 'cloudflare' ? options.format : options.fm).toBe(cdn === 'cloudflare' ? 'auto' : undefined);
      expect(existsSync(join(dist, path)), path).toBe(true);
    }
    expect(GRAMMAR[cdn](attr(img, 'src')!).path).toBe(GRAMMAR[cdn](candidates[0]!.url).path);
  });

  it('asks for JPEG crops of the exact size in share and JSON-LD images', () => {
    const $ = loadPage(dist, STORY);
    const og = attr(one($, 'meta[property="og:image"]'), 'content')!;
    const { path, options } = GRAMMAR[cdn](new URL(og).pathname + new URL(og).search);
    expect(existsSync(join(dist, path))).toBe(true);
    expect(widthOf(cdn, options)).toBe(Number(attr(one($, 'meta[property="og:image:width"]'), 'content')));
    expect(Number(cdn === 'cloudflare' ? options.height : options.h)).toBe(
      Number(attr(one($, 'meta[property="og:image:height"]'), 'content')),
    );
    expect(options.fit).toBe('cover');
    expect(cdn === 'cloudflare' ? options.format : options.fm).toBe(cdn === 'cloudflare' ? 'jpeg' : 'jpg');
  });

  it('keeps CDN URLs whole in feeds (a comma inside a URL is not a candidate separator)', () => {
    // The feed's HTML is escaped inside the XML; read it back as text, then its srcsets.
    const { items = [] } = parseRssFeed(readFileSync(join(dist, 'rss.xml'), 'utf8'));
    const body = parseFragment(items.map((i) => `${i.description ?? ''}\n${i.content?.encoded ?? ''}`).join('\n'));
    const srcsets = all(body, 'img[srcset]').map((el) => attr(el, 'srcset')!);
    expect(srcsets.length).toBeGreaterThan(0); // the story with a photo in its body
    for (const s of srcsets) for (const c of parseSrcset(s)) GRAMMAR[cdn](new URL(c.url).pathname + new URL(c.url).search);
  });
});
