/**
 * What is wrong with an image file, told from its bytes without decoding it: a phone's HEIC, a
 * file named for another format, something that is no image at all, or a copy cut short. Pure
 * but for the `read` it is given, and it reads only the header, the markers and the tail, so
 * `check:content` can probe thousands of photos in a second. (A file damaged in the middle of
 * its pixel data, with intact markers, is only found by decoding it: the build does that.)
 */

/** Formats the site publishes, by the extensions that name them. */
const EXTENSION_FORMAT: Record<string, Format> = {
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.png': 'png',
  '.webp': 'webp',
  '.avif': 'avif',
  '.gif': 'gif',
};

type Format = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif';
type Other = 'heic' | 'tiff' | 'bmp' | 'pdf' | 'svg' | 'html' | 'psd' | 'video';

const NAMES: Record<Format | Other, string> = {
  jpeg: 'a JPEG image',
  png: 'a PNG image',
  webp: 'a WebP image',
  avif: 'an AVIF image',
  gif: 'a GIF image',
  heic: 'a HEIC photo (the format iPhones save by default)',
  tiff: 'a TIFF or camera RAW file',
  bmp: 'a BMP image',
  pdf: 'a PDF document',
  svg: 'an SVG drawing',
  html: 'a web page',
  psd: 'a Photoshop document',
  video: 'a video',
};

export interface ImageProblem {
  message: string;
  hint: string;
}

/** Reads `length` bytes at `offset` (fewer at the end of the file). */
export type ReadAt = (offset: number, length: number) => Uint8Array;

const EXPORT_JPEG = 'export it as JPEG (or PNG, WebP, AVIF) from your photo editor';
export const HEIC_HINT =
  'export it as JPEG (on an iPhone: Settings › Camera › Formats › Most Compatible, or share the photo as JPEG) and point to the .jpg file';

const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
const u16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u32 = (b: Uint8Array, at: number) => ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;

/** The format the first bytes say, whatever the file is called. */
export function sniffFormat(head: Uint8Array): Format | Other | undefined {
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (ascii(head, 0, 8) === '\x89PNG\r\n\x1a\n') return 'png';
  if (/^GIF8[79]a$/.test(ascii(head, 0, 6))) return 'gif';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'webp';
  if (ascii(head, 4, 8) === 'ftyp') {
    // ISO media: the major and compatible brands say AVIF, HEIC or a video.
    const end = Math.min(head.length, u32(head, 0));
    const brands = [ascii(head, 8, 12)];
    for (let at = 16; at + 4 <= end; at += 4) brands.push(ascii(head, at, at + 4));
    if (brands.some((b) => b === 'avif' || b === 'avis')) return 'avif';
    if (brands.some((b) => /^(heic|heix|heim|heis|hevc|hevx|hevm|hevs|mif1|msf1)$/.test(b))) return 'heic';
    return 'video';
  }
  if (ascii(head, 0, 4) === 'II*\0' || ascii(head, 0, 4) === 'MM\0*') return 'tiff';
  if (ascii(head, 0, 4) === '%PDF') return 'pdf';
  if (ascii(head, 0, 4) === '8BPS') return 'psd';
  if (ascii(head, 0, 2) === 'BM') return 'bmp';
  const text = ascii(head, 0, Math.min(head.length, 256)).replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart().toLowerCase();
  if (text.startsWith('<svg') || (text.startsWith('<?xml') && text.includes('<svg'))) return 'svg';
  if (text.startsWith('<!doctype html') || text.startsWith('<html')) return 'html';
  return undefined;
}

/** The refusal for a file whose extension the site does not publish, naming HEIC when it is one. */
export function unsupportedExtension(ext: string): ImageProblem {
  if (ext === '.heic' || ext === '.heif')
    return { message: `is ${NAMES.heic}, which most browsers cannot show`, hint: HEIC_HINT };
  return { message: 'is not an image the site can use', hint: 'use a .jpg, .png, .webp, .avif or .gif file' };
}

const EXTENSION_FORMAT_BY_FORMAT: Record<Format, string> = { jpeg: '.jpg', png: '.png', webp: '.webp', avif: '.avif', gif: '.gif' };

/** 'truncated', a description of the damage, or undefined when the file's structure is whole. */
type StructureCheck = (head: Uint8Array, size: number, read: ReadAt) => 'truncated' | string | undefined;

const STRUCTURE: Record<Format, StructureCheck> = {
  jpeg: jpegStructure,
  png: pngStructure,
  webp: (head, size) => (u32le(head, 4) + 8 > size ? 'truncated' : undefined),
  avif: isoStructure,
  gif: (_head, size, read) => {
    const tail = read(Math.max(0, size - 16), Math.min(16, size));
    let last = tail.length - 1;
    while (last > 0 && tail[last] === 0) last--;
    return tail[last] === 0x3b ? undefined : 'truncated';
  },
};

const u32le = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + ((b[at + 3]! << 24) >>> 0);

/** JPEG: the markers up to the image data must hold a frame header, and an end marker must follow. */
function jpegStructure(head: Uint8Array, size: number, read: ReadAt): string | undefined {
  let b = head;
  let pos = 2;
  let frame = false;
  for (;;) {
    if (pos + 10 > b.length && b.length < size) b = read(0, Math.min(size, Math.max(b.length * 4, pos + 64 * 1024)));
    if (pos + 4 > b.length) return 'truncated';
    if (b[pos] !== 0xff) return `no JPEG marker at byte ${pos}`;
    while (b[pos + 1] === 0xff && pos + 2 < b.length) pos++;
    const marker = b[pos + 1]!;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xd8) return 'it holds no image data';
    const length = u16(b, pos + 2);
    if (length < 2) return `a marker at byte ${pos} has an impossible length`;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (pos + 9 > b.length) return 'truncated';
      if (!u16(b, pos + 5) || !u16(b, pos + 7)) return 'its frame header gives no size';
      frame = true;
    }
    if (marker === 0xda) {
      if (!frame) return 'its image data comes before any frame header';
      const dataStart = pos + 2 + length;
      if (dataStart > size) return 'truncated';
      // The end-of-image marker: at the end, or before data a phone appends (a motion photo's video).
      const tailFrom = Math.max(dataStart, size - 64 * 1024);
      if (hasEoi(read(tailFrom, size - tailFrom))) return undefined;
      return tailFrom > dataStart && hasEoi(read(dataStart, tailFrom - dataStart)) ? undefined : 'truncated';
    }
    pos += 2 + length;
  }
}

function hasEoi(b: Uint8Array): boolean {
  for (let i = b.length - 2; i >= 0; i--) if (b[i] === 0xff && b[i + 1] === 0xd9) return true;
  return false;
}

/** PNG: a header chunk first, and chunks that fit in the file up to the end chunk. */
function pngStructure(head: Uint8Array, size: number, read: ReadAt): string | undefined {
  let pos = 8;
  for (let chunks = 0; chunks < 1_000_000; chunks++) {
    if (pos + 12 > size) return 'truncated';
    const h = pos + 8 <= head.length ? head.subarray(pos, pos + 8) : read(pos, 8);
    const length = u32(h, 0);
    const type = ascii(h, 4, 8);
    if (chunks === 0 && type !== 'IHDR') return 'it does not start with a PNG header chunk';
    if (!/^[A-Za-z]{4}$/.test(type)) return `no PNG chunk at byte ${pos}`;
    pos += 12 + length;
    if (pos > size) return 'truncated';
    if (type === 'IEND') return undefined;
  }
  return 'it has too many chunks to be a photo';
}

/** AVIF (ISO media): top-level boxes that fit in the file. */
function isoStructure(head: Uint8Array, size: number, read: ReadAt): string | undefined {
  let pos = 0;
  let boxes = 0;
  while (pos < size) {
    if (pos + 8 > size || ++boxes > 10_000) return 'truncated';
    const h = pos + 16 <= head.length ? head.subarray(pos, pos + 16) : read(pos, 16);
    let length = u32(h, 0);
    if (length === 1) length = u32(h, 8) * 2 ** 32 + u32(h, 12);
    else if (length === 0) length = size - pos;
    if (length < 8) return `an impossible box at byte ${pos}`;
    pos += length;
  }
  return pos > size ? 'truncated' : undefined;
}

/**
 * What is wrong with the image file `name` (`size` bytes, read through `read`), or undefined if
 * its bytes are the format its extension says and it is complete.
 */
export function probeImage(name: string, size: number, read: ReadAt): ImageProblem | undefined {
  const ext = name.slice(name.lastIndexOf('.')).toLowerCase();
  const claimed = EXTENSION_FORMAT[ext];
  const head = read(0, Math.min(size, 64 * 1024));
  const actual = sniffFormat(head);
  const label = ext.slice(1).toUpperCase();
  if (actual === 'heic') return { message: `is ${NAMES.heic}, which most browsers cannot show`, hint: HEIC_HINT };
  if (!actual) {
    return {
      message: `is not a real ${label} image: its first bytes are no JPEG, PNG, WebP, AVIF or GIF`,
      hint: `${EXPORT_JPEG}; a file renamed to .${label.toLowerCase()} is not converted`,
    };
  }
  if (!(actual in EXTENSION_FORMAT_BY_FORMAT)) {
    return { message: `is not a real ${label} image: it is ${NAMES[actual]}`, hint: EXPORT_JPEG };
  }
  if (claimed && actual !== claimed) {
    const stem = name.slice(name.lastIndexOf('/') + 1, name.length - ext.length);
    const fixed = `${stem}${EXTENSION_FORMAT_BY_FORMAT[actual as Format]}`;
    return {
      message: `is ${NAMES[actual]} named ${ext}`,
      hint: `rename it to ${fixed} and change the reference to match, or ${EXPORT_JPEG.replace('export it', 'export it again')}`,
    };
  }
  const damage = STRUCTURE[actual as Format](head, size, read);
  if (!damage) return undefined;
  return {
    message:
      damage === 'truncated'
        ? `is cut short: the ${label} data stops before its end (an unfinished download or copy)`
        : `is damaged: ${damage}`,
    hint: 'copy or export the photo again from the original',
  };
}
