import type { CollectionEntry } from 'astro:content';
import { dirname, resolve } from 'node:path';
import { audioTypeForFile, publishedAudioPath } from '../utils/audio';
import { parseEditorDate, zonedParts } from '../utils/dates';
import { articlePath } from '../utils/permalinks';
import { slugFromPath, slugify } from '../utils/slug';
import type { RawDates } from './raw-dates';

export type ArticleEntry = CollectionEntry<'articles'>;
export type StationEntry = CollectionEntry<'stations'>;
export type AuthorEntry = CollectionEntry<'authors'>;

/** One name in a byline; `author` is set when the name is a known author id. */
export interface BylineName {
  name: string;
  author?: AuthorEntry;
}

export interface Topic {
  slug: string;
  name: string;
}

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
}

/** A story as pages see it: its entry plus everything resolved from other files. */
export interface Article {
  entry: ArticleEntry;
  id: string;
  slug: string;
  /** Permalink path, e.g. `/news/2026/11/20/council-vote/`. */
  path: string;
  station: StationEntry;
  byline: BylineName[];
  publishedAt: Date;
  updatedAt?: Date;
  corrections: { date: Date; text: string }[];
  topics: Topic[];
  /** Year and month in the station's time zone, for the archive. */
  month: { year: number; month: number };
  isDraft: boolean;
  /** Old paths that redirect here, normalised to end in `/`. */
  aliases: string[];
  audio?: ArticleAudio;
}

/** An old URL that now lives at a story's permalink. */
export interface Redirect {
  from: string;
  to: string;
}

export interface ContentProblem {
  file: string;
  field: string;
  message: string;
}

/** Every problem found across all files, so editors fix them in one pass. */
export class ContentError extends Error {
  constructor(readonly problems: ContentProblem[]) {
    super(
      `${problems.length} content problem${problems.length === 1 ? '' : 's'}:\n` +
        problems.map((p) => `  ${p.file}: ${p.field}: ${p.message}`).join('\n'),
    );
    this.name = 'ContentError';
  }
}

export interface SiteIndexInput {
  articles: ArticleEntry[];
  stations: StationEntry[];
  authors: AuthorEntry[];
  now: Date;
  /** The date fields as typed in each story file (see `raw-dates.ts`). */
  rawDates: (entry: ArticleEntry) => RawDates;
  relatedCount: number;
  /** Size and content hash of a local audio file (absolute path), or undefined if it is missing. */
  audioFile?: (path: string) => AudioFileFacts | undefined;
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

/** Ids look like `maria-okafor`; anything else in a byline is a guest's plain name. */
const looksLikeId = (s: string) => /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(s);

/** Code-unit order: unlike `localeCompare()`, it does not change with the build machine's locale. */
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const newestFirst = (a: Article, b: Article) => b.publishedAt.getTime() - a.publishedAt.getTime() || byCodeUnits(a.path, b.path);

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
  const problems: ContentProblem[] = [];
  // Loaders return entries in file-system or cache order, which differs between machines and
  // between cold and warm builds; sorting by id first keeps the output reproducible.
  const byId = <T extends { id: string }>(list: T[]) => [...list].sort((a, b) => byCodeUnits(a.id, b.id));
  const stations = new Map(byId(input.stations).map((s) => [s.id, s]));
  const authors = new Map(byId(input.authors).map((a) => [a.id, a]));
  const topicNames = new Map<string, string>();
  const all: Article[] = [];
  const audioFiles = new Map<Article, PublishedAudioFile>();

  for (const entry of byId(input.articles)) {
    const file = entry.filePath ?? `content/articles/${entry.id}.md`;
    const problem = (field: string, message: string) => problems.push({ file, field, message });
    const d = entry.data;

    const station = stations.get(d.station);
    if (!station) {
      problem('station', `unknown station "${d.station}"; use one of: ${[...stations.keys()].join(', ')}`);
      continue;
    }
    const tz = station.data.timezone;
    const raw = input.rawDates(entry);
    const when = (field: string, text: string | undefined, parsed: string | Date | undefined) => {
      const t = text ?? (typeof parsed === 'string' ? parsed : parsed?.toISOString());
      if (t === undefined) return undefined;
      const r = parseEditorDate(t, tz);
      if (!r.ok) {
        problem(field, r.error);
        return undefined;
      }
      return r.date;
    };

    const publishedAt = when('date', raw.date, d.date);
    const updatedAt = d.updated === undefined ? undefined : when('updated', raw.updated, d.updated);
    const corrections = d.corrections.map((c, i) => ({
      date: when(`corrections[${i}].date`, raw.corrections[i], c.date),
      text: c.text,
    }));
    if (!publishedAt) continue;
    if (updatedAt && updatedAt < publishedAt) problem('updated', 'is before `date`; an update cannot precede publication');

    const byline: BylineName[] = [];
    for (const name of d.byline) {
      const author = authors.get(name);
      if (author) byline.push({ name: author.data.name, author });
      else if (looksLikeId(name)) {
        problem('byline', `unknown author "${name}"; add content/authors/${name}.yaml, or write a guest's full name ("Bill Chappell")`);
      } else byline.push({ name });
    }

    const topics: Topic[] = [];
    for (const tag of d.tags) {
      const slug = slugify(tag);
      if (!slug) {
        problem('tags', `"${tag}" has no letters or digits to make a topic page from`);
        continue;
      }
      if (!topicNames.has(slug)) topicNames.set(slug, tag);
      if (!topics.some((t) => t.slug === slug)) topics.push({ slug, name: topicNames.get(slug)! });
    }

    let audio: ArticleAudio | undefined;
    let audioFile: PublishedAudioFile | undefined;
    if (d.audio) {
      const { src, duration, title, transcript, length, type } = d.audio;
      const meta = { durationSeconds: duration, ...(title && { title }), ...(transcript && { transcript }) };
      // Remote: the schema requires both fields for an https src and allows neither for a local file.
      if (length !== undefined && type !== undefined) audio = { url: src, length, type, ...meta };
      else {
        const source = resolve(dirname(file), src);
        const facts = input.audioFile?.(source);
        if (!facts) problem('audio.src', `${src} was not found beside the story (looked for ${source})`);
        else {
          const path = publishedAudioPath(facts.contentHash, src);
          audioFile = { path, source, type: audioTypeForFile(src)! };
          audio = { url: path, length: facts.bytes, type: audioFile.type, ...meta };
        }
      }
    }

    const slug = d.slug ?? slugFromPath(entry.id);
    if (!slug) {
      problem('slug', 'the file name has no letters or digits; rename the file or set `slug`');
      continue;
    }
    const local = zonedParts(publishedAt, tz);
    all.push({
      entry,
      id: entry.id,
      slug,
      path: articlePath(publishedAt, tz, slug),
      station,
      byline,
      publishedAt,
      updatedAt,
      corrections: corrections.filter((c): c is { date: Date; text: string } => c.date !== undefined),
      topics,
      month: { year: local.year, month: local.month },
      isDraft: d.draft,
      aliases: d.aliases.map((p) => (/\.[a-z0-9]+$/i.test(p) || p.endsWith('/') ? p : `${p}/`)),
      ...(audio && { audio }),
    });
    if (audioFile) audioFiles.set(all[all.length - 1]!, audioFile);
  }

  // Two files on one permalink: report both, never let one silently win.
  const seen = new Map<string, Article>();
  for (const a of all) {
    const other = seen.get(a.path);
    if (other) {
      problems.push({
        file: a.entry.filePath ?? a.id,
        field: 'slug',
        message: `has the same permalink ${a.path} as ${other.entry.filePath ?? other.id}; rename one file or set a different \`slug\``,
      });
    } else seen.set(a.path, a);
  }

  // An alias may not shadow a story or another alias.
  const aliasOwner = new Map<string, Article>();
  for (const a of all) {
    for (const from of a.aliases) {
      const file = a.entry.filePath ?? a.id;
      const story = seen.get(from);
      const other = aliasOwner.get(from);
      if (story)
        problems.push({
          file,
          field: 'aliases',
          message: `${from} is the permalink of ${story.entry.filePath ?? story.id}; an alias cannot replace a live story`,
        });
      else if (other && other !== a)
        problems.push({ file, field: 'aliases', message: `${from} is already an alias of ${other.entry.filePath ?? other.id}` });
      else aliasOwner.set(from, a);
    }
  }

  if (problems.length) throw new ContentError(problems);

  const articles = all.filter((a) => isPublished(a, now)).sort(newestFirst);
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
  // Scans a bounded window of each topic's newest stories, so it stays linear in N.
  const SCAN_PER_TOPIC = 60;
  const related = (article: Article): Article[] => {
    const cached = relatedCache.get(article.id);
    if (cached) return cached;
    const score = new Map<Article, number>();
    for (const t of article.topics) {
      const list = byTopic.get(t.slug)?.articles ?? [];
      let scanned = 0;
      for (const other of list) {
        if (other === article) continue;
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
    stations: [...stations.values()],
    authors: [...authors.values()],
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
