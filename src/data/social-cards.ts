import { cacheDir } from '../content-paths';
import { siteConfig } from '../site.config';
import type { SocialCardInput } from '../social-cards/card';
import { SocialCardPool } from '../social-cards/pool';
import type { Article } from './site-index';

const DEFAULT_ACCENT = '#8a1c2b';

/** A story with a photo shares the photo; only photo-less stories get a drawn card. */
export const hasSocialCard = (article: Article) => siteConfig.socialCards && !article.entry.data.image;

export const socialCardInput = (article: Article): SocialCardInput => ({
  headline: article.entry.data.title,
  stationName: article.station.data.name,
  siteName: siteConfig.name,
  accent: article.station.data.accent ?? DEFAULT_ACCENT,
});

/** One pool per build: cards are cached in the build cache by a hash of what is drawn on them. */
export const socialCardPool = new SocialCardPool({ workerFile: import.meta.env.MASTHEAD_CARD_WORKER, cacheDir });
