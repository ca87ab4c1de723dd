import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { socialCardKey, socialCardPath } from '../../src/outputs/share-cards/card';
import { headlineFontSize, renderSocialCard } from '../../src/outputs/share-cards/draw';
import { SocialCardPool } from '../../src/outputs/share-cards/pool';

const card = { stationName: 'KFIX 90.1', siteName: 'Prairie & Peaks Public Media', accent: '#1d4e89' };

describe('social cards', () => {
  it('shrink the headline as it grows, so long headlines still fit', () => {
    const sizes = [20, 60, 100, 140].map((n) => headlineFontSize('x'.repeat(n), 600, 360));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(sizes[0]).toBeGreaterThan(sizes[3]!);
  });

  it('render an opaque 1200×630 PNG, for awkward and overlong headlines alike', async () => {
    for (const headline of ['Łódź council & "</script>" <b>bold</b> headline', 'x'.repeat(140)]) {
      const meta = await sharp(await renderSocialCard({ ...card, headline })).metadata();
      expect([meta.format, meta.width, meta.height, meta.hasAlpha]).toEqual(['png', 1200, 630, false]);
    }
  });

  it('draw the station bar in its colour and the headline in dark ink on the light ground', async () => {
    const png = await renderSocialCard({ ...card, headline: 'MMMMMMMMMMMMMMMMMMMMMMMMMMMM' });
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)];
    expect(pixel(5, 5)).toEqual([0x1d, 0x4e, 0x89]);
    expect(pixel(1195, 600)).toEqual([0xf5, 0xf3, 0xef]);
    // Somewhere along the first headline line the glyphs are drawn in near-black.
    const row = Array.from({ length: 1000 }, (_, x) => pixel(60 + x, 84 + 56 + 30));
    expect(row.some(([r, g, b]) => r! + g! + b! < 150)).toBe(true);
  });

  it('live beside the story path', () => {
    expect(socialCardPath('/news/2026/11/20/library/')).toBe('/og/news/2026/11/20/library.png');
  });
});

describe('the share-card pool', () => {
  const workerFile = fileURLToPath(new URL('../../src/outputs/share-cards/worker.ts', import.meta.url));
  const headlines = ['First story', 'Second story', 'Third story'];

  it('draws prefetched cards in a worker into the cache, and hands each one out by what it shows', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'mh-cards-'));
    const pool = new SocialCardPool({ workerFile, cacheDir, workers: 1 });
    const inputs = headlines.map((headline) => ({ ...card, headline }));
    pool.prefetch(inputs);
    const pngs = await Promise.all([...inputs].reverse().map((input) => pool.card(input)));
    for (const [i, input] of [...inputs].reverse().entries()) {
      const cached = readFileSync(join(cacheDir, 'social-cards', `${socialCardKey(input)}.png`));
      expect(Buffer.from(pngs[i]!).equals(cached)).toBe(true);
    }
    expect(new Set(pngs.map((p) => Buffer.from(p).toString('base64'))).size).toBe(3);
    expect(readdirSync(join(cacheDir, 'social-cards')).sort()).toEqual(inputs.map((i) => `${socialCardKey(i)}.png`).sort());
  });

  it('fails a card with the story named when no worker can start, instead of waiting for ever', async () => {
    const pool = new SocialCardPool({ workerFile: join(tmpdir(), 'no-such-worker.ts'), cacheDir: tmpdir(), workers: 1 });
    await expect(pool.card({ ...card, headline: 'Orphaned story' })).rejects.toThrow(/share card for "Orphaned story"/);
  });
});
