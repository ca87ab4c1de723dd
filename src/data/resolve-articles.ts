import type { z } from 'astro/zod';
import type { articleSchema } from '../schemas/article.ts';
import { parseEditorDate, zonedParts } from '../lib/dates.ts';
import { ALIAS_HINT, aliasGrammarProblem, aliasKey, isFileAlias, normaliseAlias } from '../lib/alias-path.ts';
import { articlePath } from '../lib/permalinks.ts';
import { slugFromPath, slugify } from '../lib/slug.ts';
import { MAX_SITE_PATH_CHARS, MAX_SLUG_CHARS } from '../content/limits.ts';
import type { ContentProblem } from '../content/problems.ts';
import type { RawDates } from '../content/raw-dates.ts';
import type { Passed } from '../checks/passed-fields.ts';
import { reservedBy } from './site-routes.ts';

/** The frontmatter fields the cross-file rules read. */
export type ArticleFields = Pick<
  z.output<ReturnType<typeof articleSchema>>,
  'station' | 'date' | 'updated' | 'corrections' | 'byline' | 'tags' | 'slug' | 'draft' | 'aliases'
>;

/** The part of a collection entry the rules need; Astro's entries and the checker's both fit. */
export interface EntryLike<D> {
  id: string;
  filePath?: string;
  data: D;
}
/**
 * The build passes whole entries. `check:content` also passes the entries of files with schema
 * errors, holding only the fields (and list items) that passed (`Passed`): a rule whose field is
 * missing is skipped, so the rest of the file is still checked and nothing false is reported.
 */
export type ArticleLike = EntryLike<Passed<ArticleFields>>;
export type StationLike = EntryLike<{ timezone?: string }>;
export type AuthorLike = EntryLike<{ name?: string }>;

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
  /** A story resolves only with its station's time zone. */
  station: S & { data: { timezone: string } };
  /** Each name in the byline; `author` is set when the name is a known author id. */
  byline: { name: string; author?: U }[];
  publishedAt: Date;
  updatedAt?: Date;
  corrections: { date: Date; text: string }[];
  topics: Topic[];
  /** Year and month in the station's time zone, for the archive. */
  month: { year: number; month: number };
  isDraft: boolean;
  /** Old paths that redirect here (see `normaliseAlias`): escapes decoded, a folder address ending in `/`. */
  aliases: string[];
}

export interface ResolveInput<A, S, U> {
  articles: A[];
  stations: S[];
  authors: U[];
  /** The date fields as typed in each story file (see `raw-dates.ts`). */
  rawDates: (entry: A) => RawDates;
  /** Files in `public/` (relative to it), which the build copies into dist/ and no alias may take over. */
  publicFiles?: readonly string[];
  /** For `check:content`: the fields of a story that failed their schema. A failed `slug` leaves the
   * story without a known permalink (not the file name's), so it is not resolved. */
  failedFields?: (entry: A) => ReadonlySet<string>;
}

/** Ids look like `maria-okafor`; anything else in a byline is a guest's plain name. */
const looksLikeId = (s: string) => /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(s);

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
  // A few dozen tags recur across thousands of stories; slugify each once.
  const tagSlugs = new Map<string, string>();
  const all: ResolvedArticle<A, S, U>[] = [];
  const entries = byId(input.articles);

  for (const entry of entries) {
    const file = fileOf(entry);
    const problem = (field: string, message: string, hint?: string) => problems.push({ file, field, message, hint });
    const d = entry.data;

    const byline: ResolvedArticle<A, S, U>['byline'] = [];
    const names = d.byline ?? [];
    names.forEach((name, i) => {
      if (name === undefined) return;
      const author = authors.get(name);
      if (author) byline.push({ name: author.data.name ?? name, author });
      else if (looksLikeId(name)) {
        problem(
          names.length > 1 ? `byline[${i}]` : 'byline',
          `unknown author "${name}"`,
          `add content/authors/${name}.yaml, or write a guest's full name, e.g. Bill Chappell`,
        );
      } else byline.push({ name });
    });

    const topics: Topic[] = [];
    for (const tag of d.tags ?? []) {
      if (tag === undefined) continue;
      let slug = tagSlugs.get(tag);
      if (slug === undefined) tagSlugs.set(tag, (slug = slugify(tag)));
      if (!slug) {
        problem('tags', `"${tag}" has no letters or digits to make a topic page from`, 'use a word, e.g. Politics');
        continue;
      }
      if (!topicNames.has(slug)) topicNames.set(slug, tag);
      if (!topics.some((t) => t.slug === slug)) topics.push({ slug, name: topicNames.get(slug)! });
    }

    // The rules below need the station's time zone; without it (already reported) they are skipped.
    if (d.station === undefined) continue;
    const station = stations.get(d.station);
    if (!station) {
      problem('station', `unknown station "${d.station}"`, `use one of: ${[...stations.keys()].join(', ')}`);
      continue;
    }
    const tz = station.data.timezone;
    if (tz === undefined) continue;
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

    const publishedAt = d.date === undefined ? undefined : when('date', raw.date, d.date);
    const updatedAt = d.updated === undefined ? undefined : when('updated', raw.updated, d.updated);
    const corrections = (d.corrections ?? []).map((c, i) => ({
      date: c && when(`corrections[${i}].date`, raw.corrections[i], c.date),
      text: c?.text,
    }));
    if (!publishedAt) continue;
    if (updatedAt && updatedAt < publishedAt) {
      problem('updated', 'is before `date`; an update cannot precede publication', 'fix the date, or remove `updated`');
    }

    if (d.slug === undefined && input.failedFields?.(entry).has('slug')) continue;
    const slug = d.slug ?? slugFromPath(entry.id);
    if (!slug) {
      problem('slug', 'the file name has no letters or digits to make a web address from', 'rename the file, or set `slug`');
      continue;
    }
    // Written slugs are capped by the schema; this catches one taken from a long file name.
    const path = articlePath(publishedAt, tz, slug);
    if (slug.length > MAX_SLUG_CHARS || path.length > MAX_SITE_PATH_CHARS) {
      problem('slug', `is ${slug.length} characters; a web address may have at most ${MAX_SLUG_CHARS}`, 'set a shorter `slug`');
      continue;
    }
    const local = zonedParts(publishedAt, tz);
    all.push({
      entry,
      id: entry.id,
      slug,
      path,
      station: station as S & { data: { timezone: string } },
      byline,
      publishedAt,
      updatedAt,
      corrections: corrections.filter((c): c is { date: Date; text: string } => c.date !== undefined && c.text !== undefined),
      topics,
      month: { year: local.year, month: local.month },
      isDraft: d.draft ?? false,
      aliases: (d.aliases ?? []).filter((p): p is string => p !== undefined && !aliasGrammarProblem(p)).map(normaliseAlias),
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

  checkAliases(entries, seen, input.publicFiles ?? [], problems);

  return { articles: all, problems, stations: stationList, authors: authorList };
}

/**
 * An alias is an old address of one story and nothing else: grammatical (`alias-path.ts`), and
 * taking over no address the build writes: no page or file of the site (`site-routes.ts`), no
 * story, no other alias, and no folder where one of those is a file or the other way round.
 * Addresses are compared by `aliasKey` (case-blind, `…/index.html` equal to `…/`). Every story's
 * aliases are checked, also those of a story that has no permalink for another problem.
 */
function checkAliases<A extends ArticleLike>(
  entries: A[],
  permalinks: Map<string, { entry: A }>,
  publicFiles: readonly string[],
  problems: ContentProblem[],
) {
  const stories = new Map([...permalinks].map(([path, a]) => [aliasKey(path), a]));
  const owners = new Map<string, { entry: A; field: string }>();
  /** Keys of aliases published as files (`/old.html`), and every folder above a story or an alias. */
  const fileKeys = new Map<string, string>();
  const folderKeys = new Map<string, string>();
  const addFolders = (key: string, owner: string) => {
    for (let i = key.lastIndexOf('/'); i > 0; i = key.lastIndexOf('/', i - 1)) folderKeys.set(key.slice(0, i), owner);
  };
  for (const [key, a] of stories) addFolders(key, fileOf(a.entry));

  for (const entry of entries) {
    const file = fileOf(entry);
    (entry.data.aliases ?? []).forEach((written, i) => {
      if (written === undefined) return;
      const field = `aliases[${i}]`;
      // Messages quote the alias as the editor wrote it, not as normalised.
      const refuse = (message: string, hint: string) => problems.push({ file, field, message, hint });
      const grammar = aliasGrammarProblem(written);
      if (grammar) return refuse(grammar, ALIAS_HINT);
      const from = normaliseAlias(written);
      const key = aliasKey(from);
      const reserved = reservedBy(from, publicFiles);
      if (reserved) return refuse(`${written} is taken by ${reserved}`, 'an alias is an old address of this story; remove it');
      const story = stories.get(key);
      if (story) return refuse(`${written} is the permalink of ${fileOf(story.entry)}`, 'an alias cannot replace a live story; remove it');
      const other = owners.get(key);
      if (other) {
        return other.entry === entry
          ? refuse(`${written} repeats ${other.field}`, 'list each old address once')
          : refuse(`${written} is already an alias of ${fileOf(other.entry)}`, 'keep it in one story only');
      }
      const asFile = isFileAlias(from);
      const fileAbove = [...fileKeys].find(([k]) => key.startsWith(`${k}/`));
      const folderHere = asFile ? folderKeys.get(key) : undefined;
      if (fileAbove || folderHere) {
        return refuse(
          `${written} ${fileAbove ? `would make a folder of the alias ${fileAbove[0]}` : 'would be a file where a folder of other addresses is'} (${fileAbove?.[1] ?? folderHere})`,
          'pick one form of the old address: a file such as /old.html, or a folder such as /old/',
        );
      }
      owners.set(key, { entry, field });
      if (asFile) fileKeys.set(key, file);
      addFolders(key, file);
    });
  }
}
