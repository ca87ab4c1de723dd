import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { posix } from '../content/confine';
import type { ContentProblem } from '../content/problems';
import { resolveArticles } from '../data/resolve-articles';
import { listPublicFiles } from '../data/site-routes';
import { htmlPolicyPlugin } from '../markdown/html-policy';
import { articleSchema } from '../schemas/article';
import { authorSchema } from '../schemas/author';
import { stationSchema } from '../schemas/station';
import type { EmbedHost } from '../site.config';
import { checkerSchemaContext, imageFields, reportUnused } from './assets';
import { readDataFiles } from './data-files';
import type { Report } from './report';
import { fieldPath } from './schema-problems';
import type { FactsCache } from './facts-cache';
import { finishStory, pathUnder, readStory, storyTextFacts, type StoryEntry } from './story';
import { scheduledWarnings } from './story-warnings';
import { walkArticles } from './walk';

export interface CheckContentOptions {
  /** The content folder (with articles/, stations/, authors/). */
  contentDir: string;
  /** Paths in the report are relative to this (the project root). */
  root: string;
  /** Stories dated after this are reported as scheduled. */
  now: Date;
  embedHosts: readonly EmbedHost[];
  /** The site's default station, which must exist. */
  defaultStation?: string;
  /** What unchanged stories' text decided on an earlier run (`facts-cache.ts`); made with the same `embedHosts`. */
  cache?: FactsCache;
}

/** A story that passed the cross-file rules, as the build will publish it. */
export interface CheckedStory {
  /** As in problems: a path from the project root. */
  file: string;
  /** Present when the title is valid. */
  title?: string;
  /** The permalink path the data layer gives it (`resolveArticles`). */
  path: string;
  station: { id: string; name: string; timezone: string };
  publishedAt: Date;
  isDraft: boolean;
}

export interface CheckContentResult {
  problems: ContentProblem[];
  counts: { articles: number; stations: number; authors: number };
  /** Every story the build would resolve, drafts and scheduled ones included. */
  stories: CheckedStory[];
}

// One schema of each kind for every file: building a schema per file costs more than parsing with it.
const schemas = {
  article: articleSchema(checkerSchemaContext),
  author: authorSchema(checkerSchemaContext),
  station: stationSchema,
};
const articleImageFields = imageFields(schemas.article);

/**
 * Checks every file under the content folder and returns every problem at once: the same
 * zod schemas as the build, the same cross-file rules (`resolveArticles`), the same Markdown
 * plugin (`htmlPolicyPlugin`), plus editor warnings. Synchronous and self-contained, so the
 * CLI and the build's pre-flight gate share it.
 */
export function checkContent(options: CheckContentOptions): CheckContentResult {
  const root = resolve(options.root);
  const contentDir = resolve(root, options.contentDir);
  // Each story's path is shown from the root: `relative` once per folder, not per story.
  const shownDirs = new Map<string, string>();
  const display = (abs: string) => {
    const cut = abs.lastIndexOf(sep);
    const name = abs.slice(cut + 1);
    if (cut <= 0 || !name || name === '.' || name === '..') return posix(relative(root, abs));
    const dir = abs.slice(0, cut);
    let shown = shownDirs.get(dir);
    if (shown === undefined) shownDirs.set(dir, (shown = posix(relative(root, dir))));
    return shown ? `${shown}/${name}` : posix(relative(root, abs));
  };
  const problems: ContentProblem[] = [];
  const report: Report = (abs, p) => problems.push({ file: display(abs), ...p });

  if (!existsSync(contentDir)) {
    report(contentDir, {
      field: 'file',
      message: 'the content folder does not exist',
      hint: 'create it with articles/, stations/ and authors/ inside',
    });
    return { problems, counts: { articles: 0, stations: 0, authors: 0 }, stories: [] };
  }

  const stations = readDataFiles('stations', schemas.station, contentDir, report);
  const authors = readDataFiles('authors', schemas.author, contentDir, report);
  if (options.defaultStation && stations.length && !stations.some((s) => s.id === options.defaultStation)) {
    problems.push({
      file: 'src/site.config.ts',
      field: 'defaultStation',
      message: `no station "${options.defaultStation}" in ${display(join(contentDir, 'stations'))}/`,
      hint: `use one of: ${stations.map((s) => s.id).join(', ')}`,
    });
  }

  const articlesDir = join(contentDir, 'articles');
  if (!existsSync(articlesDir))
    report(articlesDir, { field: 'file', message: 'the articles folder is missing', hint: 'create content/articles/' });
  const files = existsSync(articlesDir) ? walkArticles(articlesDir, contentDir, report) : { stories: [], images: [], audio: [] };

  const policy = htmlPolicyPlugin({ embedHosts: options.embedHosts, contentDir, onProblems: 'collect', deferLocalImages: true });
  const checks = { contentDir, articlesDir, display, schema: schemas.article, imageFields: articleImageFields, policy };
  const entries: StoryEntry[] = [];
  const used = new Set<string>();
  const cache = options.cache;
  for (const file of files.stories) {
    const rel = cache && pathUnder(contentDir, file);
    // An unchanged stat (size, times, inode) vouches for the bytes, as in git's index: the story is not read.
    const stat = cache && statSync(file, { bigint: true, throwIfNoEntry: false });
    let facts = stat && cache!.byStat(rel!, stat);
    let story;
    if (!facts) {
      const read = readStory(file);
      if ('problem' in read) story = { problems: [read.problem], uses: [] };
      else {
        const key = cache?.key(rel!, read.bytes);
        facts = key === undefined ? undefined : cache!.get(key);
        if (!facts) {
          facts = storyTextFacts(file, read.bytes, checks);
          if (key !== undefined) cache!.set(key, facts);
        }
        if (key !== undefined) cache!.noteStat(rel!, read.stat, key);
      }
    }
    // The checks on disk and the rules across files run every time, cached facts or not.
    story ??= finishStory(file, facts!, checks);
    for (const p of story.problems) report(file, p);
    for (const u of story.uses) used.add(u);
    if (story.entry) entries.push(story.entry);
  }
  reportUnused(files, used, report);

  // The rules across files, shared with the build.
  const resolved = resolveArticles({
    articles: entries,
    stations,
    authors,
    rawDates: (entry) => entry.rawDates,
    publicFiles: listPublicFiles(root),
    failedFields: (entry) => entry.failed,
  });
  const byFile = new Map(entries.map((s) => [s.filePath, s]));
  for (const p of resolved.problems) problems.push({ ...p, line: p.line ?? byFile.get(p.file)?.lineOf(fieldPath(p.field)) });
  problems.push(...scheduledWarnings(resolved.articles, options.now));

  return {
    problems,
    counts: { articles: files.stories.length, stations: stations.length, authors: authors.length },
    stories: resolved.articles.map((a) => ({
      file: a.entry.filePath,
      title: a.entry.data.title,
      path: a.path,
      station: { id: a.station.id, name: a.station.data.name ?? a.station.id, timezone: a.station.data.timezone },
      publishedAt: a.publishedAt,
      isDraft: a.isDraft,
    })),
  };
}
