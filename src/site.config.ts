import { z } from 'astro/zod';
import { httpUrl } from './schemas/common';
import { DEFAULT_HOST, HOSTS, IMAGE_CDN_OF_HOST } from './lib/host';

/** What an embed shows; decides how it is sized on the page (see src/styles/embeds.css). */
export const EMBED_KINDS = ['video', 'audio', 'document', 'chart'] as const;

export const embedHostSchema = z.strictObject({
  /** Exact host name of the iframe's `src`, e.g. `www.youtube-nocookie.com` (no wildcards). */
  host: z.string().regex(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    error: 'must be a lowercase host name such as player.vimeo.com',
  }),
  /** The provider, named in error messages and the editors' guide. */
  name: z.string().min(1),
  kind: z.enum(EMBED_KINDS),
  /** Only iframes whose path starts with this are embeds (e.g. `/embed/`); omit to allow any path. */
  pathPrefix: z.string().startsWith('/').optional(),
});

export type EmbedHost = z.output<typeof embedHostSchema>;

const siteSettings = z.strictObject({
  /** Absolute origin the site is published at; used for canonical URLs, feeds and sitemaps. */
  url: httpUrl,
  /** The network's name, shown on site-wide pages and in feeds. */
  name: z.string().min(1),
  description: z.string().min(1),
  /** Station whose chrome wraps site-wide pages (home, topics, archive, 404). */
  defaultStation: z.string().min(1),
  /** BCP 47 language tag for `<html lang>`, feeds and the news sitemap. */
  lang: z.string().min(2),
  /** Stories per page on index pages. */
  pageSize: z.number().int().min(5).max(100),
  /** How many related stories an article shows. */
  relatedCount: z.number().int().min(0).max(12),
  /** Newest stories per RSS feed; readers only poll recent items, and full content makes items large. */
  feedItems: z.number().int().min(1).max(500),
  /** Canonical URL of syndicated stories (`source` set); see README, "Syndicated stories". */
  syndication: z.strictObject({
    canonical: z.enum(['self', 'source'], { error: 'must be "self" or "source"' }),
  }),
  /** Draw 1200×630 share images (`/og/…png`) for stories without a photo; stories with one share the photo. */
  socialCards: z.boolean(),
  /**
   * How many of the newest photo-less stories get a card with their own headline; older ones share
   * their station's card. A card takes about 15 ms of CPU to draw, so this bounds a cold build's card
   * work however large the archive grows, and stories are shared most in their first days.
   */
  headlineCards: z.number().int().min(0),
  /**
   * Where the site is published (src/lib/host.ts): `_headers` is written in this host's dialect
   * (Cloudflare Pages joins the headers of every matching rule, so `/admin/*` detaches the site's
   * CSP there), and `images.cdn` resizes on this host's CDN.
   */
  host: z.enum(HOSTS, { error: `must be one of ${HOSTS.join(', ')} (the deploy target, docs/publishing.md)` }),
  /**
   * Who resizes photos (docs/publishing.md, "Photos: build time or CDN"). Off, the build encodes
   * every photo's widths and formats (cached between builds). On, the build encodes nothing,
   * publishes each original once and writes the host's resize URLs in `srcset` (Cloudflare Images
   * on cloudflare-pages, the Image CDN on netlify); the CDN resizes on first request and picks
   * the format per browser.
   */
  images: z.strictObject({
    cdn: z.boolean({ error: 'must be on or off (MASTHEAD_IMAGE_CDN=on): the CDN is the host’s, named by MASTHEAD_HOST' }),
  }),
  /** The web editor at /admin/ (docs/editing.md, "The web editor"): the GitHub repository it commits to, and
   * the OAuth client that signs editors in (left out: Netlify's, for sites hosted there). */
  editor: z.strictObject({
    repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, { error: 'must be owner/name of a GitHub repository' }),
    branch: z.string().min(1),
    authBaseUrl: httpUrl.optional(),
  }),
  /**
   * Search (src/outputs/search-index.ts). Every story is found by its headline, dek, byline and
   * topics; stories of the last `fullTextYears` calendar years (this one included) also by any word
   * of their text. Pagefind's indexer needs about 0.4 MB per full-text story against 40 KB per
   * headline-only one (bench/results.md, "Search"), so this bounds the build's memory.
   */
  search: z.strictObject({
    fullTextYears: z.number().int().min(1, { error: 'must be at least 1 (this year)' }),
    /** The most stories in one search era, each era its own Pagefind bundle (src/outputs/search-eras.ts):
     * a reader's first query downloads about 8.5 bytes a story of the newest era, plus Pagefind itself. */
    eraStories: z.number().int().min(1, { error: 'must be at least 1' }),
  }),
  /** The only hosts a story's raw HTML may load an `<iframe>` from (see docs/editing.md, "Embeds"). */
  embedHosts: z.array(embedHostSchema).refine((hosts) => new Set(hosts.map((h) => h.host)).size === hosts.length, {
    error: 'lists a host twice',
  }),
});

export const siteConfigSchema = siteSettings.refine((c) => !c.images.cdn || IMAGE_CDN_OF_HOST[c.host] !== undefined, {
  path: ['images', 'cdn'],
  error: 'is on, but S3 and CloudFront do not resize photos (turn it off: photos are resized at build time)',
});

export type SiteConfig = z.output<typeof siteConfigSchema>;

export const siteConfig: SiteConfig = siteConfigSchema.parse({
  url: process.env.MASTHEAD_SITE_URL ?? 'https://news.example.org',
  name: 'Prairie & Peaks Public Media',
  description: 'Local journalism and live radio from the stations of Prairie & Peaks Public Media.',
  defaultStation: process.env.MASTHEAD_DEFAULT_STATION ?? 'kxpr',
  lang: 'en-US',
  pageSize: 12,
  relatedCount: 3,
  feedItems: 50,
  syndication: { canonical: process.env.MASTHEAD_SYNDICATION_CANONICAL ?? 'self' },
  socialCards: process.env.MASTHEAD_SOCIAL_CARDS !== 'off',
  headlineCards: Number(process.env.MASTHEAD_HEADLINE_CARDS ?? 500),
  // The deploy target (the workflows pass the repository variable DEPLOY_TARGET).
  host: process.env.MASTHEAD_HOST || DEFAULT_HOST,
  // `on` or `off`; anything else (the old `cloudflare`) is refused, not read as off.
  images: {
    cdn:
      ({ on: true, off: false, '': false } as Record<string, boolean>)[process.env.MASTHEAD_IMAGE_CDN ?? ''] ??
      process.env.MASTHEAD_IMAGE_CDN,
  },
  editor: { repo: 'prairie-peaks/masthead', branch: 'main', authBaseUrl: 'https://news.example.org' },
  search: {
    fullTextYears: Number(process.env.MASTHEAD_SEARCH_FULL_TEXT_YEARS ?? 2),
    eraStories: Number(process.env.MASTHEAD_SEARCH_ERA_STORIES ?? 10_000),
  },
  embedHosts: [
    { host: 'www.youtube-nocookie.com', name: 'YouTube', kind: 'video', pathPrefix: '/embed/' },
    { host: 'www.youtube.com', name: 'YouTube', kind: 'video', pathPrefix: '/embed/' },
    { host: 'player.vimeo.com', name: 'Vimeo', kind: 'video', pathPrefix: '/video/' },
    { host: 'www.npr.org', name: 'NPR', kind: 'audio', pathPrefix: '/player/embed/' },
    { host: 'w.soundcloud.com', name: 'SoundCloud', kind: 'audio', pathPrefix: '/player/' },
    { host: 'open.spotify.com', name: 'Spotify', kind: 'audio', pathPrefix: '/embed/' },
    { host: 'embed.podcasts.apple.com', name: 'Apple Podcasts', kind: 'audio' },
    { host: 'embed.documentcloud.org', name: 'DocumentCloud', kind: 'document' },
    { host: 'www.scribd.com', name: 'Scribd', kind: 'document', pathPrefix: '/embeds/' },
    { host: 'datawrapper.dwcdn.net', name: 'Datawrapper', kind: 'chart' },
    { host: 'flo.uri.sh', name: 'Flourish', kind: 'chart' },
    { host: 'public.flourish.studio', name: 'Flourish', kind: 'chart' },
  ],
});
