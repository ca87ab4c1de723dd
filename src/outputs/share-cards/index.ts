import { cacheDir } from '../../content/paths';
import { siteConfig } from '../../site.config';
import { headlineCardIds, socialCardPath, type SocialCardInput } from './card';
import { SocialCardPool } from './pool';
import type { Article, SiteIndex, StationEntry } from '../../data/site-index';
import { DEFAULT_ACCENT } from '../../schemas/station';

/** A share card to draw: where it is published and what it shows. */
export interface SocialCard {
  /** `/og/news/2026/11/20/slug.png` or `/og/stations/kxpr.png`. */
  path: string;
  input: SocialCardInput;
  /** What the card says, for `og:image:alt`. */
  alt: string;
}

const cardInput = (station: StationEntry, headline: string): SocialCardInput => ({
  headline,
  stationName: station.data.name,
  siteName: siteConfig.name,
  accent: station.data.accent ?? DEFAULT_ACCENT,
});

/** A station's own card (its tagline, "NPR in Port Alden"), shared by its older photo-less stories. */
export const stationCard = (station: StationEntry): SocialCard => ({
  path: `/og/stations/${station.id}.png`,
  input: cardInput(station, station.data.tagline),
  alt: `${station.data.name}: ${station.data.tagline}`,
});

const headlineIds = new WeakMap<SiteIndex, ReadonlySet<string>>();
/** The newest `headlineCards` published stories without a photo. */
function withHeadlineCard(index: SiteIndex): ReadonlySet<string> {
  let ids = headlineIds.get(index);
  if (!ids) {
    ids = headlineCardIds(index.articles, siteConfig.headlineCards);
    headlineIds.set(index, ids);
  }
  return ids;
}

/**
 * The card a story shares, if it has no photo (a story with one shares the photo). The newest
 * `headlineCards` of them get a card with their own headline; older ones, rarely shared, use
 * their station's card, so the cards a cold build draws stay bounded as the archive grows.
 */
export function socialCardOf(index: SiteIndex, article: Article): SocialCard | undefined {
  if (!siteConfig.socialCards || article.entry.data.image) return undefined;
  if (!withHeadlineCard(index).has(article.id)) return stationCard(article.station);
  const { title } = article.entry.data;
  return { path: socialCardPath(article.path), input: cardInput(article.station, title), alt: `${title} (${article.station.data.name})` };
}

/** Every card the site publishes: each photo-less story's, once per path. */
export function socialCardsOf(index: SiteIndex): SocialCard[] {
  const cards = new Map<string, SocialCard>();
  for (const article of index.articles) {
    const card = socialCardOf(index, article);
    if (card && !cards.has(card.path)) cards.set(card.path, card);
  }
  return [...cards.values()];
}

/** One pool per build: cards are cached in the build cache by a hash of what is drawn on them. */
export const socialCardPool = new SocialCardPool({ workerFile: import.meta.env.MASTHEAD_CARD_WORKER, cacheDir });
