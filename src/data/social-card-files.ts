import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { cacheDir } from '../content-paths';
import { siteConfig } from '../site.config';
import { photoFile } from './share-images';
import type { Article } from './site-index';
import { CARD_PHOTO, renderSocialCard, type SocialCardInput } from './social-card';

/** Bump when the card's design changes, so cached cards are redrawn. */
const DESIGN_VERSION = '1';
const DEFAULT_ACCENT = '#8a1c2b';

/**
 * The share card of a story. Cards are cached in the build cache by a hash of everything drawn on
 * them, so a rebuild only draws cards whose headline, station or photo changed.
 */
export async function socialCardPng(article: Article): Promise<Uint8Array<ArrayBuffer>> {
  const file = photoFile(article.entry);
  const photoBytes = file ? readFileSync(file) : undefined;
  const input: Omit<SocialCardInput, 'photo'> = {
    headline: article.entry.data.title,
    stationName: article.station.data.name,
    siteName: siteConfig.name,
    accent: article.station.data.accent ?? DEFAULT_ACCENT,
  };
  const key = createHash('sha256')
    .update(JSON.stringify([DESIGN_VERSION, input]))
    .update(photoBytes ?? '')
    .digest('hex')
    .slice(0, 32);
  const dir = join(cacheDir, 'social-cards');
  const cached = join(dir, `${key}.png`);
  if (existsSync(cached)) return new Uint8Array(readFileSync(cached));

  const photo = photoBytes
    ? {
        data: await sharp(photoBytes).resize(CARD_PHOTO.width, CARD_PHOTO.height, { fit: 'cover' }).jpeg({ quality: 85 }).toBuffer(),
        type: 'image/jpeg' as const,
      }
    : undefined;
  const png = await renderSocialCard({ ...input, photo });
  mkdirSync(dir, { recursive: true });
  writeFileSync(cached, png);
  return new Uint8Array(png);
}
