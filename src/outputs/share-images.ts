import type { ImageMetadata } from 'astro';
import { getImage } from 'astro:assets';
import { sizeOf } from '../images/photo-set';
import { CROP_RATIOS, cropSize, type Size } from '../images/crops';

export interface ShareImage extends Size {
  /** Absolute URL. */
  url: string;
  type: string;
}

/** JPEG: every crawler and feed reader takes it; WebP and AVIF are not universal there yet. */
async function resized(src: ImageMetadata, size: Size, site: string): Promise<ShareImage> {
  const img = await getImage({ src, width: size.width, height: size.height, fit: 'cover', position: 'center', format: 'jpeg' });
  return { url: new URL(img.src, site).href, ...size, type: 'image/jpeg' };
}

/**
 * 16:9, 4:3 and 1:1 crops for NewsArticle `image` (Google's three ratios). The 16:9 one is also
 * the Open Graph image: social sites show 1.91:1 and trim 3% off its top and bottom, and a crop
 * of its own cost every photo one more encode (issue 14).
 */
export async function photoCrops(src: ImageMetadata, site: string) {
  const [wide, standard, square] = await Promise.all(
    [CROP_RATIOS.wide, CROP_RATIOS.standard, CROP_RATIOS.square].map((r) => resized(src, cropSize(sizeOf(src), r), site)),
  );
  return { wide: wide!, standard: standard!, square: square! };
}

/** The whole photo, at most 1200 px wide, for feed items. */
export function feedPhoto(src: ImageMetadata, site: string): Promise<ShareImage> {
  const size = sizeOf(src);
  const width = Math.min(1200, size.width);
  return resized(src, { width, height: Math.round((size.height * width) / size.width) }, site);
}
