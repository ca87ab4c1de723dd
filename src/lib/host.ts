/**
 * Where the site is published: one fact (the site setting `host`, src/site.config.ts) that decides
 * the dialect `_headers` is written in and read back by `npm run verify`, and which CDN resizes
 * photos when `images.cdn` is on. The names are the publish workflow's `DEPLOY_TARGET` values
 * (docs/publishing.md, "Deploy targets"), which the workflows pass to the build as `MASTHEAD_HOST`.
 */
export const HOSTS = ['netlify', 'cloudflare-pages', 's3'] as const;
export type Host = (typeof HOSTS)[number];

/** Without `MASTHEAD_HOST`: Netlify's dialect, which S3 (through Netlify's parser) reads too. */
export const DEFAULT_HOST: Host = 'netlify';

export const isHost = (value: string): value is Host => (HOSTS as readonly string[]).includes(value);

/** The CDN that resizes photos on a host, if it has one (S3 and CloudFront do not). */
export const IMAGE_CDN_OF_HOST = { netlify: 'netlify', 'cloudflare-pages': 'cloudflare', s3: undefined } as const satisfies Record<
  Host,
  'netlify' | 'cloudflare' | undefined
>;
