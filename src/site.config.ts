import { z } from 'astro/zod';

export const siteConfigSchema = z.strictObject({
  /** Absolute origin the site is published at; used for canonical URLs, feeds and sitemaps. */
  url: z.url({ protocol: /^https?$/ }),
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
  /** Render a 1200×630 share image per story at build time (`/og/…png`). */
  socialCards: z.boolean(),
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
});
