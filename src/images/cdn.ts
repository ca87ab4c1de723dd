/**
 * Resize URLs of the two hosts the docs target, as each documents them:
 * - Cloudflare Images, "Transform via URL": `/cdn-cgi/image/<options>/<source>`, options
 *   comma-separated `key=value` (width, height, fit, quality, format).
 * - Netlify Image CDN: `/.netlify/images?url=<source>&w=&h=&fit=&q=&fm=`.
 * Without an explicit format both negotiate one per browser from its Accept header.
 */
export type ImageCdn = 'cloudflare' | 'netlify';

/** The CDN's quality, 1–100: the build-time encoders' visual quality (src/images/photo-set.ts). */
export const CDN_QUALITY = 80;

export interface CdnRequest {
  /** Root-relative path of the published original, e.g. `/_astro/photo.Ab12.jpg`. */
  path: string;
  width?: number | undefined;
  height?: number | undefined;
  /** `cover` crops to exactly width × height; otherwise the photo is scaled to fit. */
  crop?: boolean;
  /** A fixed output format (share images for crawlers); omitted, the CDN picks one per browser. */
  format?: 'jpeg' | 'png' | undefined;
}

export function cdnUrl(cdn: ImageCdn, r: CdnRequest): string {
  if (!r.path.startsWith('/') || r.path.startsWith('//')) throw new Error(`CDN image source must be a root-relative path, got ${r.path}`);
  if (cdn === 'cloudflare') {
    const options = [
      r.width && `width=${Math.round(r.width)}`,
      r.crop && r.height && `height=${Math.round(r.height)}`,
      r.crop ? 'fit=cover' : 'fit=scale-down',
      `quality=${CDN_QUALITY}`,
      `format=${r.format ?? 'auto'}`,
    ].filter(Boolean);
    return `/cdn-cgi/image/${options.join(',')}${r.path}`;
  }
  // The path stays readable (`url=/_astro/x.jpg`, as Netlify's examples write it); anything else is escaped.
  const query = [`url=${encodeURIComponent(r.path).replace(/%2F/g, '/')}`];
  if (r.width) query.push(`w=${Math.round(r.width)}`);
  if (r.crop && r.height) query.push(`h=${Math.round(r.height)}`, 'fit=cover');
  query.push(`q=${CDN_QUALITY}`);
  if (r.format) query.push(`fm=${r.format === 'jpeg' ? 'jpg' : r.format}`);
  return `/.netlify/images?${query.join('&')}`;
}
