import type { z } from 'astro/zod';
import type { articleSchema } from '../schemas/article';
import { parseEditorDate, zonedParts } from '../utils/dates';
import { articlePath } from '../utils/permalinks';
import { slugFromPath, slugify } from '../utils/slug';
import { MAX_SITE_PATH_CHARS, MAX_SLUG_CHARS } from '../validation/limits';
import type { ContentProblem } from '../validation/problems';
import type { RawDates } from './raw-dates';

/** The frontmatter fields the cross-file rules read. `check:content` picks exactly these
 * from the article schema, so a story with other mistakes is still checked against the rest. */
export const CROSS_FILE_FIELDS = ['station', 'date', 'updated', 'corrections', 'byline', 'tags', 'slug', 'draft', 'aliases'] as const;
export type ArticleFields = Pick<z.output<ReturnType<typeof articleSchema>>, (typeof CROSS_FILE_FIELDS)[number]>;

/** The part of a collection entry the rules need; Astro's entries and the checker's both fit. */
export interface EntryLike<D> {
  id: string;
  filePath?: string;
  data: D;
}
export type ArticleLike = EntryLike<ArticleFields>;
export type StationLike = EntryLike<{ timezone: string }>;
export type AuthorLike = EntryLike<{ name: string }>;

export interface Topic {
  slug: string;
  name: string;
}

/** A story with everything resolved from other files. */
export interface ResolvedArticle<A extends ArticleLike, S extends StationLike, U extends AuthorLike> {
  entry: A;
  id: string;
  slug: string;
  /** Permalink path, e.g. `/news/2026/11/20/council-vote/`. */
  path: string;
  station: S;
  /** Each name in the byline; `author` is set when the name is a known author id. */
  byline: { name: string; author?: U }[];
  publishedAt: Date;
  updatedAt?: Date;
  corrections: { date: Date; text: string }[];
  topics: Topic[];
  /** Year and month in the station's time zone, for the archive. */
  month: { year: number; month: number };
  isDraft: boolean;
  /** Old paths that redirect here, normalised to end in `/`. */
  aliases: string[];
}

export interface ResolveInput<A, S, U> {
  articles: A[];
  stations: S[];
  authors: U[];
  /** The date fields as typed in each story file (see `raw-dates.ts`). */
  rawDates: (entry: A) => RawDates;
}

/** Ids look like `maria-okafor`; anything else in a byline is a guest's plain name. */
const looksLikeId = (s: string) => /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(s);

/** Paths the site builds from other files; an alias there would hide a real page. */
const SITE_SECTIONS = ['/stations/', '/authors/', '/topics/', '/archive/', '/page/', '/_astro/'];

export const fileOf = (entry: EntryLike<unknown>) => entry.filePath ?? `content/articles/${entry.id}.md`;

/** Code-unit order: unlike `localeCompare()`, it does not change with the build machine's locale. */
export const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The rules that need more than one file: stations and authors exist, dates are real
 * calendar dates, `updated` follows `date`, no two stories share a permalink, aliases
 * shadow nothing. The build (`buildSiteIndex`) and `check:content` both call this, so the
 * rules exist once. Pure: file reads come in as `rawDates`.
 */
export function resolveArticles<A extends ArticleLike, S extends StationLike, U extends AuthorLike>(
  input: ResolveInput<A, S, U>,
): { articles: ResolvedArticle<A, S, U>[]; problems: ContentProblem[]; stations: S[]; authors: U[] } {
  const problems: ContentProblem[] = [];
  // Loaders return entries in file-system or cache order, which differs between machines and
  // between cold and warm builds; sorting by id first keeps the output reproducible.
  const byId = <T extends { id: string }>(list: T[]) => [...list].sort((a, b) => byCodeUnits(a.id, b.id));
  const stationList = byId(input.stations);
  const authorList = byId(input.authors);
  const stations = new Map(stationList.map((s) => [s.id, s]));
  const authors = new Map(authorList.map((a) => [a.id, a]));
  const topicNames = new Map<string, string>();
  const all: ResolvedArticle<A, S, U>[] = [];

  for (const entry of byId(input.articles)) {
    const file = fileOf(entry);
    const problem = (field: string, message: string, hint?: string) => problems.push({ file, field, message, hint });
    const d = entry.data;

    const byline: ResolvedArticle<A, S, U>['byline'] = [];
    d.byline.forEach((name, i) => {
      const author = authors.get(name);
      if (author) byline.push({ name: author.data.name, author });
      else if (looksLikeId(name)) {
        problem(
          d.byline.length > 1 ? `byline[${i}]` : 'byline',
          `unknown author "${name}"`,
          `add content/authors/${name}.yaml, or write a guest's full name, e.g. Bill Chappell`,
        );
      } else byline.push({ name });
    });

    const topics: Topic[] = [];
    for (const tag of d.tags) {
      const slug = slugify(tag);
      if (!slug) {
        problem('tags', `"${tag}" has no letters or digits to make a topic page from`, 'use a word, e.g. Politics');
        continue;
      }
      if (!topicNames.has(slug)) topicNames.set(slug, tag);
      if (!topics.some((t) => t.slug === slug)) topics.push({ slug, name: topicNames.get(slug)! });
    }

    const station = stations.get(d.station);
    if (!station) {
      problem('station', `unknown station "${d.station}"`, `use one of: ${[...stations.keys()].join(', ')}`);
      continue;
    }
    const tz = station.data.timezone;
    const raw = input.rawDates(entry);
    const when = (field: string, text: string | undefined, parsed: string | Date | undefined) => {
      const t = text ?? (typeof parsed === 'string' ? parsed : parsed?.toISOString());
      if (t === undefined) return undefined;
      const r = parseEditorDate(t, tz);
      if (!r.ok) {
        // Some date errors already say how to write the date; never say it twice.
        const example = "write it as 2026-11-20T09:30:00-06:00, or 2026-11-20 09:30 for the station's time zone";
        problem(field, r.error, r.error.includes('write it as') ? undefined : example);
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
    if (updatedAt && updatedAt < publishedAt) {
      problem('updated', 'is before `date`; an update cannot precede publication', 'fix the date, or remove `updated`');
    }

    const slug = d.slug ?? slugFromPath(entry.id);
    if (!slug) {
      problem('slug', 'the file name has no letters or digits to make a web address from', 'rename the file, or set `slug`');
      continue;
    }
    // Written slugs are capped by the schema; this catches one taken from a long file name.
    if (slug.length > MAX_SLUG_CHARS || articlePath(publishedAt, tz, slug).length > MAX_SITE_PATH_CHARS) {
      problem('slug', `is ${slug.length} characters; a web address may have at most ${MAX_SLUG_CHARS}`, 'set a shorter `slug`');
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
    });
  }

  // Two files on one permalink: report both, never let one silently win.
  const seen = new Map<string, ResolvedArticle<A, S, U>>();
  for (const a of all) {
    const other = seen.get(a.path);
    if (other) {
      problems.push({
        file: fileOf(a.entry),
        field: 'slug',
        message: `has the same permalink ${a.path} as ${fileOf(other.entry)}`,
        hint: 'rename one file or set a different `slug`',
      });
    } else seen.set(a.path, a);
  }

  // An alias may not shadow a story, a page of the site, or another alias.
  const aliasOwner = new Map<string, ResolvedArticle<A, S, U>>();
  for (const a of all) {
    a.aliases.forEach((from, i) => {
      const field = `aliases[${i}]`;
      const story = seen.get(from);
      const other = aliasOwner.get(from);
      if (from === '/' || SITE_SECTIONS.some((section) => from.startsWith(section))) {
        problems.push({
          file: fileOf(a.entry),
          field,
          message: `${from} is a page of the site (home, station, author, topic or archive pages live there)`,
          hint: 'an alias is an old address of this story; remove it',
        });
      } else if (story) {
        problems.push({
          file: fileOf(a.entry),
          field,
          message: `${from} is the permalink of ${fileOf(story.entry)}`,
          hint: 'an alias cannot replace a live story; remove it',
        });
      } else if (other && other !== a) {
        problems.push({
          file: fileOf(a.entry),
          field,
          message: `${from} is already an alias of ${fileOf(other.entry)}`,
          hint: 'keep it in one story only',
        });
      } else aliasOwner.set(from, a);
    });
  }

  return { articles: all, problems, stations: stationList, authors: authorList };
}
