/**
 * The image service when `images.cdn` is set (src/site.config.ts): an external service, so the
 * build encodes nothing. Each photo's original is published once under `/_astro/` (its name
 * carries a content hash) and every `src`/`srcset` URL asks the CDN to resize it.
 */
import type { ExternalImageService, ImageTransform } from 'astro';
import { baseService } from 'astro/assets';
import { cdnUrl, type ImageCdn } from './cdn';

const service: ExternalImageService = {
  ...baseService,
  getURL(options: ImageTransform, imageConfig) {
    const cdn = imageConfig.service.config.cdn as ImageCdn;
    const path = typeof options.src === 'string' ? options.src : options.src.src;
    // Share images and the publisher logo keep their format: crawlers may not send Accept.
    const format = options.format === 'jpeg' || options.format === 'jpg' ? 'jpeg' : options.format === 'png' ? 'png' : undefined;
    return cdnUrl(cdn, { path, width: options.width, height: options.height, crop: options.fit === 'cover', format });
  },
};

export default service;
