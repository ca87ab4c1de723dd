/**
 * Masthead's image service: Astro's sharp service, with changes that make a photo cost a
 * fraction of a second instead of seconds (issue 14; figures in bench/results.md):
 *
 * 1. One decode per photo, one resize per size. Each photo is decoded, turned upright (EXIF
 *    orientation) and scaled once to the smallest size every published file can be cut from;
 *    each size is resized from that once and every file of that size (AVIF, WebP, a JPEG crop)
 *    is cut from it. The pixels stay in libvips files, out of V8's heap (see `scratchDir`).
 * 2. Encoder settings from src/images/photo-set.ts (AVIF at effort 0 with 4:2:0 chroma, not
 *    sharp's effort 4 at 4:4:4), part of every file's cache key.
 * 3. Images in Markdown bodies get the photo set's widths and `sizes`, so they share the story
 *    page's files instead of being one full-size WebP.
 *
 * Metadata (EXIF, GPS, XMP) never reaches a published file: sharp drops it unless asked to keep it.
 */
import type { ImageTransform, LocalImageService } from 'astro';
import sharpService, { resolveSharpEncoderOptions } from 'astro/assets/services/sharp';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp, { type FitEnum, type FormatEnum, type SharpOptions } from 'sharp';
import { CROP_TARGET_WIDTH } from './crops';
import { ENCODER_VERSION, ENCODERS, PHOTO_MAX_WIDTH, asBodyPhoto, isBodyImage } from './photo-set';

/** Astro's own cache-key fields, plus the encoder settings. */
const HASH_PROPS = ['src', 'width', 'height', 'format', 'quality', 'fit', 'position', 'background', 'encoder'];

/** Raster formats the shared decode handles; anything else (SVG, animated GIF) goes to Astro's service. */
const DECODED = new Set(['jpeg', 'png', 'webp', 'avif', 'tiff', 'heif']);

/** Astro's `fit` names in sharp's terms (as its sharp service maps them). */
const FIT: Record<string, keyof FitEnum> = {
  fill: 'fill',
  contain: 'inside',
  cover: 'cover',
  none: 'outside',
  'scale-down': 'inside',
  outside: 'outside',
  inside: 'inside',
};

/** A decoded raster kept in a libvips file (mapped by libvips, not held in a JS buffer). */
interface Raster {
  path: string;
  width: number;
  height: number;
}

/** A photo decoded once, and the whole photo at each size some file was cut from. */
interface Photo {
  dir: string;
  base: Raster;
  scaled: Map<string, Promise<Raster>>;
}

/**
 * Photos in flight. Astro encodes one photo's files in a row, as many photos at a time as there
 * are cores, so keeping that many (and a few more) means each photo is decoded once; each holds
 * about 20 MB on disk (the shared decode and its sizes), whatever the original's size.
 */
const photos = new Map<string, Promise<Photo>>();
const KEEP_PHOTOS = Math.max(8, availableParallelism() + 2);

/**
 * Decoded pixels live in libvips' own files under a scratch folder, not in Node buffers: tens of
 * megabytes of buffers per photo made V8 collect Astro's whole heap (hundreds of megabytes) every
 * couple of photos, which cost more CPU than the encoding (bench/results.md, "Photos").
 */
let scratch: string | undefined;
function scratchDir(): string {
  if (!scratch) {
    scratch = mkdtempSync(join(tmpdir(), 'masthead-photos-'));
    const dir = scratch;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return scratch;
}
let photoCount = 0;

async function rasterOf(image: ReturnType<typeof sharp>, path: string): Promise<Raster> {
  const info = await image.toFile(path);
  return { path, width: info.width, height: info.height };
}

/**
 * The photo upright and scaled so the largest file of the set and every crop fit inside it:
 * at least `PHOTO_MAX_WIDTH` wide and `CROP_TARGET_WIDTH` tall (a square crop), never upscaled.
 */
function decode(key: string, input: Uint8Array, limitInputPixels: number | boolean | undefined): Promise<Photo> {
  let entry = photos.get(key);
  if (!entry) {
    entry = (async () => {
      const options: SharpOptions = { failOn: 'error', limitInputPixels: limitInputPixels ?? true };
      const meta = await sharp(input, options).metadata();
      const { width, height } = meta.autoOrient;
      const scale = Math.min(1, Math.max(PHOTO_MAX_WIDTH / width, CROP_TARGET_WIDTH / height));
      // A name of its own per decode: libvips caches open files by name.
      const dir = join(scratchDir(), String(++photoCount));
      mkdirSync(dir);
      const base = await rasterOf(
        sharp(input, options)
          .rotate()
          .resize(Math.round(width * scale), Math.round(height * scale), { fit: 'fill' })
          .toColourspace('srgb'),
        join(dir, 'base.v'),
      );
      return { dir, base, scaled: new Map() };
    })();
    photos.set(key, entry);
    while (photos.size > KEEP_PHOTOS) {
      const [oldest, evicted] = photos.entries().next().value!;
      photos.delete(oldest);
      void evicted.then((p) => rmSync(p.dir, { recursive: true, force: true })).catch(() => {});
    }
  }
  return entry;
}

const fromRaster = (r: Raster) => sharp(r.path);

/**
 * The whole photo at `width` × `height`, resized from the shared decode once, however many
 * files are cut from it: the AVIF, the WebP and the feed JPEG of a width share one resize, and
 * the 16:9 crop is cut from the same 1200 px one.
 */
function scaledTo(photo: Photo, width: number, height: number): Promise<Raster> {
  if (width === photo.base.width && height === photo.base.height) return Promise.resolve(photo.base);
  const key = `${width}x${height}`;
  let entry = photo.scaled.get(key);
  if (!entry) {
    entry = rasterOf(fromRaster(photo.base).resize(width, height, { fit: 'fill' }), join(photo.dir, `${key}.v`));
    photo.scaled.set(key, entry);
  }
  return entry;
}

/**
 * A file `width` × `height` that covers the box and is cut from its centre (Astro's default
 * `cover`, and every file Masthead asks for), from the photo scaled once to that size; undefined
 * when the shared decode is too small for it, or another fit or position was asked for.
 */
async function coverCrop(photo: Photo, transform: ImageTransform): Promise<ReturnType<typeof sharp> | undefined> {
  const { width: bw, height: bh } = photo.base;
  const fit = transform.fit ?? 'cover';
  const position = transform.position ?? 'center';
  if (fit !== 'cover' || !['center', 'centre'].includes(String(position))) return undefined;
  const w = transform.width ? Math.round(transform.width) : undefined;
  const h = transform.height ? Math.round(transform.height) : undefined;
  if (!w && !h) return undefined;
  const width = w ?? Math.round((bw * h!) / bh);
  const height = h ?? Math.round((bh * w!) / bw);
  if (width > bw || height > bh) return undefined;
  // Scale so the photo covers the box on both sides, then cut the box from its centre.
  const [sw, sh] =
    width / bw >= height / bh
      ? [width, Math.max(height, Math.round((bh * width) / bw))]
      : [Math.max(width, Math.round((bw * height) / bh)), height];
  const scaled = await scaledTo(photo, sw, sh);
  const image = fromRaster(scaled);
  if (sw === width && sh === height) return image;
  return image.extract({ left: Math.floor((sw - width) / 2), top: Math.floor((sh - height) / 2), width, height });
}

/** Any other file (another fit or position, or bigger than the shared decode): resized by sharp. */
function resizedOtherwise(photo: Photo, input: Uint8Array, transform: ImageTransform, limitInputPixels: number | boolean) {
  const width = transform.width ? Math.round(transform.width) : undefined;
  const height = transform.height ? Math.round(transform.height) : undefined;
  // A file bigger than the shared decode (none of the photo set is) is cut from the original.
  const fits = (width ?? 0) <= photo.base.width && (height ?? 0) <= photo.base.height;
  const image = fits ? fromRaster(photo.base) : sharp(input, { failOn: 'error', limitInputPixels }).rotate();
  if (width || height) {
    image.resize({
      width,
      height,
      fit: width && height && typeof transform.fit === 'string' ? (FIT[transform.fit] ?? 'inside') : 'cover',
      position: transform.position,
      withoutEnlargement: true,
    });
  }
  return image;
}

const service: LocalImageService = {
  ...sharpService,
  propertiesToHash: HASH_PROPS,

  validateOptions(options, imageConfig, logger) {
    const valid = sharpService.validateOptions!(
      isBodyImage(options) ? asBodyPhoto(options) : options,
      imageConfig,
      logger,
    ) as ImageTransform;
    return { ...valid, encoder: ENCODER_VERSION };
  },

  getHTMLAttributes(options, imageConfig, logger) {
    const { encoder: _encoder, index: _index, ...rest } = options;
    return sharpService.getHTMLAttributes!(rest as ImageTransform, imageConfig, logger);
  },

  async transform(input, transform, imageConfig, logger) {
    const meta = await sharp(input, { limitInputPixels: false }).metadata();
    const format = String(transform.format ?? 'webp');
    if (!meta.format || !DECODED.has(meta.format) || (meta.pages ?? 1) > 1 || format === 'svg') {
      return sharpService.transform(
        input,
        transform,
        { ...imageConfig, service: { ...imageConfig.service, config: { ...imageConfig.service.config, ...ENCODERS } } },
        logger,
      );
    }
    const limitInputPixels = imageConfig.service.config.limitInputPixels ?? true;
    const photo = await decode(String(transform.src), input, limitInputPixels);
    const image = (await coverCrop(photo, transform)) ?? resizedOtherwise(photo, input, transform, limitInputPixels);
    if (transform.background) image.flatten({ background: transform.background });
    const encoder = resolveSharpEncoderOptions({ format, quality: transform.quality }, meta.format, ENCODERS) ?? {};
    const { data, info } = await image
      .toFormat(format === 'jpg' ? 'jpeg' : (format as keyof FormatEnum), encoder)
      .toBuffer({ resolveWithObject: true });
    return { data, format: info.format === 'heif' ? 'avif' : info.format };
  },
};

export default service;
