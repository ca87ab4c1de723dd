import { closeSync, fstatSync, openSync, readFileSync, readSync, type BigIntStats } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { z } from 'astro/zod';
import { markdownToHtml, type MarkdownToHtmlResult } from 'satteri';
import { posix } from '../content/confine';
import { cutStory, frontmatterText, parseStory, type FieldPath } from '../content/frontmatter';
import { MAX_NESTING_DEPTH, nestingDepth } from '../content/limits';
import { rawDatesFromFrontmatter, type RawDates } from '../content/raw-dates';
import type { ArticleLike } from '../data/resolve-articles';
import { formatBytesAgainst } from '../lib/bytes';
import {
  LINE_OFFSET_DATA_KEY,
  LOCAL_IMAGES_DATA_KEY,
  localImageProblem,
  POLICY_DATA_KEY,
  type BodyProblem,
  type DeferredImage,
  type htmlPolicyPlugin,
} from '../markdown/html-policy';
import type { articleSchema } from '../schemas/article';
import { audioProblem, checkImagePath } from './assets';
import { passedFields, type Passed } from './passed-fields';
import { decodeText, readText } from './read-file';
import type { Problem } from './report';
import { fieldName, schemaProblems, valueAt } from './schema-problems';
import { keptWarnings, warningCandidates, type WarningCandidate } from './story-warnings';

/** Stories are text; anything bigger is a mistake or an attack, and is refused unread. */
export const MAX_STORY_BYTES = 1024 * 1024;
export const MAX_FRONTMATTER_BYTES = 64 * 1024;

export type ArticleData = z.output<ReturnType<typeof articleSchema>>;

/** A story as the rules across files see it. */
export interface StoryEntry extends ArticleLike {
  filePath: string;
  data: Passed<ArticleData>;
  /** Top-level fields that failed their schema. */
  failed: ReadonlySet<string>;
  rawDates: RawDates;
  lineOf(path: FieldPath): number | undefined;
}

export interface StoryChecks {
  contentDir: string;
  articlesDir: string;
  /** A path as problems show it (from the project root). */
  display: (abs: string) => string;
  schema: ReturnType<typeof articleSchema>;
  /** Where the schema takes an image path (`imageFields`). */
  imageFields: readonly FieldPath[];
  /** Made with `deferLocalImages`: body images are checked on disk here, on every run. */
  policy: ReturnType<typeof htmlPolicyPlugin>;
}

export interface StoryResult {
  problems: Problem[];
  /** Absent when the frontmatter could not be read at all. */
  entry?: StoryEntry;
  /** Images and audio files the story uses (absolute paths). */
  uses: string[];
}

/**
 * One step of a story's report, in order: a problem its text alone decides, or a check on disk
 * (a photo or audio file it names) that runs where the step stands, on every run.
 */
export type Step =
  | { problem: Problem }
  | { fieldImage: { field: string; src: string; line?: number } }
  | { bodyImage: DeferredImage }
  | { audio: { src: string; line?: number } };

/**
 * What a story file's bytes decide, given its place under articles/ and the checker's code and
 * settings: everything but the checks on disk, which are steps. Plain data (`facts-cache.ts`
 * keeps it by content hash), so a cached run reports exactly what a fresh one does.
 */
export interface TextFacts {
  steps: Step[];
  /** Body images, as written (relative to the story). */
  bodyImages: string[];
  /** Absent when the frontmatter could not be read at all. */
  entry?: {
    data: Passed<ArticleData>;
    /** The frontmatter passed its schema: `data` is its whole output (the shard plan reads only such). */
    valid: boolean;
    failed: string[];
    rawDates: RawDates;
    warnings: WarningCandidate[];
    /** The line of `date`: a scheduled story's warning names it on every run, and the YAML is not kept. */
    dateLine?: number;
  };
}

/** `file`'s POSIX path from `dir`; the walk joins `dir` and names, so slicing is exact and `relative` is the fallback. */
export const pathUnder = (dir: string, file: string) =>
  file.startsWith(dir + sep) ? posix(file.slice(dir.length + 1)) : posix(relative(dir, file));

/** The story's id: its path under articles/ without `.md`. */
const idOf = (file: string, articlesDir: string) => pathUnder(articlesDir, file).replace(/\.md$/, '');

/** A story's bytes, or why they are not read (too big, refused unread). */
export function readStory(file: string): { bytes: Buffer; stat: BigIntStats } | { problem: Problem } {
  // One open and one stat per story: at 100,000 stories the system calls are much of a warm run.
  // The stat is taken before the read, so an edit during it moves the times the cache keeps.
  const fd = openSync(file, 'r');
  try {
    const stat = fstatSync(fd, { bigint: true });
    const size = Number(stat.size);
    if (size > MAX_STORY_BYTES) {
      const read = readText(file, MAX_STORY_BYTES, 'a story');
      if ('problem' in read) return read;
    }
    const bytes = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      const n = readSync(fd, bytes, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    return { bytes: got === size ? bytes : bytes.subarray(0, got), stat };
  } finally {
    closeSync(fd);
  }
}

/** What the story's bytes alone decide (see `TextFacts`). */
export function storyTextFacts(file: string, bytes: Uint8Array, c: StoryChecks): TextFacts {
  const steps: Step[] = [];
  const bodyImages: string[] = [];
  const problem = (p: Problem) => steps.push({ problem: p });
  const read = decodeText(bytes);
  if ('problem' in read) {
    problem(read.problem);
    return { steps, bodyImages };
  }
  const { text } = read;
  // Cut once: measured before parsing, so a huge value costs no YAML work; the raw dates come from the same text.
  const cut = cutStory(text);
  const frontmatter = frontmatterText(text, cut);
  const fmBytes = Buffer.byteLength(frontmatter ?? '');
  if (fmBytes > MAX_FRONTMATTER_BYTES) {
    const [shown, limit] = formatBytesAgainst(fmBytes, MAX_FRONTMATTER_BYTES);
    problem({
      field: '(frontmatter)',
      line: 1,
      message: `the frontmatter is ${shown}; it must be under ${limit}`,
      hint: 'the story text goes after the closing ---',
    });
    return { steps, bodyImages };
  }
  const story = parseStory(text, cut);
  for (const p of story.problems) problem(p);

  let data: Passed<ArticleData> | undefined;
  let valid = false;
  const failed = new Set<string>();
  if (story.data !== undefined) {
    const r = c.schema.safeParse(story.data);
    valid = r.success;
    if (r.success) data = r.data;
    else {
      for (const p of schemaProblems(r.error.issues, story.data, c.schema)) {
        problem({ field: fieldName(p.path), message: p.message, hint: p.hint, line: story.lineOf(p.path) });
        if (p.path.length) failed.add(String(p.path[0]));
      }
      // Every other rule runs on the fields that passed, so every problem shows at once.
      data = passedFields(c.schema.shape, story.data);
    }
    for (const path of c.imageFields) {
      const src = valueAt(story.data, path);
      if (typeof src === 'string') steps.push({ fieldImage: { field: fieldName(path), src, line: story.lineOf(path) } }); // else the schema reports it
    }
  }

  // The body, through the same Markdown plugin the build runs.
  const start = story.body;
  const body = text.slice(start.offset);
  // The parser's time grows with the square of the nesting depth; measure it first, in linear time.
  const nesting = nestingDepth(body);
  if (nesting.depth > MAX_NESTING_DEPTH) {
    problem({
      field: 'body',
      line: start.line + nesting.line - 1,
      message: `quotes and lists are nested ${nesting.depth} deep; at most ${MAX_NESTING_DEPTH} levels are allowed`,
      hint: 'remove the extra > or list markers at the start of the line',
    });
  } else {
    // The plugin's visitors are synchronous, so Sätteri returns the result directly.
    const rendered = markdownToHtml(body, {
      mdastPlugins: [c.policy],
      fileURL: pathToFileURL(file),
      data: { [LINE_OFFSET_DATA_KEY]: start.line - 1 },
    }) as MarkdownToHtmlResult;
    for (const p of (rendered.data[POLICY_DATA_KEY] as (BodyProblem | DeferredImage)[] | undefined) ?? []) {
      if ('image' in p) steps.push({ bodyImage: p });
      else problem({ field: 'body', ...p });
    }
    bodyImages.push(...((rendered.data[LOCAL_IMAGES_DATA_KEY] as string[] | undefined) ?? []));
  }
  if (!data) return { steps, bodyImages };

  // A local audio file beside the story is published with it, like its images.
  if (data.audio && !/^https?:/i.test(data.audio.src)) steps.push({ audio: { src: data.audio.src, line: story.lineOf(['audio', 'src']) } });
  const warnings = warningCandidates({ id: idOf(file, c.articlesDir), data, body, bodyLine: start.line, lineOf: story.lineOf });
  const dateLine = story.lineOf(['date']);
  return {
    steps,
    bodyImages,
    entry: {
      data,
      valid,
      failed: [...failed],
      rawDates: rawDatesFromFrontmatter(frontmatter ?? ''),
      warnings,
      ...(dateLine === undefined ? {} : { dateLine }),
    },
  };
}

/** A story's problems and entry from its text facts, with the checks on disk run now. */
export function finishStory(file: string, facts: TextFacts, c: StoryChecks): StoryResult {
  const problems: Problem[] = [];
  const uses: string[] = [];
  const failed = new Set(facts.entry?.failed);
  const dir = dirname(file);
  // Only the lines of a problem found on disk need the YAML again: it is read then, not kept.
  for (const step of facts.steps) {
    if ('problem' in step) problems.push(step.problem);
    else if ('fieldImage' in step) {
      const { field, src, line } = step.fieldImage;
      const problem = checkImagePath(src, file, c.contentDir);
      if (problem) {
        problems.push({ field, line, ...problem });
        failed.add(field.split('.')[0]!);
      }
      // Named even when refused, so the file is not also called unused.
      uses.push(resolve(dir, src));
    } else if ('bodyImage' in step) {
      const { line, image } = step.bodyImage;
      const p = localImageProblem(c.contentDir, file, image.path, image.url);
      if (p) problems.push({ field: 'body', ...p, line });
    } else {
      const audio = audioProblem(step.audio.src, file, c.contentDir, step.audio.line);
      if (audio.problem) problems.push(audio.problem);
      if (audio.audio) uses.push(audio.audio);
    }
  }
  for (const src of facts.bodyImages) uses.push(resolve(dir, src));
  const e = facts.entry;
  if (!e) return { problems, uses };
  problems.push(...keptWarnings(e.warnings, failed));
  return {
    problems,
    uses,
    // Only what the rules across files need is kept. Their problems are rare, so the file is
    // read and parsed again to find a line, rather than holding every text and YAML tree.
    entry: {
      id: idOf(file, c.articlesDir),
      filePath: c.display(file),
      data: e.data,
      failed,
      rawDates: e.rawDates,
      lineOf: (path) =>
        path.length === 1 && path[0] === 'date' && e.dateLine !== undefined
          ? e.dateLine
          : parseStory(readFileSync(file, 'utf8')).lineOf(path),
    },
  };
}

/** One story file: its size, frontmatter, schema, body (through the build's Markdown plugin), photos, audio and warnings. */
export function checkStory(file: string, c: StoryChecks): StoryResult {
  const read = readStory(file);
  if ('problem' in read) return { problems: [read.problem], uses: [] };
  return finishStory(file, storyTextFacts(file, read.bytes, c), c);
}
