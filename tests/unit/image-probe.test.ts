import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { probeImage, sniffFormat, unsupportedExtension } from '../../src/images/probe';

const reader = (b: Uint8Array) => (offset: number, length: number) => b.subarray(offset, offset + length);
const probe = (name: string, b: Uint8Array) => probeImage(name, b.length, reader(b));

/** The first bytes of an iPhone photo: an ISO media file whose brands say HEIC. */
export function heicBytes(): Buffer {
  const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1')]);
  const meta = Buffer.concat([Buffer.from([0, 0, 0, 16]), Buffer.from('meta\0\0\0\0\0\0\0\0', 'latin1')]);
  return Buffer.concat([ftyp, meta]);
}

describe('probeImage', () => {
  const files: Record<string, Buffer> = {};
  beforeAll(async () => {
    const photo = sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a6' } });
    files.jpg = await photo.clone().jpeg().toBuffer();
    files.progressive = await photo.clone().jpeg({ progressive: true }).toBuffer();
    files.png = await photo.clone().png().toBuffer();
    files.webp = await photo.clone().webp().toBuffer();
    files.avif = await photo.clone().avif().toBuffer();
    files.gif = await photo.clone().gif().toBuffer();
  });

  it('passes whole files of every format the site publishes', () => {
    expect(probe('a.jpg', files.jpg!)).toBeUndefined();
    expect(probe('a.JPEG', files.progressive!)).toBeUndefined();
    expect(probe('a.png', files.png!)).toBeUndefined();
    expect(probe('a.webp', files.webp!)).toBeUndefined();
    expect(probe('a.avif', files.avif!)).toBeUndefined();
    expect(probe('a.gif', files.gif!)).toBeUndefined();
  });

  it('passes a JPEG with data after its end (a motion photo carries its video there)', () => {
    const video = Buffer.alloc(200_000, 7);
    expect(probe('motion.jpg', Buffer.concat([files.jpg!, video]))).toBeUndefined();
  });

  it('names a copy cut short, in every format', () => {
    for (const [name, b] of [
      ['a.jpg', files.jpg!],
      ['a.png', files.png!],
      ['a.webp', files.webp!],
      ['a.avif', files.avif!],
      ['a.gif', files.gif!],
    ] as const) {
      const problem = probe(name, b.subarray(0, Math.floor(b.length * 0.6)));
      expect(problem?.message, name).toMatch(/^is cut short: the [A-Z]+ data stops before its end/);
      expect(problem?.hint).toMatch(/export the photo again/);
    }
  });

  it('names damage in a JPEG header', () => {
    const b = Buffer.from(files.jpg!);
    const second = 4 + b.readUInt16BE(4); // after the first segment
    b.fill(0x41, second, second + 40);
    expect(probe('a.jpg', b)?.message).toBe(`is damaged: no JPEG marker at byte ${second}`);
  });

  it('names a HEIC photo, whatever it is called, and says to export it as JPEG', () => {
    for (const name of ['IMG_0001.jpg', 'IMG_0001.png']) {
      expect(probe(name, heicBytes())).toEqual({ message: expect.stringMatching(/^is a HEIC photo/), hint: expect.stringMatching(/^export it as JPEG/) });
    }
    expect(sniffFormat(heicBytes())).toBe('heic');
    expect(unsupportedExtension('.heic').message).toMatch(/^is a HEIC photo/);
    expect(unsupportedExtension('.heif').hint).toMatch(/^export it as JPEG/);
    expect(unsupportedExtension('.bmp').message).toBe('is not an image the site can use');
  });

  it('names an image of another format under the wrong extension, with the name to give it', () => {
    expect(probe('photos/bridge.jpg', files.png!)).toEqual({
      message: 'is a PNG image named .jpg',
      hint: expect.stringMatching(/^rename it to bridge\.png and change the reference to match/),
    });
    expect(probe('chart.webp', files.avif!)?.message).toBe('is an AVIF image named .webp');
  });

  it('names files that are no image, or not one the site can show', () => {
    expect(probe('a.jpg', Buffer.from('not a photo at all'))?.message).toMatch(/^is not a real JPG image: its first bytes are no JPEG/);
    expect(probe('a.jpg', Buffer.from('<!DOCTYPE html><html><body>Forbidden</body></html>'))?.message).toBe(
      'is not a real JPG image: it is a web page',
    );
    expect(probe('a.png', Buffer.from('%PDF-1.7\n'))?.message).toBe('is not a real PNG image: it is a PDF document');
    expect(probe('a.jpg', Buffer.from('II*\0\x08\0\0\0', 'latin1'))?.message).toBe('is not a real JPG image: it is a TIFF or camera RAW file');
  });
});
