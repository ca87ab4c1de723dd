import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, type BigIntStats } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { z } from 'astro/zod';
import type { SchemaContext } from 'astro:content';
import { parseStory, parseYaml } from '../content/frontmatter.ts';
import { rawDatesFromSource, type RawDates } from '../content/raw-dates.ts';
import { confineFile } from '../content/confine.ts';
import { zonedParts } from '../lib/dates.ts';
import { listFiles } from '../lib/list-files.ts';
import { hasFullText } from '../outputs/search-index.ts';
import { headlineCardIds } from '../outputs/share-cards/card.ts';
import { articleSchema } from '../schemas/article.ts';
import { authorSchema } from '../schemas/author.ts';
import { stationSchema } from '../schemas/station.ts';
import type { SiteConfig } from '../site.config.ts';
import type { PlanCache } from './plan-cache.ts';
import { INPUT_GROUPS, stableJson, storyPageDigest, type InputGroup, type ShardStory } from './shards.ts';
import { buildSiteIndex, navTopics, type ArticleEntry, type AuthorEntry, type SiteIndex, type StationEntry } from './site-index.ts';
import { listPublicFiles } from './site-routes.ts';

/**
 * What the sharded build's plan needs to know about the content (src/data/shards.ts), read from
 * the files as `check:content` reads them: frontmatter only, no Markdown rendered. The same data
 * layer as the build (`buildSiteIndex`) resolves it, so related stories, topic names and share
 * cards are the ones the pages show.
 */
export interface ShardFacts {
  stories: ShardStory[];
  chrome: string;
  inputs: Record<InputGroup, string>;
  /** Story file (from the project root) → permalink year, published or not. */
  years: Map<string, number>;
  /** The default station's zone, whose calendar says which years are closed. */
  timeZone: string;
  /** Story file (from the project root) → its collection id, for the lists of bodies each part renders. */
  ids: Map<string, string>;
  /** Ids of the stories some feed shows in full (the newest `feedItems` of each feed) or the search index holds in full: the core build renders their bodies. */
  feedStories: Set<string>;
}

const toPosix = (p: string) => p.split(sep).join('/');
const digest = (h: ReturnType<typeof createHash>) => h.digest('base64url').slice(0, 32);

/** A digest of the files under each input group (project root; `content:` paths from the content folder). */
export function inputDigests(root: string, contentDir: string): Record<InputGroup, string> {
  const out = {} as Record<InputGroup, string>;
  for (const [group, prefixes] of Object.entries(INPUT_GROUPS) as [InputGroup, readonly string[]][]) {
    const h = createHash('sha256');
    for (const prefix of prefixes) {
      const path = prefix.startsWith('content:') ? join(contentDir, prefix.slice('content:'.length)) : join(root, prefix);
      if (!existsSync(path)) continue;
      const files = statSync(path).isDirectory() ? listFiles(path).map((f) => join(path, f)) : [path];
      for (const file of files) {
        // src/images/ is its own group; templates cover the rest of src/.
        if (group === 'templates' && toPosix(relative(root, file)).startsWith('src/images/')) continue;
        h.update(toPosix(relative(root, file)))
          .update('\0')
          .update(readFileSync(file))
          .update('\0');
      }
    }
    out[group] = digest(h);
  }
  return out;
}

const NAMED = /(?:^|[\s("'=:[])(\.{1,2}\/[^\s)"'<>\]]+)/g;

/** What the plan cache's entries depend on besides the files (src/data/plan-cache.ts). */
export const PLAN_CACHE_SALT = `named:${NAMED.source}`;

/** The local paths a story's text names (`./photo.jpg`, `../photos/x.jpg`), resolved, unchecked: what the plan cache keeps. */
function namedPaths(text: string, file: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(NAMED)) found.add(resolve(dirname(file), m[1]!));
  return [...found];
}

/** Of `paths`, the files that exist and are confined to content/: checked every run, since a photo may appear or vanish. */
function namedFiles(paths: readonly string[], contentDir: string): string[] {
  const found: string[] = [];
  for (const abs of paths) {
    if (!existsSync(abs) || !statSync(abs).isFile()) continue;
    if ('refused' in confineFile(contentDir, abs)) continue;
    found.push(abs);
  }
  return found.sort();
}

type CachedStory = { data: unknown; valid: boolean; rawDates: RawDates };

/**
 * Reads every story, station and author and returns each published story's page digest, the
 * site-wide chrome digest and the input digests. Throws if the content has problems:
 * `npm run check:content` names them.
 */
export function readShardFacts({
  root,
  contentDir: content,
  now,
  site,
  cachedStory,
  checkedByStat,
  planCache,
  readFile = readFileSync,
}: {
  root: string;
  contentDir: string;
  now: Date;
  /** What check:content decided about a story file from these bytes, when it kept it (src/checks/facts-cache.ts). */
  cachedStory?: (file: string, bytes: Buffer) => CachedStory | undefined;
  /** The same, when check:content trusts the story by its stat (taken before any read) without reading it. */
  checkedByStat?: (file: string, stat: BigIntStats) => CachedStory | undefined;
  /** Digests and named paths of unchanged files, kept by their stat: with `checkedByStat`, an unchanged story or photo is not read. */
  planCache?: PlanCache;
  /** How a story's or a named file's bytes are read (tests count the reads). */
  readFile?: (file: string) => Buffer;
  site: Pick<SiteConfig, 'defaultStation' | 'relatedCount' | 'headlineCards' | 'lang' | 'socialCards' | 'feedItems' | 'search'>;
}): ShardFacts {
  const contentDir = resolve(root, content);
  // The build resolves a photo to an image object; its file's digest stands in for it here.
  const schemaContext = { image: () => z.string() } as unknown as SchemaContext;
  const schemas = { article: articleSchema(schemaContext), author: authorSchema(schemaContext), station: stationSchema };
  const fail = (file: string, message: string): never => {
    throw new Error(`${toPosix(relative(root, file))}: ${message} (hint: npm run check:content names every problem)`);
  };
  const readData = <T>(collection: string, schema: z.ZodType<T>) => {
    const dir = join(contentDir, collection);
    return (existsSync(dir) ? listFiles(dir) : [])
      .filter((f) => f.endsWith('.yaml') && !f.includes('/') && !f.startsWith('.'))
      .map((f) => {
        const file = join(dir, f);
        const yaml = parseYaml(readFileSync(file, 'utf8'));
        const r = schema.safeParse(yaml.data ?? {});
        if (!r.success) fail(file, r.error.issues[0]?.message ?? 'invalid');
        return { id: f.slice(0, -'.yaml'.length), data: r.data!, filePath: file };
      });
  };
  const stations = readData('stations', schemas.station) as unknown as StationEntry[];
  const authors = readData('authors', schemas.author) as unknown as AuthorEntry[];

  const articlesDir = join(contentDir, 'articles');
  const texts = new Map<string, string>();
  const fileDigests = new Map<string, string>();
  /** Each story's named paths, before the checks on disk. */
  const named = new Map<string, string[]>();
  const rawDates = new Map<string, RawDates>();
  const articles = (existsSync(articlesDir) ? listFiles(articlesDir) : [])
    .filter((f) => f.endsWith('.md'))
    .map((f) => {
      const file = join(articlesDir, f);
      const id = f.replace(/\.md$/, '');
      // Taken before any read: a stat both caches trust vouches for the bytes (git's index), which are not read.
      const stat = planCache && statSync(file, { bigint: true });
      const kept = stat && planCache.get(file, stat, true);
      const checked = kept && checkedByStat?.(file, stat);
      if (kept && checked?.valid) {
        fileDigests.set(file, kept.digest);
        named.set(file, kept.named!);
        rawDates.set(file, checked.rawDates);
        return { id, filePath: file, data: checked.data } as unknown as ArticleEntry;
      }
      const bytes = readFile(file);
      const text = bytes.toString('utf8');
      texts.set(file, text);
      // Its digest is part of its page's key: from these bytes, not from a second read.
      const d = digest(createHash('sha256').update(bytes));
      fileDigests.set(file, d);
      named.set(file, namedPaths(text, file));
      if (stat) planCache.set(file, stat, { digest: d, named: named.get(file)! });
      // The frontmatter check:content parsed and validated from the same bytes is not parsed again.
      const cached = cachedStory?.(file, bytes);
      if (cached?.valid) {
        rawDates.set(file, cached.rawDates);
        return { id, filePath: file, data: cached.data } as unknown as ArticleEntry;
      }
      const story = parseStory(text);
      if (story.problems.length || story.data === undefined) fail(file, story.problems[0]?.message ?? 'no frontmatter');
      const r = schemas.article.safeParse(story.data);
      if (!r.success) fail(file, `${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}`);
      return { id, filePath: file, data: r.data } as unknown as ArticleEntry;
    });

  const fileDigest = (file: string) => {
    let d = fileDigests.get(file);
    if (d === undefined) {
      // A photo is trusted by its stat as a story is: an archive of camera photos is not read again.
      const stat = planCache && statSync(file, { bigint: true });
      d = stat && planCache.get(file, stat, false)?.digest;
      if (d === undefined) {
        d = digest(createHash('sha256').update(readFile(file)));
        if (stat) planCache.set(file, stat, { digest: d });
      }
      fileDigests.set(file, d);
    }
    return d;
  };
  const index: SiteIndex = buildSiteIndex({
    articles,
    stations,
    authors,
    now,
    rawDates: (entry) => rawDates.get(entry.filePath!) ?? rawDatesFromSource(texts.get(entry.filePath!)!),
    relatedCount: site.relatedCount,
    audioFile: (path) => {
      if (!existsSync(path) || !statSync(path).isFile()) return undefined;
      const confined = confineFile(contentDir, path);
      if ('refused' in confined) return confined;
      return { bytes: statSync(confined.path).size, contentHash: fileDigest(confined.path).slice(0, 12), source: confined.path };
    },
    publicFiles: listPublicFiles(root),
  });

  const headline = site.socialCards ? headlineCardIds(index.articles, site.headlineCards) : new Set<string>();
  const photoOf = (data: ArticleEntry['data']) => {
    const src = (data.image as { src?: unknown } | undefined)?.src;
    return typeof src === 'string' ? src : undefined;
  };
  // What a related story's card shows (src/components/listing/ArticleCard.astro): once per story, as each is in many lists.
  const cards = new Map<(typeof index.articles)[number], string>();
  const cardOf = (r: (typeof index.articles)[number]) => {
    let card = cards.get(r);
    if (card === undefined) {
      const photo = photoOf(r.entry.data);
      const photoFile = photo && resolve(dirname(r.entry.filePath!), photo);
      card = stableJson({
        path: r.path,
        title: r.entry.data.title,
        dek: r.entry.data.dek,
        kicker: r.topics[0]?.name ?? null,
        station: r.station.id,
        publishedAt: r.publishedAt.toISOString(),
        photo: photoFile && existsSync(photoFile) ? fileDigest(photoFile) : (photo ?? null),
      });
      cards.set(r, card);
    }
    return card;
  };
  // Stories share a few folders: each pair's relative path is worked out once.
  const relDirs = new Map<string, string>();
  const relDir = (from: string, to: string) => {
    const k = `${from}\0${to}`;
    let d = relDirs.get(k);
    if (d === undefined) relDirs.set(k, (d = JSON.stringify(toPosix(relative(from, to)))));
    return d;
  };
  const stories: ShardStory[] = index.articles.map((a) => {
    const file = a.entry.filePath!;
    const files = createHash('sha256').update(fileDigest(file));
    for (const n of namedFiles(named.get(file)!, contentDir)) files.update(toPosix(relative(contentDir, n))).update(fileDigest(n));
    const dir = dirname(file);
    return {
      file: toPosix(relative(root, file)),
      year: a.month.year,
      digest: storyPageDigest({
        files: digest(files),
        resolved: {
          path: a.path,
          topics: a.topics,
          byline: a.byline.map((b) => [b.name, b.author?.id ?? null]),
          station: a.station.id,
          headlineCard: headline.has(a.id),
          audio: a.audio ?? null,
        },
        // Its card, and where its folder is from this story's (the card's photo and links are relative).
        related: index.related(a).map((r) => relDir(dir, dirname(r.entry.filePath!)) + cardOf(r)),
      }),
    };
  });

  const chrome = digest(
    createHash('sha256').update(
      stableJson({
        nav: navTopics(index, site.lang),
        // The footer shows the year in each station's zone.
        years: index.stations.map((s) => [s.id, zonedParts(now, s.data.timezone).year]),
      }),
    ),
  );
  const defaultStation = index.stations.find((s) => s.id === site.defaultStation);
  if (!defaultStation) throw new Error(`src/site.config.ts: defaultStation: no station "${site.defaultStation}" in ${contentDir}/stations`);
  const years = new Map<string, number>();
  const ids = new Map<string, string>();
  for (const a of index.articles) {
    years.set(toPosix(relative(root, a.entry.filePath!)), a.month.year);
    ids.set(toPosix(relative(root, a.entry.filePath!)), a.id);
  }
  // The site's, each station's, author's and topic's feed (src/outputs/feed-response.ts).
  const feedStories = new Set<string>();
  const feeds = [
    index.articles,
    ...index.byStation.values(),
    ...index.byAuthor.values(),
    ...[...index.byTopic.values()].map((t) => t.articles),
  ];
  for (const list of feeds) for (const a of list.slice(0, site.feedItems)) feedStories.add(a.id);
  // The search index (built by the core) carries the full text of the last `search.fullTextYears` years.
  for (const a of index.articles) if (hasFullText(a, { now, fullTextYears: site.search.fullTextYears })) feedStories.add(a.id);
  return { stories, chrome, inputs: inputDigests(root, contentDir), years, timeZone: defaultStation.data.timezone, ids, feedStories };
}
