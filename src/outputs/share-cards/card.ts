import { createHash } from 'node:crypto';

/** What a share card shows: plain data, so it crosses to the card workers as a message. */
export interface SocialCardInput {
  headline: string;
  stationName: string;
  siteName: string;
  /** The station's brand colour, `#rrggbb`. */
  accent: string;
}

export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;

/** Bump when the card's design changes, so cached cards are redrawn. */
const DESIGN_VERSION = '2';

/** The card's cache key: a hash of everything drawn on it. */
export const socialCardKey = (input: SocialCardInput) =>
  createHash('sha256')
    .update(JSON.stringify([DESIGN_VERSION, input.headline, input.stationName, input.siteName, input.accent]))
    .digest('hex')
    .slice(0, 32);

/** `/news/2026/11/20/slug/` → `/og/news/2026/11/20/slug.png`. */
export const socialCardPath = (articlePath: string) => `/og${articlePath.replace(/\/$/, '')}.png`;

/** The ids of the newest `count` stories without a photo (`stories` newest first): those get a card
 * with their own headline. Shared with the sharded build's plan, which keys each shard on it. */
export function headlineCardIds(stories: readonly { id: string; entry: { data: { image?: unknown } } }[], count: number): Set<string> {
  const ids = new Set<string>();
  for (const a of stories) {
    if (ids.size >= count) break;
    if (!a.entry.data.image) ids.add(a.id);
  }
  return ids;
}
