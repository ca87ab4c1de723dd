import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { PHOTO_SIZES, PHOTO_WIDTHS, pictureFallbackWidths } from '../../src/images/photo-set';
import { parseSrcset } from '../../src/lib/srcset';
import { listFiles, loadPage } from '../helpers/dist';
import { SITES } from '../helpers/sites';

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
    const figure = loadPage(dist, STORY)('article figure.photo');
    const story = figure.find('img');
    const webp = story.attr('srcset')!;
    const avif = figure.find('source[type="image/avif"]');
    // AVIF at every width; the WebP fallback (browsers without AVIF) stops at 1200 px.
    expect(parseSrcset(avif.attr('srcset')!).map((c) => c.width)).toEqual([...PHOTO_WIDTHS]);
    expect(parseSrcset(webp).map((c) => c.width)).toEqual(pictureFallbackWidths(1600));
    expect(avif.attr('sizes')).toBe(PHOTO_SIZES.story);
    expect(story.attr('sizes')).toBe(PHOTO_SIZES.story);
    // The same photo in another story's body (WebP only, so every width), and on a card: the same files.
    const $ = loadPage(dist, BODY_PHOTO_STORY);
    const body = $('[data-article-body] img').filter((_i, el) => $(el).attr('src')?.includes('riverfront-library') ?? false);
    expect(body.length).toBe(1);
    const bodyCandidates = parseSrcset(body.attr('srcset')!);
    expect(bodyCandidates.map((c) => c.width)).toEqual([...PHOTO_WIDTHS]);
    expect(parseSrcset(webp).every((c) => bodyCandidates.some((b) => b.url === c.url))).toBe(true);
    expect(body.attr('sizes')).toBe(PHOTO_SIZES.story);
    expect(body.attr('alt')).toBe('Readers lined up outside the library');
    const home = loadPage(dist, '/');
    const card = home('.card picture').filter((_i, el) => home(el).find('img').attr('src')?.includes('riverfront-library') ?? false);
    expect(card.length).toBeGreaterThan(0);
    expect(card.first().find('img').attr('srcset')).toBe(webp);
    expect(card.first().find('source[type="image/avif"]').attr('srcset')).toBe(avif.attr('srcset'));
  });

  it('keeps the lead photo sized (no layout shift) and first to load', () => {
    const img = loadPage(dist, STORY)('article figure.photo img');
    const [w, h] = [Number(img.attr('width')), Number(img.attr('height'))];
    expect(w).toBeGreaterThan(0);
    expect(h).toBeGreaterThan(0);
    expect(img.attr('fetchpriority')).toBe('high');
    expect(img.attr('loading')).toBe('eager');
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
