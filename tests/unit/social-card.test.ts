import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { CARD_PHOTO, headlineFontSize, renderSocialCard, socialCardPath } from '../../src/data/social-card';

const card = { stationName: 'KFIX 90.1', siteName: 'Prairie & Peaks Public Media', accent: '#1d4e89' };

describe('social cards', () => {
  it('shrink the headline as it grows, so long headlines still fit', () => {
    const sizes = [20, 60, 100, 140].map((n) => headlineFontSize('x'.repeat(n), 600, 360));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(sizes[0]).toBeGreaterThan(sizes[3]!);
  });

  it('render a 1200×630 PNG, with and without a photo', async () => {
    const photo = await sharp({ create: { width: CARD_PHOTO.width, height: CARD_PHOTO.height, channels: 3, background: '#3366aa' } })
      .jpeg()
      .toBuffer();
    for (const input of [
      { ...card, headline: 'Łódź council & "</script>" <b>bold</b> headline', photo: { data: photo, type: 'image/jpeg' as const } },
      { ...card, headline: 'x'.repeat(140) },
    ]) {
      const png = await renderSocialCard(input);
      const meta = await sharp(png).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['png', 1200, 630]);
    }
  });

  it('draw the photo on the right and the station bar in its colour', async () => {
    const photo = await sharp({ create: { width: CARD_PHOTO.width, height: CARD_PHOTO.height, channels: 3, background: '#ff0000' } })
      .jpeg()
      .toBuffer();
    const png = await renderSocialCard({ ...card, headline: 'Headline', photo: { data: photo, type: 'image/jpeg' } });
    const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)];
    const [r, g, b] = pixel(1100, 400);
    expect(r).toBeGreaterThan(200);
    expect(g! + b!).toBeLessThan(80);
    expect(pixel(5, 5)).toEqual([0x1d, 0x4e, 0x89]);
  });

  it('live beside the story path', () => {
    expect(socialCardPath('/news/2026/11/20/library/')).toBe('/og/news/2026/11/20/library.png');
  });
});
