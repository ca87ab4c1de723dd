import type { ImageMetadata, ImageTransform } from 'astro';
import { siteConfig } from '../site.config';

/**
 * The one set of files every photo is published as, shared by the story page, the cards, the
 * Markdown body and the feeds: a width that no page asks for is never encoded.
 *
 * Widths, from what the pages request (1rem = 16 px):
 * - 1200: a phone (390 CSS px at DPR 3 = 1170) on the story page and on any card;
 * - 720: a desktop story page (42rem = 672) and the home lead card (44rem = 704) at 1×, cards at 2×;
 * - 480: cards on desktop (18rem = 288) at 1× to 1.6×, and small phones;
 * - 1344: the story page at 2× (42rem × 2) exactly, and the lead card at 2× (1408) at 1.9×. A 1440 px
 *   file cost 13% more bytes and CPU for pixels a 2× desktop scales away.
 */
export const PHOTO_WIDTHS = [480, 720, 1200, 1344] as const;

/** The largest photo any page uses; also the fallback `<img src>`. */
export const PHOTO_MAX_WIDTH = PHOTO_WIDTHS.at(-1)!;

/** `sizes` for each place a photo appears; they must match the CSS that lays the photo out. */
export const PHOTO_SIZES = {
  story: '(min-width: 46rem) 42rem, 100vw',
  lead: '(min-width: 72rem) 44rem, (min-width: 50rem) 60vw, 100vw',
  card: '(min-width: 50rem) 18rem, 100vw',
} as const;

/**
 * Formats, best first: AVIF for the browsers that take it, WebP in the `<img>` for the rest and
 * for Markdown bodies. Encoder effort is most of a photo's cost: on the benchmark's photos
 * (bench/photo-encoders.ts) AVIF at effort 0 took a fifth of the CPU of effort 2 and a thirtieth
 * of sharp's default 4, for files 20% larger than effort 4's at the same SSIM; quality 47 matches
 * today's SSIM. See docs/scaling.md, "Photos".
 */
export const PHOTO_FORMATS = ['avif', 'webp'] as const;
export const PHOTO_FALLBACK_FORMAT = 'webp' as const;

/** The `<source>` formats of a `<picture>`: none when a CDN resizes, as it picks the format per browser. */
export const pictureFormats = (): ('avif' | 'webp')[] =>
  siteConfig.images.cdn ? [] : PHOTO_FORMATS.filter((f) => f !== PHOTO_FALLBACK_FORMAT);

/**
 * Encoder settings, by output format. Changing any of them changes `ENCODER_VERSION`, which is
 * part of every image's cache key, so no file encoded with the old settings is reused.
 * Measured on the benchmark's photos (bench/results.md, "Photos"):
 * - AVIF with 4:2:0 chroma, as WebP and JPEG always are: a third less CPU than sharp's 4:4:4 for
 *   files 2–3% smaller at the same luma SSIM;
 * - WebP at effort 1: a third less CPU than effort 2, files no larger;
 * - baseline JPEG (the share and feed crops crawlers fetch): a third less CPU than progressive,
 *   files 3% larger.
 */
export const ENCODERS = {
  avif: { quality: 47, effort: 0, chromaSubsampling: '4:2:0' },
  webp: { quality: 75, effort: 1 },
  jpeg: { quality: 80 },
  png: { compressionLevel: 9 },
} as const;
export const ENCODER_VERSION = `e1:${JSON.stringify(ENCODERS)}`;

/** The widths of `PHOTO_WIDTHS` a source `sourceWidth` px wide can fill (never upscaled). */
export function photoWidths(sourceWidth: number): number[] {
  const fits = PHOTO_WIDTHS.filter((w) => w <= sourceWidth);
  // A source narrower than every width is published at its own width.
  return fits.length ? fits : [sourceWidth];
}

/**
 * The widths of the WebP `<img>` inside a `<picture>`: only browsers without AVIF (about one in
 * twenty) fetch it, so it stops at 1200 px (a 2× desktop gets it at 1.8×) and saves each photo
 * its costliest WebP. A Markdown body `<img>` has no `<source>` and keeps every width.
 */
export const pictureFallbackWidths = (sourceWidth: number): number[] => photoWidths(sourceWidth).filter((w) => w <= 1200);

/** The width of the `<img src>` fallback: the largest the set has for this source. */
export const fallbackWidth = (sourceWidth: number) => photoWidths(sourceWidth).at(-1)!;

/**
 * A photo's pixel size. Reading `width` on the image object Astro hands to templates marks the
 * camera original as used, and Astro then publishes it beside its resized files (a megabyte or
 * more per photo that no page loads); its `clone` reads the same numbers without that.
 */
export function sizeOf(src: ImageMetadata): { width: number; height: number } {
  const plain = (src as ImageMetadata & { clone?: ImageMetadata }).clone ?? src;
  return { width: plain.width, height: plain.height };
}

/** Markdown body images are the only ones Astro renders with an occurrence `index`. */
export const isBodyImage = (options: ImageTransform): options is ImageTransform & { src: ImageMetadata } =>
  'index' in options && typeof options.src === 'object';

/** A Markdown body image as the photo set's `<img>`: its widths, story `sizes` and fallback. */
export function asBodyPhoto(options: ImageTransform & { src: ImageMetadata }): ImageTransform {
  const { width, height } = sizeOf(options.src);
  const w = fallbackWidth(width);
  return {
    ...(options as ImageTransform),
    densities: undefined,
    widths: options.widths ?? photoWidths(width),
    sizes: options.sizes ?? PHOTO_SIZES.story,
    format: options.format ?? PHOTO_FALLBACK_FORMAT,
    width: w,
    height: Math.round((height * w) / width),
  } as ImageTransform;
}
