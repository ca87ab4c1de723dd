import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SITES } from './sites';

export const NEWS_FLOOD_NOW = new Date(Number(SITES.newsFlood.sourceDateEpoch) * 1000);
const MINUTE = 60_000;

export interface FloodStory {
  slug: string;
  publishedAt: Date;
}

/**
 * Writes a corpus of 1,050 stories published in the 35 hours before NEWS_FLOOD_NOW (two minutes
 * apart), four older than the 48-hour window, a draft and a future story inside it. Bodies are one
 * line and there are no images, so the build stays small. Returns the published stories, newest first.
 */
export function writeNewsFloodContent(): { recent: FloodStory[]; old: FloodStory[]; hidden: string[] } {
  const dir = SITES.newsFlood.contentDir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'articles'), { recursive: true });
  mkdirSync(join(dir, 'stations'), { recursive: true });
  mkdirSync(join(dir, 'authors'), { recursive: true });
  copyFileSync(join(SITES.fixtures.contentDir, 'stations/kfix.yaml'), join(dir, 'stations/kfix.yaml'));
  writeFileSync(join(dir, 'authors/wire-desk.yaml'), 'name: Wire Desk\ntitle: Wire editor\nbio: Edits the wire.\n');

  const write = (slug: string, at: Date, extra = '') =>
    writeFileSync(
      join(dir, 'articles', `${slug}.md`),
      `---\ntitle: Flood story ${slug}\ndek: One of many.\nbyline: Wire Desk\nstation: kfix\ndate: ${at.toISOString()}\n${extra}---\n\nBody.\n`,
    );
  const recent = Array.from({ length: 1050 }, (_, i) => ({
    slug: `recent-${String(i).padStart(4, '0')}`,
    publishedAt: new Date(NEWS_FLOOD_NOW.getTime() - (i + 1) * 2 * MINUTE),
  }));
  const old = [48 * 60 + 1, 49 * 60, 60 * 60, 24 * 60 * 30].map((m, i) => ({
    slug: `old-${i}`,
    publishedAt: new Date(NEWS_FLOOD_NOW.getTime() - m * MINUTE),
  }));
  for (const s of [...recent, ...old]) write(s.slug, s.publishedAt);
  write('hidden-draft', new Date(NEWS_FLOOD_NOW.getTime() - 30 * 1000), 'draft: true\n');
  write('hidden-future', new Date(NEWS_FLOOD_NOW.getTime() + MINUTE));
  return { recent, old, hidden: ['hidden-draft', 'hidden-future'] };
}
