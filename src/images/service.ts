/**
 * Masthead's image service: Astro's sharp service, with three changes that make a photo cost a
 * fraction of a second instead of seconds (issue 14; figures in bench/results.md):
 *
 * 1. One decode per photo. Each photo is decoded, turned upright (EXIF orientation) and scaled
 *    once to the smallest size every published file can be cut from; its widths and crops are
 *    resized from that, instead of each decoding the camera original again.
 * 2. Encoder settings from src/images/photo-set.ts (AVIF at effort 2, not 4), part of every
 *    file's cache key.
 * 3. Images in Markdown bodies get the photo set's widths and `sizes`, so they share the story
 *    page's files instead of being one full-size WebP.
 *
 * Metadata (EXIF, GPS, XMP) never reaches a published file: sharp drops it unless asked to keep it.
 */
import type { ImageTransform, LocalImageService } from 'astro';
import sharpService, { resolveSharpEncoderOptions } from 'astro/assets/services/sharp';
import sharp, { type FitEnum, type FormatEnum, type OutputInfo, type SharpOptions } from 'sharp';
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

interface Decoded {
  data: Buffer;
  info: OutputInfo;
}

/** Decoded photos in flight: Astro encodes one photo's files in a row, a few photos at a time. */
const decoded = new Map<string, Promise<Decoded>>();
const KEEP_DECODED = 8;

/**
 * The photo upright and scaled so the largest file of the set and every crop fit inside it:
 * at least `PHOTO_MAX_WIDTH` wide and `CROP_TARGET_WIDTH` tall (a square crop), never upscaled.
 */
function decode(key: string, input: Uint8Array, limitInputPixels: number | boolean | undefined): Promise<Decoded> {
  let entry = decoded.get(key);
  if (!entry) {
    entry = (async () => {
      const options: SharpOptions = { failOn: 'error', limitInputPixels: limitInputPixels ?? true };
      const meta = await sharp(input, options).metadata();
      const { width, height } = meta.autoOrient;
      const scale = Math.min(1, Math.max(PHOTO_MAX_WIDTH / width, CROP_TARGET_WIDTH / height));
      return sharp(input, options)
        .rotate()
        .resize(Math.round(width * scale), Math.round(height * scale), { fit: 'fill' })
        .toColourspace('srgb')
        .raw()
        .toBuffer({ resolveWithObject: true });
    })();
    decoded.set(key, entry);
    while (decoded.size > KEEP_DECODED) decoded.delete(decoded.keys().next().value!);
  }
  return entry;
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
    const base = await decode(String(transform.src), input, limitInputPixels);
    const width = transform.width ? Math.round(transform.width) : undefined;
    const height = transform.height ? Math.round(transform.height) : undefined;
    // A file bigger than the shared decode (none of the photo set is) is cut from the original.
    const fits = (width ?? 0) <= base.info.width && (height ?? 0) <= base.info.height;
    const image = fits
      ? sharp(base.data, { raw: { width: base.info.width, height: base.info.height, channels: base.info.channels } })
      : sharp(input, { failOn: 'error', limitInputPixels }).rotate();
    if (width || height) {
      image.resize({
        width,
        height,
        fit: width && height && typeof transform.fit === 'string' ? (FIT[transform.fit] ?? 'inside') : 'cover',
        position: transform.position,
        withoutEnlargement: true,
      });
    }
    if (transform.background) image.flatten({ background: transform.background });
    const encoder = resolveSharpEncoderOptions({ format, quality: transform.quality }, meta.format, ENCODERS) ?? {};
    const { data, info } = await image
      .toFormat(format === 'jpg' ? 'jpeg' : (format as keyof FormatEnum), encoder)
      .toBuffer({ resolveWithObject: true });
    return { data, format: info.format === 'heif' ? 'avif' : info.format };
  },
};

export default service;
