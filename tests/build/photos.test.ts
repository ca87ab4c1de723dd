import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { PHOTO_SIZES, PHOTO_WIDTHS, pictureFallbackWidths } from '../../src/images/photo-set';
import { parseSrcset } from '../../src/lib/srcset';
import { listFiles, loadPage } from '../helpers/dist';
import { SITES } from '../helpers/sites';
import { all, attr, one, the } from '../helpers/html';

const dist = SITES.fixtures.outDir;
const STORY = '/news/2026/11/20/local-story-with-photo/';
const BODY_PHOTO_STORY = '/news/2026/11/24/markup-characters-in-headline/';

const images = () => listFiles(join(dist, '_astro')).filter((f) => /\.(avif|webp|jpe?g|png)$/.test(f));

describe('photos in the fixtures build', () => {
  it('publishes no image file that no page, feed or sitemap refers to', () => {
    const published = listFiles(dist)
      .filter((f) => /\.(html|xml|json)$/.test(f) && !f.startsWith('_pagefind/'))
      .map((f) => readFileSync(join(dist, f), 'utf8'))
      .join('\n');
    const unused = images().filter((f) => !published.includes(`/_astro/${f}`));
    expect(unused).toEqual([]);
  });

  it('gives the story page, its cards and a Markdown body the same files of one photo', () => {
    const figure = the(loadPage(dist, STORY), 'article figure.photo');
    const story = the(figure, 'img');
    const webp = attr(story, 'srcset')!;
    const avif = the(figure, 'source[type="image/avif"]');
    // AVIF at every width; the WebP fallback (browsers without AVIF) stops at 1200 px.
    expect(parseSrcset(attr(avif, 'srcset')!).map((c) => c.width)).toEqual([...PHOTO_WIDTHS]);
    expect(parseSrcset(webp).map((c) => c.width)).toEqual(pictureFallbackWidths(1600));
    expect(attr(avif, 'sizes')).toBe(PHOTO_SIZES.story);
    expect(attr(story, 'sizes')).toBe(PHOTO_SIZES.story);
    // The same photo in another story's body (WebP only, so every width), and on a card: the same files.
    const $ = loadPage(dist, BODY_PHOTO_STORY);
    const bodies = all($, '[data-article-body] img').filter((el) => attr(el, 'src')?.includes('riverfront-library') ?? false);
    expect(bodies.length).toBe(1);
    const body = bodies[0]!;
    const bodyCandidates = parseSrcset(attr(body, 'srcset')!);
    expect(bodyCandidates.map((c) => c.width)).toEqual([...PHOTO_WIDTHS]);
    expect(parseSrcset(webp).every((c) => bodyCandidates.some((b) => b.url === c.url))).toBe(true);
    expect(attr(body, 'sizes')).toBe(PHOTO_SIZES.story);
    expect(attr(body, 'alt')).toBe('Readers lined up outside the library');
    const home = loadPage(dist, '/');
    const cards = all(home, '.card picture').filter((el) => attr(one(el, 'img'), 'src')?.includes('riverfront-library') ?? false);
    expect(cards.length).toBeGreaterThan(0);
    expect(attr(one(cards[0]!, 'img'), 'srcset')).toBe(webp);
    expect(attr(one(cards[0]!, 'source[type="image/avif"]'), 'srcset')).toBe(attr(avif, 'srcset'));
  });

  it('keeps the lead photo sized (no layout shift) and first to load', () => {
    const img = the(loadPage(dist, STORY), 'article figure.photo img');
    const [w, h] = [Number(attr(img, 'width')), Number(attr(img, 'height'))];
    expect(w).toBeGreaterThan(0);
    expect(h).toBeGreaterThan(0);
    expect(attr(img, 'fetchpriority')).toBe('high');
    expect(attr(img, 'loading')).toBe('eager');
  });

  it('publishes no EXIF, GPS or XMP metadata in any image file', async () => {
    for (const f of images()) {
      const meta = await sharp(join(dist, '_astro', f)).metadata();
      expect({ file: f, exif: meta.exif, xmp: meta.xmp, iptc: meta.iptc }).toEqual({
        file: f,
        exif: undefined,
        xmp: undefined,
        iptc: undefined,
      });
    }
  });
});
