import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pagefind from 'pagefind';
import { assertBody } from '../content/story-loader.ts';
import { escapeXml } from '../lib/escape.ts';
import { formatDate, toZonedIso, zonedParts } from '../lib/dates.ts';

/**
 * The search index, made from the data layer rather than from the built pages: every story is
 * one small document of its headline, dek, byline and topics, and stories of the most recent
 * `fullTextYears` calendar years also carry their body. So the index grows with the archive by a
 * few dozen words a story, not by its full text, and it never needs the story pages' HTML (which a
 * sharded build does not rebuild). bench/search.ts measures the choice (bench/results.md, "Search").
 */

/** The parts of a story the index is made of. `Article` has them; tests and the bench hand-make them. */
export interface SearchStory {
  path: string;
  publishedAt: Date;
  /** Year in the station's zone, as the archive files it. */
  month: { year: number };
  station: { data: { name: string; timezone: string } };
  byline: readonly { name: string }[];
  topics: readonly { name: string }[];
  entry: {
    id?: string;
    filePath?: string | undefined;
    digest?: string | number | undefined;
    data: { title: string; dek: string; image?: { caption?: string | undefined } | undefined };
    rendered?: { html: string } | undefined;
  };
  audio?: { transcript?: string | undefined } | undefined;
  corrections?: readonly { text: string }[];
}

export interface SearchIndexOptions {
  now: Date;
  /** Stories of this many calendar years (the current one included) are indexed with their full text. */
  fullTextYears: number;
  /** BCP 47 tag of the site; Pagefind stems words by it. */
  lang: string;
  /** Pagefind's `maxFragments` (bench/search.ts tries it). */
  maxFragments?: number;
}

/** "Ada Reporter and Casey Guest", "A, B and C". */
export function bylineText(names: readonly string[]): string {
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? '');
}

/** Whether a story is indexed with its body: published in one of the last `fullTextYears`
 * calendar years, each counted in the story's own station zone as its archive page is. */
export function hasFullText(story: SearchStory, options: Pick<SearchIndexOptions, 'now' | 'fullTextYears'>): boolean {
  const thisYear = zonedParts(options.now, story.station.data.timezone).year;
  return story.month.year > thisYear - options.fullTextYears;
}

/**
 * One story as the HTML document Pagefind indexes (never published). The headline is an `<h1>` so
 * Pagefind ranks headline matches as it did when it read the story pages; what results show and
 * filter on is in `data-pagefind-meta`/`-filter`/`-sort`, outside the searchable words. The body is
 * the story's rendered Markdown, the same HTML its page shows.
 */
export function searchDocument(story: SearchStory, options: SearchIndexOptions): string {
  const { title, dek } = story.entry.data;
  const { name: station, timezone } = story.station.data;
  const topics = story.topics.map((t) => t.name);
  // The words a reader sees on the page besides the headline block: the photo caption, the
  // body, the transcript and the corrections (never the chrome, the author bios or related stories).
  const fullText = hasFullText(story, options);
  // A part of the sharded build that did not render this body must say so, not index no words.
  if (fullText) assertBody({ ...story.entry, id: story.entry.id ?? story.path });
  const body = fullText
    ? [
        story.entry.data.image?.caption ? `<p>${escapeXml(story.entry.data.image.caption)}</p>` : '',
        story.entry.rendered?.html ?? '',
        story.audio?.transcript ? `<p>${escapeXml(story.audio.transcript)}</p>` : '',
        ...(story.corrections ?? []).map((c) => `<p>${escapeXml(c.text)}</p>`),
      ].join('')
    : '';
  const meta = (key: string, value: string) => `<span data-pagefind-meta="${key}">${escapeXml(value)}</span>`;
  const filter = (key: string, value: string) => `<span data-pagefind-filter="${key}">${escapeXml(value)}</span>`;
  return [
    `<html lang="${escapeXml(options.lang)}"><body><main data-pagefind-body>`,
    `<h1>${escapeXml(title)}</h1>`,
    `<p>${escapeXml(dek)}</p>`,
    `<p>By ${escapeXml(bylineText(story.byline.map((b) => b.name)))}.${topics.length ? ` Topics: ${escapeXml(topics.join(', '))}.` : ''}</p>`,
    body,
    `<div data-pagefind-ignore data-pagefind-meta="image:" data-pagefind-sort="date:${story.publishedAt.toISOString()}">`,
    meta('title', title),
    meta('dek', dek),
    meta('station', station),
    meta('date', formatDate(story.publishedAt, timezone, options.lang)),
    meta('datetime', toZonedIso(story.publishedAt, timezone)),
    filter('station', station),
    ...topics.map((t) => filter('topic', t)),
    '</div></main></body></html>',
  ].join('');
}

export interface WrittenSearchIndex {
  /** Stories in the index. */
  stories: number;
  /** Of them, indexed with their full text. */
  fullText: number;
}

/** Stories handed to Pagefind at once: enough to keep its indexer busy, few enough to bound the queue. */
const BATCH = 256;

/** Builds the Pagefind bundle for `stories` into `outputPath` (e.g. `dist/pagefind`). */
export async function writeSearchIndex(
  stories: Iterable<SearchStory>,
  outputPath: string,
  options: SearchIndexOptions,
): Promise<WrittenSearchIndex> {
  try {
    const { index, errors } = await pagefind.createIndex({
      forceLanguage: options.lang.split('-')[0]!.toLowerCase(),
      ...(options.maxFragments ? { maxFragments: options.maxFragments } : {}),
    });
    if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
    let count = 0;
    let fullText = 0;
    let batch: Promise<void>[] = [];
    for (const story of stories) {
      count++;
      if (hasFullText(story, options)) fullText++;
      batch.push(
        index.addHTMLFile({ url: story.path, content: searchDocument(story, options) }).then((added) => {
          if (added.errors.length) throw new Error(`Pagefind could not index ${story.path}: ${added.errors.join('; ')}`);
        }),
      );
      if (batch.length >= BATCH) {
        await Promise.all(batch);
        batch = [];
      }
    }
    await Promise.all(batch);
    const written = await index.writeFiles({ outputPath });
    if (written.errors.length) throw new Error(`Pagefind could not write its index: ${written.errors.join('; ')}`);
    const entry = JSON.parse(readFileSync(join(written.outputPath, 'pagefind-entry.json'), 'utf8')) as {
      languages: Record<string, { page_count: number }>;
    };
    const indexed = Object.values(entry.languages).reduce((n, l) => n + l.page_count, 0);
    if (indexed !== count) throw new Error(`Pagefind indexed ${indexed} of ${count} stories`);
    return { stories: count, fullText };
  } finally {
    await pagefind.close();
  }
}
