import { stringify } from 'yaml';
import { storyFile } from './frontmatter';

/** Placeholders `npm run new` writes; `check:content` warns while any is left in a story. */
export const PLACEHOLDER_DEK = 'TODO: one or two sentences that sum up the story.';
export const PLACEHOLDER_BODY = 'TODO: write the story here.';

export interface NewStory {
  title: string;
  dek?: string;
  byline: string[];
  station: string;
  /** ISO 8601 with the station's offset, e.g. `2026-11-20T09:30:00-06:00`. */
  date: string;
  slug?: string;
}

/** The text of a new story file: valid frontmatter with `draft: true`, and a body to replace. */
export function newStoryFile(story: NewStory): string {
  const scalar = (v: unknown) => stringify(v, { lineWidth: 0 }).trimEnd();
  const fields = [
    `title: ${scalar(story.title)}`,
    `dek: ${scalar(story.dek?.trim() || PLACEHOLDER_DEK)}`,
    ...(story.byline.length === 1 ? [`byline: ${scalar(story.byline[0])}`] : ['byline:', ...story.byline.map((b) => `  - ${scalar(b)}`)]),
    `station: ${scalar(story.station)}`,
    // Unquoted, as editors write it; the checker reads the text, so no YAML rollover.
    `date: ${story.date}`,
    'tags: []',
    ...(story.slug ? [`slug: ${story.slug}`] : []),
    '# Set to false (or delete the line) to publish:',
    'draft: true',
  ];
  return storyFile(fields.join('\n'), `${PLACEHOLDER_BODY}\n`);
}
