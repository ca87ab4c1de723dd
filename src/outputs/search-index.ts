import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pagefind from 'pagefind';
import { assertBody } from '../content/story-loader.ts';
import { escapeXml } from '../lib/escape.ts';
import { formatDate, toZonedIso, zonedParts } from '../lib/dates.ts';
import { SEARCH_ARCHIVE_DIR, SEARCH_ERAS_FILE, type SearchEra, type SearchErasManifest } from '../lib/search-params.ts';
import { ERA_WEIGHT, eraOf, planEras, SEPARATE_WEIGHT } from './search-eras.ts';
import { eraKey, pagefindVersion, SearchCache, type IndexedDocument } from './search-cache.ts';

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
  /** Year and month in the station's zone, as the archive files it. */
  month: { year: number; month: number };
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
  /** The most stories in one era (`search.eraStories`; src/outputs/search-eras.ts). */
  eraStories: number;
  /** Pagefind's `maxFragments` (bench/search.ts tries it). */
  maxFragments?: number;
  /** Where era bundles are kept between builds (src/outputs/search-cache.ts); without it every era is indexed. */
  cacheDir?: string;
}

/** "Ada Reporter and Casey Guest", "A, B and C". */
export function bylineText(names: readonly string[]): string {
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? '');
}

/** Whether a story is indexed with its body: published in one of the last `fullTextYears`
 * calendar years, each counted in the story's own station zone as its archive page is. */
export function hasFullText(story: SearchStory, options: Pick<SearchIndexOptions, 'now' | 'fullTextYears'>): boolean {
  return story.month.year > yearIn(options.now, story.station.data.timezone) - options.fullTextYears;
}

/** The year at `now` in a zone, remembered: every story of a build asks it of the same instant (twice),
 * and reading a zone through Intl costs more than the rest of a story's document. */
const years = new Map<string, number>();
function yearIn(now: Date, timeZone: string): number {
  const key = `${now.getTime()} ${timeZone}`;
  let year = years.get(key);
  if (year === undefined) {
    if (years.size > 1_000) years.clear();
    years.set(key, (year = zonedParts(now, timeZone).year));
  }
  return year;
}

/**
 * One story as the HTML document Pagefind indexes (never published). The headline is an `<h1>` so
 * Pagefind ranks headline matches as it did when it read the story pages; what results show and
 * filter on is in `data-pagefind-meta`/`-filter`/`-sort`, outside the searchable words. The body is
 * the story's rendered Markdown, the same HTML its page shows.
 */
export function searchDocument(story: SearchStory, options: Pick<SearchIndexOptions, 'now' | 'fullTextYears' | 'lang'>): string {
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
  /** The eras, newest first, as `eras.json` lists them. */
  eras: SearchEra[];
  /** The ids of the eras Pagefind indexed, and of those copied from the cache, newest first. */
  indexed: string[];
  reused: string[];
  /** Cache entries dropped because this build did not use them. */
  pruned: number;
}

/** Stories handed to Pagefind at once: enough to keep its indexer busy, few enough to bound the queue. */
const BATCH = 256;

/**
 * Writes the search bundles for `stories` into `outputPath` (e.g. `dist/_pagefind`): one Pagefind
 * bundle per era (src/outputs/search-eras.ts), the newest at the root and older ones in
 * `archive/<years>-<hash>/`, and `eras.json` listing them newest first. The eras are indexed one after another,
 * each by a fresh Pagefind process that exits before the next starts, so the indexer's peak is that
 * of the largest era, not of the archive. Each bundle depends only on its era's stories, so with
 * `cacheDir` an era whose documents are unchanged since the last build is copied from the cache
 * instead (src/outputs/search-cache.ts): the same bytes, without Pagefind.
 */
export async function writeSearchIndex(
  stories: Iterable<SearchStory>,
  outputPath: string,
  options: SearchIndexOptions,
): Promise<WrittenSearchIndex> {
  const items = [...stories].map((story) => ({ story, month: story.month, fullText: hasFullText(story, options) }));
  const eras = planEras(items, { stories: options.eraStories, weight: ERA_WEIGHT, separate: SEPARATE_WEIGHT }, options.lang);
  const byEra = new Map(eras.map((e) => [e.id, [] as SearchStory[]]));
  for (const item of items) byEra.get(eraOf(eras, item.month).id)!.push(item.story);
  // Pagefind numbers pages in the order they are added, so a fixed order makes a bundle a function
  // of its era's stories alone, whatever order the data layer gives them in.
  for (const list of byEra.values())
    list.sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime() || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  rmSync(outputPath, { recursive: true, force: true });
  const pagefindOptions = pagefindOptionsFor(options);
  const cache = options.cacheDir ? new SearchCache(options.cacheDir) : undefined;
  const version = cache ? pagefindVersion() : '';
  const written: SearchEra[] = [];
  const indexed: string[] = [];
  const reused: string[] = [];
  for (const era of eras) {
    const documents = byEra.get(era.id)!.map((story) => ({ url: story.path, content: searchDocument(story, options) }));
    const target = join(outputPath, era.dir);
    const write = (dir: string) => writeBundle(documents, dir, pagefindOptions);
    let fromCache = false;
    if (cache) fromCache = await cache.place(eraKey(documents, pagefindOptions, version), documents.length, target, write);
    else await write(target);
    (fromCache ? reused : indexed).push(era.id);
    if (!era.dir) {
      written.push(era);
      continue;
    }
    // An older era's folder is named by its bundle's content (the entry file lists the hashes of
    // all the rest), so the host may cache it forever and a changed era gets a new address.
    const hash = createHash('sha256')
      .update(readFileSync(join(outputPath, era.dir, 'pagefind-entry.json')))
      .digest('hex')
      .slice(0, 12);
    const dir = `${SEARCH_ARCHIVE_DIR}/${era.id}-${hash}/`;
    renameSync(join(outputPath, era.dir), join(outputPath, dir));
    written.push({ ...era, dir });
  }
  const manifest: SearchErasManifest = { eras: written };
  writeFileSync(join(outputPath, SEARCH_ERAS_FILE), JSON.stringify(manifest));
  const pruned = cache?.prune() ?? 0;
  return { stories: items.length, fullText: items.filter((i) => i.fullText).length, eras: written, indexed, reused, pruned };
}

/** What Pagefind is told besides the documents: part of each era's cache key. */
function pagefindOptionsFor(options: SearchIndexOptions): pagefind.PagefindServiceConfig {
  return {
    forceLanguage: options.lang.split('-')[0]!.toLowerCase(),
    ...(options.maxFragments ? { maxFragments: options.maxFragments } : {}),
  };
}

/** One Pagefind bundle of `documents` in `outputPath`, by a Pagefind process of its own. */
async function writeBundle(
  documents: readonly IndexedDocument[],
  outputPath: string,
  config: pagefind.PagefindServiceConfig,
): Promise<void> {
  try {
    const { index, errors } = await pagefind.createIndex(config);
    if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
    for (let i = 0; i < documents.length; i += BATCH) {
      await Promise.all(
        documents.slice(i, i + BATCH).map(async (document) => {
          const added = await index.addHTMLFile(document);
          if (added.errors.length) throw new Error(`Pagefind could not index ${document.url}: ${added.errors.join('; ')}`);
        }),
      );
    }
    const written = await index.writeFiles({ outputPath });
    if (written.errors.length) throw new Error(`Pagefind could not write its index: ${written.errors.join('; ')}`);
    const entry = JSON.parse(readFileSync(join(written.outputPath, 'pagefind-entry.json'), 'utf8')) as {
      languages: Record<string, { page_count: number }>;
    };
    const indexed = Object.values(entry.languages).reduce((n, l) => n + l.page_count, 0);
    if (indexed !== documents.length) throw new Error(`Pagefind indexed ${indexed} of ${documents.length} stories in ${outputPath}`);
  } finally {
    // Ends the Pagefind process, so its memory is returned before the next era's starts.
    await pagefind.close();
  }
}
