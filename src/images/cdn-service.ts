/**
 * The image service when `images.cdn` is on (src/site.config.ts; the CDN is the host's): an external service, so the
 * build encodes nothing. Each photo's original is published once under `/_astro/` (its name
 * carries a content hash) and every `src`/`srcset` URL asks the CDN to resize it.
 */
import type { ExternalImageService, ImageTransform } from 'astro';
import { baseService } from 'astro/assets';
import { cdnUrl, type ImageCdn } from './cdn';
import { asBodyPhoto, isBodyImage } from './photo-set';

const service: ExternalImageService = {
  ...baseService,
  // Markdown body images get the photo set's widths and sizes, as at build time.
  validateOptions(options, imageConfig, logger) {
    return baseService.validateOptions!(isBodyImage(options) ? asBodyPhoto(options) : options, imageConfig, logger);
  },
  getHTMLAttributes(options, imageConfig, logger) {
    const { index: _index, ...rest } = options;
    return baseService.getHTMLAttributes!(rest as ImageTransform, imageConfig, logger);
  },
  getURL(options: ImageTransform, imageConfig) {
    const cdn = imageConfig.service.config.cdn as ImageCdn;
    const path = typeof options.src === 'string' ? options.src : options.src.src;
    // Share images and the publisher logo keep their format: crawlers may not send Accept.
    const format = options.format === 'jpeg' || options.format === 'jpg' ? 'jpeg' : options.format === 'png' ? 'png' : undefined;
    return cdnUrl(cdn, { path, width: options.width, height: options.height, crop: options.fit === 'cover', format });
  },
};

export default service;
