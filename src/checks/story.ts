import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { z } from 'astro/zod';
import { markdownToHtml, type MarkdownToHtmlResult } from 'satteri';
import { posix } from '../content/confine';
import { frontmatterText, parseStory, type FieldPath } from '../content/frontmatter';
import { MAX_NESTING_DEPTH, nestingDepth } from '../content/limits';
import { rawDatesFromSource, type RawDates } from '../content/raw-dates';
import type { ArticleLike } from '../data/resolve-articles';
import { formatBytesAgainst } from '../lib/bytes';
import {
  LINE_OFFSET_DATA_KEY,
  LOCAL_IMAGES_DATA_KEY,
  POLICY_DATA_KEY,
  type BodyProblem,
  type htmlPolicyPlugin,
} from '../markdown/html-policy';
import type { articleSchema } from '../schemas/article';
import { audioProblem, imageProblems } from './assets';
import { passedFields, type Passed } from './passed-fields';
import { readText } from './read-file';
import type { Problem } from './report';
import { fieldName, schemaProblems } from './schema-problems';
import { storyWarnings } from './story-warnings';

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
  policy: ReturnType<typeof htmlPolicyPlugin>;
}

export interface StoryResult {
  problems: Problem[];
  /** Absent when the frontmatter could not be read at all. */
  entry?: StoryEntry;
  /** Images and audio files the story uses (absolute paths). */
  uses: string[];
}

/** One story file: its size, frontmatter, schema, body (through the build's Markdown plugin), audio and warnings. */
export function checkStory(file: string, c: StoryChecks): StoryResult {
  const problems: Problem[] = [];
  const uses: string[] = [];
  const read = readText(file, MAX_STORY_BYTES, 'a story');
  if ('problem' in read) return { problems: [read.problem], uses };
  const { text } = read;
  // Measured before parsing, so a huge value costs no YAML work.
  const fmBytes = Buffer.byteLength(frontmatterText(text) ?? '');
  if (fmBytes > MAX_FRONTMATTER_BYTES) {
    const [shown, limit] = formatBytesAgainst(fmBytes, MAX_FRONTMATTER_BYTES);
    problems.push({
      field: '(frontmatter)',
      line: 1,
      message: `the frontmatter is ${shown}; it must be under ${limit}`,
      hint: 'the story text goes after the closing ---',
    });
    return { problems, uses };
  }
  const story = parseStory(text);
  problems.push(...story.problems);

  let data: Passed<ArticleData> | undefined;
  const failed = new Set<string>();
  if (story.data !== undefined) {
    const r = c.schema.safeParse(story.data);
    if (r.success) data = r.data;
    else {
      for (const p of schemaProblems(r.error.issues, story.data, c.schema)) {
        problems.push({ field: fieldName(p.path), message: p.message, hint: p.hint, line: story.lineOf(p.path) });
        if (p.path.length) failed.add(String(p.path[0]));
      }
      // Every other rule runs on the fields that passed, so every problem shows at once.
      data = passedFields(c.schema.shape, story.data);
    }
    const images = imageProblems(story.data, c.imageFields, file, c.contentDir, story.lineOf);
    problems.push(...images.problems);
    uses.push(...images.images);
    for (const p of images.problems) failed.add(p.field.split('.')[0]!);
  }

  // The body, through the same Markdown plugin the build runs.
  const start = story.body;
  const body = text.slice(start.offset);
  // The parser's time grows with the square of the nesting depth; measure it first, in linear time.
  const nesting = nestingDepth(body);
  if (nesting.depth > MAX_NESTING_DEPTH) {
    problems.push({
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
    for (const p of (rendered.data[POLICY_DATA_KEY] as BodyProblem[] | undefined) ?? []) problems.push({ field: 'body', ...p });
    for (const src of (rendered.data[LOCAL_IMAGES_DATA_KEY] as string[] | undefined) ?? []) uses.push(resolve(dirname(file), src));
  }
  if (!data) return { problems, uses };

  // A local audio file beside the story is published with it, like its images.
  if (data.audio && !/^https?:/i.test(data.audio.src)) {
    const audio = audioProblem(data.audio.src, file, c.contentDir, story.lineOf(['audio', 'src']));
    if (audio.problem) problems.push(audio.problem);
    if (audio.audio) uses.push(audio.audio);
  }
  const id = posix(relative(c.articlesDir, file)).replace(/\.md$/, '');
  problems.push(...storyWarnings({ id, data, failed, body, bodyLine: start.line, lineOf: story.lineOf }));

  return {
    problems,
    uses,
    // Only what the rules across files need is kept. Their problems are rare, so the file is
    // read and parsed again to find a line, rather than holding every text and YAML tree.
    entry: {
      id,
      filePath: c.display(file),
      data,
      failed,
      rawDates: rawDatesFromSource(text),
      lineOf: (path) => parseStory(readFileSync(file, 'utf8')).lineOf(path),
    },
  };
}
