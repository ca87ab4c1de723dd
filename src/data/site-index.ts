import type { CollectionEntry } from 'astro:content';
import { dirname, resolve } from 'node:path';
import { audioTypeForFile, publishedAudioPath } from '../lib/audio.ts';
import { ContentError, type ContentProblem } from '../content/problems.ts';
import type { RawDates } from '../content/raw-dates.ts';
import { byCodeUnits, fileOf, resolveArticles, type ResolvedArticle, type Topic } from './resolve-articles.ts';

export { ContentError, type ContentProblem } from '../content/problems.ts';
export type { Topic } from './resolve-articles.ts';

export type ArticleEntry = CollectionEntry<'articles'>;
export type StationEntry = CollectionEntry<'stations'>;
export type AuthorEntry = CollectionEntry<'authors'>;

/** A story's audio segment, ready for the page player and for feed enclosures. */
export interface ArticleAudio {
  /** Site path of a file published with the site (`/audio/<hash>/<name>.mp3`), or a remote https URL. */
  url: string;
  /** Size in bytes. */
  length: number;
  /** MIME type, e.g. audio/mpeg. */
  type: string;
  durationSeconds: number;
  title?: string;
  transcript?: string;
}

/** A local audio file the build publishes: where it goes and where it comes from. */
export interface PublishedAudioFile {
  /** URL path in the site, e.g. `/audio/3f2a9c0d41b7/council-vote.mp3`. */
  path: string;
  /** The file on disk. */
  source: string;
  type: string;
}

/** What the data layer needs to know about a local audio file. */
export interface AudioFileFacts {
  bytes: number;
  /** A hash of the contents, for a URL that changes when the audio does. */
  contentHash: string;
  /** The file to publish: its real path, confined to content/ (see `confineFile`). */
  source: string;
}

/** Why a local audio file may not be published (outside content/, over the size limit). */
export interface AudioFileRefusal {
  refused: { message: string; hint: string };
}

/** A story as pages see it: its entry plus everything resolved from other files. */
export type Article = ResolvedArticle<ArticleEntry, StationEntry, AuthorEntry> & { audio?: ArticleAudio };

/** One name in a byline; `author` is set when the name is a known author id. */
export type BylineName = Article['byline'][number];

/** An old URL that now lives at a story's permalink. */
export interface Redirect {
  from: string;
  to: string;
}

export interface SiteIndexInput {
  articles: ArticleEntry[];
  stations: StationEntry[];
  authors: AuthorEntry[];
  now: Date;
  /** The date fields as typed in each story file (see `raw-dates.ts`). */
  rawDates: (entry: ArticleEntry) => RawDates;
  relatedCount: number;
  /** `astro dev` previews drafts and scheduled stories too; a build never does. */
  preview?: boolean;
  /** Size and content hash of a local audio file (absolute path), or undefined if it is missing. */
  audioFile?: (path: string) => AudioFileFacts | AudioFileRefusal | undefined;
  /** Files in `public/`, which no alias may take over (see `resolveArticles`). */
  publicFiles?: readonly string[];
}

export interface SiteIndex {
  now: Date;
  /** Published stories, newest first. */
  articles: Article[];
  stations: StationEntry[];
  authors: AuthorEntry[];
  byStation: Map<string, Article[]>;
  byAuthor: Map<string, Article[]>;
  byTopic: Map<string, { topic: Topic; articles: Article[] }>;
  /** Keyed `YYYY-MM`, newest month first. */
  byMonth: Map<string, { year: number; month: number; articles: Article[] }>;
  byPath: Map<string, Article>;
  /** Aliases of published stories, sorted by `from`. */
  redirects: Redirect[];
  /** Local audio files of published stories, each once. */
  audioFiles: PublishedAudioFile[];
  /** Stories sharing the most topics with `article`, newest first. */
  related(article: Article): Article[];
}

const newestFirst = (a: Article, b: Article) => b.publishedAt.getTime() - a.publishedAt.getTime() || byCodeUnits(a.path, b.path);

/** The five topics with the most published stories, for the site navigation on every page. */
export function navTopics(index: Pick<SiteIndex, 'byTopic'>, lang: string): Topic[] {
  return [...index.byTopic.values()]
    .sort((a, b) => b.articles.length - a.articles.length || a.topic.name.localeCompare(b.topic.name, lang))
    .slice(0, 5)
    .map((t) => t.topic);
}

export function isPublished(article: Pick<Article, 'isDraft' | 'publishedAt'>, now: Date): boolean {
  return !article.isDraft && article.publishedAt.getTime() <= now.getTime();
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Resolves every story against stations and authors, checks what the schema cannot, and
 * indexes the published ones. Pure: the clock and file reads come in as arguments. */
export function buildSiteIndex(input: SiteIndexInput): SiteIndex {
  const { now } = input;
  const { articles: resolved, problems, stations, authors } = resolveArticles(input);
  const audioFiles = new Map<Article, PublishedAudioFile>();
  const all: Article[] = resolved.map((article) => {
    const found = resolveAudio(article.entry, input.audioFile, problems);
    if (!found) return article;
    const withAudio: Article = { ...article, audio: found.audio };
    if (found.file) audioFiles.set(withAudio, found.file);
    return withAudio;
  });
  if (problems.length) throw new ContentError(problems);

  const articles = all.filter((a) => input.preview || isPublished(a, now)).sort(newestFirst);
  const byStation = new Map<string, Article[]>();
  const byAuthor = new Map<string, Article[]>();
  const byTopic = new Map<string, { topic: Topic; articles: Article[] }>();
  const byMonth = new Map<string, { year: number; month: number; articles: Article[] }>();
  const byPath = new Map<string, Article>();
  for (const a of articles) {
    byPath.set(a.path, a);
    pushTo(byStation, a.station.id, a);
    for (const b of a.byline) if (b.author) pushTo(byAuthor, b.author.id, a);
    for (const t of a.topics) {
      const group = byTopic.get(t.slug) ?? { topic: t, articles: [] };
      group.articles.push(a);
      byTopic.set(t.slug, group);
    }
    const key = `${a.month.year}-${String(a.month.month).padStart(2, '0')}`;
    const group = byMonth.get(key) ?? { ...a.month, articles: [] };
    group.articles.push(a);
    byMonth.set(key, group);
  }
  const redirects = articles.flatMap((a) => a.aliases.map((from) => ({ from, to: a.path }))).sort((x, y) => byCodeUnits(x.from, y.from));
  const sortedMonths = new Map([...byMonth].sort(([a], [b]) => b.localeCompare(a)));

  const relatedCache = new Map<string, Article[]>();
  // Scans a bounded window of each topic's newest stories, so it stays linear in N. A story is
  // only related to stories of its own year or earlier (its permalink's year): a new story never
  // changes the pages of past years, so their shards of the sharded build stay valid (src/data/shards.ts).
  const SCAN_PER_TOPIC = 60;
  const starts = new Map<string, number>();
  /** Where the stories of `year` or earlier begin in a topic's list (newest first). */
  const startOf = (slug: string, list: Article[], year: number) => {
    const k = `${slug}\0${year}`;
    let i = starts.get(k);
    if (i === undefined) {
      const found = list.findIndex((a) => a.month.year <= year);
      i = found < 0 ? list.length : found;
      starts.set(k, i);
    }
    return i;
  };
  const related = (article: Article): Article[] => {
    const cached = relatedCache.get(article.id);
    if (cached) return cached;
    const score = new Map<Article, number>();
    const year = article.month.year;
    for (const t of article.topics) {
      const list = byTopic.get(t.slug)?.articles ?? [];
      let scanned = 0;
      for (let i = startOf(t.slug, list, year); i < list.length; i++) {
        const other = list[i]!;
        // Near New Year, a story of another station's zone can sort among the year's last ones.
        if (other === article || other.month.year > year) continue;
        score.set(other, (score.get(other) ?? 0) + 1);
        if (++scanned >= SCAN_PER_TOPIC) break;
      }
    }
    const picked = [...score]
      .sort(([a, sa], [b, sb]) => sb - sa || newestFirst(a, b))
      .slice(0, input.relatedCount)
      .map(([a]) => a);
    relatedCache.set(article.id, picked);
    return picked;
  };

  return {
    now,
    articles,
    stations,
    authors,
    byStation,
    byAuthor,
    byTopic,
    byMonth: sortedMonths,
    byPath,
    redirects,
    audioFiles: [...new Map(articles.flatMap((a) => (audioFiles.has(a) ? [audioFiles.get(a)!] : [])).map((f) => [f.path, f])).values()],
    related,
  };
}

/** A story's audio: a remote URL as given, or a local file beside the story, published under a
 * content hash. A missing file is a problem naming the story and field. */
function resolveAudio(
  entry: ArticleEntry,
  audioFile: SiteIndexInput['audioFile'],
  problems: ContentProblem[],
): { audio: ArticleAudio; file?: PublishedAudioFile } | undefined {
  if (!entry.data.audio) return undefined;
  const { src, duration, title, transcript, length, type } = entry.data.audio;
  const meta = { durationSeconds: duration, ...(title && { title }), ...(transcript && { transcript }) };
  // Remote: the schema requires both fields for an https src and allows neither for a local file.
  if (length !== undefined && type !== undefined) return { audio: { url: src, length, type, ...meta } };
  const file = fileOf(entry);
  const source = resolve(dirname(file), src);
  const facts = audioFile?.(source);
  if (!facts) {
    problems.push({ file, field: 'audio.src', message: `${src} was not found beside the story (looked for ${source})` });
    return undefined;
  }
  if ('refused' in facts) {
    problems.push({ file, field: 'audio.src', message: `${src} ${facts.refused.message}`, hint: facts.refused.hint });
    return undefined;
  }
  const published: PublishedAudioFile = {
    path: publishedAudioPath(facts.contentHash, src),
    source: facts.source,
    type: audioTypeForFile(src)!,
  };
  return { audio: { url: published.path, length: facts.bytes, type: published.type, ...meta }, file: published };
}
