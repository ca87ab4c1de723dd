import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import service from '../../src/images/service';

const config = { service: { entrypoint: './src/images/service.ts', config: {} } } as never;
const logger = { info() {}, warn() {}, error() {}, debug() {} } as never;
let n = 0;
/** A transform of a source the service has not seen (its decode cache is keyed by `src`). */
type Transform = Parameters<typeof service.transform>[1];
const transform = (t: Partial<Transform>): Transform => ({ src: `/_astro/test-${n++}.jpg`, ...t });

/** 300×200 pixels, left half red and right half blue. */
function halves(channels: 3 | 4 = 3) {
  const raw = Buffer.alloc(300 * 200 * channels);
  for (let p = 0; p < 300 * 200; p++) {
    const left = p % 300 < 150;
    raw.set(channels === 4 ? [left ? 255 : 0, 0, left ? 0 : 255, 128] : [left ? 255 : 0, 0, left ? 0 : 255], p * channels);
  }
  return sharp(raw, { raw: { width: 300, height: 200, channels } });
}

async function pixel(data: Uint8Array, x: number, y: number) {
  const { data: raw, info } = await sharp(data).raw().toBuffer({ resolveWithObject: true });
  const o = (y * info.width + x) * info.channels;
  return { r: raw[o]!, b: raw[o + 2]!, width: info.width, height: info.height };
}

describe('the image service', () => {
  it('turns a photo upright by its EXIF orientation and publishes no EXIF or GPS', async () => {
    // Stored landscape with orientation 6 (rotate 90° clockwise): shown as a 200×300 portrait, red on top.
    const input = await halves()
      .jpeg({ quality: 95 })
      .withExif({ IFD0: { Make: 'Camera', Copyright: 'Reporter' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '41/1 15/1 0/1' } })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const meta = await sharp(input).metadata();
    expect(meta.orientation).toBe(6);
    expect(meta.exif?.toString('latin1')).toContain('Reporter'); // the input does carry EXIF (and a GPS IFD)
    for (const format of ['webp', 'avif', 'jpeg'] as const) {
      const { data } = await service.transform(input, transform({ width: 100, height: 150, format }), config, logger);
      const out = await sharp(data).metadata();
      expect({ format, exif: out.exif, xmp: out.xmp, orientation: out.orientation }).toEqual({
        format,
        exif: undefined,
        xmp: undefined,
        orientation: undefined,
      });
      const top = await pixel(data, 50, 10);
      const bottom = await pixel(data, 50, 140);
      expect([top.width, top.height]).toEqual([100, 150]);
      expect(top.r).toBeGreaterThan(200);
      expect(bottom.b).toBeGreaterThan(200);
    }
  });

  it('takes CMYK JPEGs and 16-bit PNGs with alpha, publishing sRGB', async () => {
    const cmyk = await halves().toColourspace('cmyk').jpeg().toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    const fromCmyk = await service.transform(cmyk, transform({ width: 150, height: 100, format: 'webp' }), config, logger);
    const left = await pixel(fromCmyk.data, 10, 50);
    expect((await sharp(fromCmyk.data).metadata()).space).toBe('srgb');
    expect(left.r).toBeGreaterThan(180);

    const deep = await halves(4).toColourspace('rgb16').png().toBuffer();
    const deepMeta = await sharp(deep).metadata();
    expect([deepMeta.depth, deepMeta.hasAlpha]).toEqual(['ushort', true]);
    const fromDeep = await service.transform(
      deep,
      transform({ src: '/_astro/deep.png', width: 150, height: 100, format: 'webp' }),
      config,
      logger,
    );
    const out = await sharp(fromDeep.data).metadata();
    expect([out.width, out.height, out.hasAlpha, out.depth]).toEqual([150, 100, true, 'uchar']);
  });

  it('cuts a share crop of the exact size from the shared decode', async () => {
    const input = await halves().jpeg().toBuffer();
    const { data } = await service.transform(input, transform({ width: 120, height: 120, fit: 'cover', format: 'jpeg' }), config, logger);
    const m = await sharp(data).metadata();
    expect([m.width, m.height, m.format]).toEqual([120, 120, 'jpeg']);
  });

  it('fails on a corrupt photo instead of publishing a broken file', async () => {
    const good = await halves().jpeg().toBuffer();
    const truncated = good.subarray(0, Math.floor(good.length / 2));
    await expect(service.transform(truncated, transform({ width: 100, height: 66, format: 'webp' }), config, logger)).rejects.toThrow();
  });
});
