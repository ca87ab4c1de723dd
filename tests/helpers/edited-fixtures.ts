import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSite } from './build-site';
import { SITES } from './sites';

export const EDITED_STORY = '/news/2026/11/20/local-story-with-photo/';

/**
 * The fixtures again, with one story's headline and body edited and an update added, built a day
 * after FIXTURE_NOW with syndicated stories canonical to their source and share cards off. Proves
 * guids survive edits, the news window moves with the build time, and the non-default settings.
 */
export async function buildEditedFixtures() {
  const content = SITES.fixturesEdited.contentDir;
  rmSync(content, { recursive: true, force: true });
  cpSync(SITES.fixtures.contentDir, content, { recursive: true });
  const file = join(content, 'articles/2026/local-story-with-photo.md');
  const story = readFileSync(file, 'utf8')
    .replace('title: Fixture Falls opens its new riverfront library', 'title: Fixture Falls library opens after a week of delays')
    .replace('date: 2026-11-20T09:30:00-06:00', 'date: 2026-11-20T09:30:00-06:00\nupdated: 2026-11-26T05:00:00-06:00')
    .replace('The doors opened at 9 a.m.', 'EDITEDMARKER The doors opened at 10 a.m.');
  if (!story.includes('EDITEDMARKER') || !story.includes('updated:'))
    throw new Error(`${file}: the edit no longer applies; update buildEditedFixtures`);
  writeFileSync(file, story);
  await buildSite('fixturesEdited', { MASTHEAD_SYNDICATION_CANONICAL: 'source', MASTHEAD_SOCIAL_CARDS: 'off' });
}
