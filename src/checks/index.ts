import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'astro/zod';
import type { SchemaContext } from 'astro:content';
import { closest, distance } from 'fastest-levenshtein';
import { markdownToHtml, type MarkdownToHtmlResult } from 'satteri';
import { rawDatesFromSource, type RawDates } from '../content/raw-dates';
import { CROSS_FILE_FIELDS, resolveArticles, type ArticleFields, type EntryLike } from '../data/resolve-articles';
import { listPublicFiles } from '../data/site-routes';
import { htmlPolicyPlugin, LINE_OFFSET_DATA_KEY, LOCAL_IMAGES_DATA_KEY, POLICY_DATA_KEY, type BodyProblem } from '../markdown/html-policy';
import { articleSchema } from '../schemas/article';
import { authorSchema } from '../schemas/author';
import { stationSchema } from '../schemas/station';
import type { EmbedHost } from '../site.config';
import { audioTypeForFile } from '../lib/audio';
import { checkOriginalSize, confineFile, confineImage, confineRef, IMAGE_EXTENSIONS } from '../content/confine';
import { hasUnsafeChars, MAX_FILE_NAME_BYTES, MAX_NESTING_DEPTH, nestingDepth, UNSAFE_CHARS } from '../content/limits';
import { formatDateTime } from '../lib/dates';
import { slugFromPath } from '../lib/slug';
import { frontmatterText, parseStory, parseYaml, type FieldPath } from '../content/frontmatter';
import { PLACEHOLDER_BODY, PLACEHOLDER_DEK } from '../content/new-story';
import type { ContentProblem } from '../content/problems';
import { fieldName, fieldPath, schemaProblems } from './schema-problems';

/** Stories are text; anything bigger is a mistake or an attack, and is refused unread. */
export const MAX_STORY_BYTES = 1024 * 1024;
export const MAX_FRONTMATTER_BYTES = 64 * 1024;
export const MAX_DATA_FILE_BYTES = 256 * 1024;
/** Warn past these: search engines cut longer headlines, and long deks crowd cards. */
export const HEADLINE_WARN_CHARS = 110;
export const DEK_WARN_CHARS = 200;

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
}

/** A story that passed the cross-file rules, as the build will publish it. */
export interface CheckedStory {
  /** As in problems: a path from the project root. */
  file: string;
  /** Present when the whole frontmatter is valid. */
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

/** Image files a story folder may hold (SVG is listed so a stray one is reported, not ignored). */
const IMAGE_FILES = new Set([...IMAGE_EXTENSIONS, '.svg']);
/** Text formats that look like stories but are not built. */
const STORY_LIKE = new Set(['.markdown', '.mdown', '.mkd', '.mdx', '.txt', '.text', '.rtf', '.doc', '.docx', '.html', '.htm']);

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const kb = (bytes: number) => `${Math.ceil(bytes / 1024)} KB`;
const toPosix = (p: string) => p.split(sep).join('/');

interface Listing {
  files: string[];
  dirs: string[];
}

/**
 * The files and folders directly in `dir`. A name with control or bidi characters, or too long
 * for the output paths, and a link whose real target is outside content/, are reported through
 * `refuse` and left out, so nothing reads or publishes them.
 */
function list(dir: string, contentDir: string, refuse: (abs: string, p: Omit<ContentProblem, 'file'>) => void): Listing {
  const out: Listing = { files: [], dirs: [] };
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (hasUnsafeChars(e.name)) {
      refuse(p, {
        field: 'file',
        message: 'the name contains control or invisible characters (line breaks, right-to-left overrides), which disguise what a file is',
        hint: `rename it to ${e.name.replace(UNSAFE_CHARS, '') || 'a plain name'}`,
      });
      continue;
    }
    if (Buffer.byteLength(e.name) > MAX_FILE_NAME_BYTES) {
      refuse(p, {
        field: 'file',
        message: `the name is ${Buffer.byteLength(e.name)} bytes long; names must be at most ${MAX_FILE_NAME_BYTES}`,
        hint: 'shorten the file name',
      });
      continue;
    }
    if (e.isSymbolicLink()) {
      const confined = confineFile(contentDir, p);
      if ('refused' in confined) {
        refuse(p, { field: 'file', ...confined.refused });
        continue;
      }
    }
    const isDir = e.isDirectory() || (e.isSymbolicLink() && statSync(p, { throwIfNoEntry: false })?.isDirectory());
    (isDir ? out.dirs : out.files).push(p);
  }
  out.files.sort();
  out.dirs.sort();
  return out;
}

/** Reads a file as UTF-8 text, refusing binary and oversized files. */
function readText(file: string, maxBytes: number, what: string): { text?: string; problem?: Omit<ContentProblem, 'file'> } {
  const size = statSync(file).size;
  if (size > maxBytes) {
    return {
      problem: {
        field: 'file',
        message: `is ${mb(size)}; ${what} must be under ${kb(maxBytes)}`,
        hint: 'is this the right file? split it or shorten it',
      },
    };
  }
  const bytes = readFileSync(file);
  if (bytes.includes(0)) {
    return {
      problem: {
        field: 'file',
        message: 'is not a text file (it contains binary data)',
        hint: 'save it as plain text (UTF-8) with a .md or .yaml name',
      },
    };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { problem: { field: 'file', message: 'is not valid UTF-8 text', hint: 'save it again as UTF-8 in your editor' } };
  }
}

interface StoryEntry extends EntryLike<ArticleFields> {
  filePath: string;
  rawDates: RawDates;
  lineOf(path: FieldPath): number | undefined;
}

/**
 * Checks every file under the content folder and returns every problem at once: the same
 * zod schemas as the build, the same cross-file rules (`resolveArticles`), the same Markdown
 * plugin (`htmlPolicyPlugin`), plus editor warnings. Synchronous and self-contained, so the
 * CLI and the build's pre-flight gate share it.
 */
export function checkContent(options: CheckContentOptions): CheckContentResult {
  const root = resolve(options.root);
  const contentDir = resolve(root, options.contentDir);
  const display = (abs: string) => toPosix(relative(root, abs));
  const problems: ContentProblem[] = [];
  const report = (abs: string, p: Omit<ContentProblem, 'file'>) => problems.push({ file: display(abs), ...p });
  const referencedImages = new Set<string>();
  const referencedAudio = new Set<string>();
  const audioFiles: string[] = [];

  // `image()` in the build resolves a file beside the entry; this stand-in checks the same file.
  let currentFile = '';
  const imageStandIn = () =>
    z.string().superRefine((src, ctx) => {
      const problem = checkImagePath(src, currentFile, contentDir);
      if (problem) ctx.addIssue({ code: 'custom', message: problem.message, params: { hint: problem.hint } });
      else referencedImages.add(resolve(dirname(currentFile), src));
    });
  const schemaContext = { image: imageStandIn } as unknown as SchemaContext;
  const schemas = { article: articleSchema(schemaContext), author: authorSchema(schemaContext), station: stationSchema };
  // The same schema cut to the fields other files are checked against (`resolveArticles`).
  const crossFileSchema = schemas.article
    .pick(Object.fromEntries(CROSS_FILE_FIELDS.map((k) => [k, true])) as Record<(typeof CROSS_FILE_FIELDS)[number], true>)
    .loose();

  if (!existsSync(contentDir)) {
    report(contentDir, {
      field: 'file',
      message: 'the content folder does not exist',
      hint: 'create it with articles/, stations/ and authors/ inside',
    });
    return { problems, counts: { articles: 0, stations: 0, authors: 0 }, stories: [] };
  }

  // Stations and authors: one YAML file each, named by id, directly in their folder.
  const readDataFiles = <T>(collection: 'stations' | 'authors', schema: z.ZodType<T>) => {
    const dir = join(contentDir, collection);
    const entries: { id: string; data: T }[] = [];
    if (!existsSync(dir)) {
      report(dir, {
        field: 'file',
        message: `the ${collection} folder is missing`,
        hint: `create content/${collection}/ with one .yaml file per ${collection.slice(0, -1)}`,
      });
      return entries;
    }
    const { files, dirs } = list(dir, contentDir, report);
    for (const d of dirs) {
      report(d, { field: 'file', message: 'folders are not read here', hint: `put ${collection} directly in content/${collection}/` });
    }
    for (const file of files) {
      const name = file.slice(dir.length + 1);
      const ext = extname(name).toLowerCase();
      if (name.startsWith('.')) {
        if (ext === '.yaml' || ext === '.yml')
          report(file, {
            field: 'file',
            message: 'the build skips files whose names start with a dot',
            hint: `rename it to ${name.replace(/^\.+/, '')}`,
          });
        continue;
      }
      if (collection === 'authors' && IMAGE_FILES.has(ext)) continue; // author photos
      if (ext !== '.yaml' || extname(name) !== '.yaml') {
        report(file, {
          field: 'file',
          message: 'is not read: only .yaml files are',
          hint:
            ext === '.yml' || ext === '.yaml'
              ? `rename it to ${name.slice(0, -extname(name).length)}.yaml`
              : `move it out of content/${collection}/`,
        });
        continue;
      }
      const id = name.slice(0, -'.yaml'.length);
      if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) {
        report(file, {
          field: 'file',
          message: `"${id}" is not a usable id`,
          hint: 'name the file with lowercase letters, digits and hyphens, e.g. kxpr.yaml',
        });
      }
      const { text, problem } = readText(file, MAX_DATA_FILE_BYTES, `a ${collection.slice(0, -1)} file`);
      if (problem) {
        report(file, problem);
        continue;
      }
      const yaml = parseYaml(text!);
      for (const p of yaml.problems) report(file, p);
      if (yaml.problems.length) continue;
      currentFile = file;
      const r = schema.safeParse(yaml.data ?? {});
      if (!r.success) {
        for (const p of schemaProblems(r.error.issues, yaml.data, schema, collection)) {
          report(file, { field: fieldName(p.path), message: p.message, hint: p.hint, line: yaml.lineOf(p.path) });
        }
        continue;
      }
      entries.push({ id, data: r.data });
    }
    return entries;
  };

  const stations = readDataFiles('stations', schemas.station);
  const authors = readDataFiles('authors', schemas.author);
  if (options.defaultStation && stations.length && !stations.some((s) => s.id === options.defaultStation)) {
    problems.push({
      file: 'src/site.config.ts',
      field: 'defaultStation',
      message: `no station "${options.defaultStation}" in ${display(join(contentDir, 'stations'))}/`,
      hint: `use one of: ${stations.map((s) => s.id).join(', ')}`,
    });
  }

  // Stories: every .md file under articles/, at any depth.
  const articlesDir = join(contentDir, 'articles');
  const stories: StoryEntry[] = [];
  const titles = new Map<string, string>();
  const images: string[] = [];
  const policy = htmlPolicyPlugin({ embedHosts: options.embedHosts, contentDir, onProblems: 'collect' });

  let storyFiles = 0;
  const checkStory = (file: string) => {
    storyFiles++;
    const { text, problem } = readText(file, MAX_STORY_BYTES, 'a story');
    if (problem) {
      report(file, problem);
      return;
    }
    // Measured before parsing, so a huge value costs no YAML work.
    const fmLength = frontmatterText(text!)?.length ?? 0;
    if (fmLength > MAX_FRONTMATTER_BYTES) {
      report(file, {
        field: '(frontmatter)',
        line: 1,
        message: `the frontmatter is ${kb(fmLength)}; it must be under ${kb(MAX_FRONTMATTER_BYTES)}`,
        hint: 'the story text goes after the closing ---',
      });
      return;
    }
    const story = parseStory(text!);
    for (const p of story.problems) report(file, p);

    const id = toPosix(relative(articlesDir, file)).replace(/\.md$/, '');
    let data: z.output<typeof schemas.article> | undefined;
    let crossFile: ArticleFields | undefined;
    if (story.data !== undefined) {
      currentFile = file;
      const r = schemas.article.safeParse(story.data);
      if (r.success) data = crossFile = r.data;
      else {
        for (const p of schemaProblems(r.error.issues, story.data, schemas.article)) {
          report(file, { field: fieldName(p.path), message: p.message, hint: p.hint, line: story.lineOf(p.path) });
        }
        // Still check the station, byline, dates and permalink, so every problem shows at once.
        const partial = crossFileSchema.safeParse(story.data);
        if (partial.success) crossFile = partial.data;
      }
    }

    // The body, through the same Markdown plugin the build runs.
    const start = story.body;
    const body = text!.slice(start.offset);
    // The parser's time grows with the square of the nesting depth; measure it first, in linear time.
    const nesting = nestingDepth(body);
    if (nesting.depth > MAX_NESTING_DEPTH) {
      report(file, {
        field: 'body',
        line: start.line + nesting.line - 1,
        message: `quotes and lists are nested ${nesting.depth} deep; at most ${MAX_NESTING_DEPTH} levels are allowed`,
        hint: 'remove the extra > or list markers at the start of the line',
      });
    } else {
      // The plugin's visitors are synchronous, so Sätteri returns the result directly.
      const rendered = markdownToHtml(body, {
        mdastPlugins: [policy],
        fileURL: pathToFileURL(file),
        data: { [LINE_OFFSET_DATA_KEY]: start.line - 1 },
      }) as MarkdownToHtmlResult;
      for (const p of (rendered.data[POLICY_DATA_KEY] as BodyProblem[] | undefined) ?? []) report(file, { field: 'body', ...p });
      for (const src of (rendered.data[LOCAL_IMAGES_DATA_KEY] as string[] | undefined) ?? [])
        referencedImages.add(resolve(dirname(file), src));
    }

    // Only what the cross-file rules need is kept. Their problems are rare, so the file is
    // read and parsed again to find a line, rather than holding every text and YAML tree.
    if (crossFile) {
      stories.push({
        id,
        filePath: display(file),
        data: crossFile,
        rawDates: rawDatesFromSource(text!),
        lineOf: (path) => parseStory(readFileSync(file, 'utf8')).lineOf(path),
      });
    }
    if (!data) return;
    titles.set(display(file), data.title);
    // A local audio file beside the story is published with it, like its images.
    if (data.audio && !/^https?:/i.test(data.audio.src)) {
      const src = data.audio.src;
      const found = confineRef(contentDir, file, src);
      const at = { field: 'audio.src', line: story.lineOf(['audio', 'src']) };
      if ('path' in found) {
        referencedAudio.add(resolve(dirname(file), src));
        const big = checkOriginalSize(found.path);
        if (big) report(file, { ...at, ...big, message: `${src} ${big.message}` });
      } else if ('refused' in found) report(file, { ...at, ...found.refused });
      else
        report(file, {
          ...at,
          message: `${src} was not found beside the story`,
          hint: 'put the audio file in the same folder as the story, or use an https URL with length and type',
        });
    }
    if (!body.trim())
      report(file, {
        field: 'body',
        severity: 'warning',
        line: start.line,
        message: 'the story has no text',
        hint: 'write the story below the closing ---',
      });
    if (data.title.length > HEADLINE_WARN_CHARS) {
      report(file, {
        field: 'title',
        severity: 'warning',
        line: story.lineOf(['title']),
        message: `is ${data.title.length} characters; search engines cut headlines after about ${HEADLINE_WARN_CHARS}`,
        hint: 'shorten it',
      });
    }
    if (data.dek.length > DEK_WARN_CHARS) {
      report(file, {
        field: 'dek',
        severity: 'warning',
        line: story.lineOf(['dek']),
        message: `is ${data.dek.length} characters; keep it under ${DEK_WARN_CHARS}`,
        hint: 'one or two sentences',
      });
    }
    if (!data.draft && data.dek === PLACEHOLDER_DEK) {
      report(file, {
        field: 'dek',
        severity: 'warning',
        line: story.lineOf(['dek']),
        message: 'still has the placeholder from npm run new',
        hint: 'sum up the story in one or two sentences',
      });
    }
    if (!data.draft && body.includes(PLACEHOLDER_BODY)) {
      report(file, {
        field: 'body',
        severity: 'warning',
        line: start.line + body.slice(0, body.indexOf(PLACEHOLDER_BODY)).split('\n').length - 1,
        message: 'still has the placeholder from npm run new',
        hint: 'write the story',
      });
    }
    if (!data.slug && slugMismatch(id)) {
      report(file, {
        field: 'file',
        severity: 'warning',
        message: 'the file name has capitals, spaces or accents',
        hint: `rename it to ${slugMismatch(id)}.md, or set slug:`,
      });
    }
  };

  const walkArticles = (dir: string) => {
    const { files, dirs } = list(dir, contentDir, report);
    for (const d of dirs) {
      const name = d.slice(dir.length + 1);
      if (name.startsWith('.')) {
        if (containsStories(d, contentDir))
          report(d, {
            field: 'file',
            message: 'the build skips folders whose names start with a dot, and the stories in them',
            hint: `rename it to ${name.replace(/^\.+/, '') || 'a plain name'}`,
          });
        continue;
      }
      walkArticles(d);
    }
    for (const file of files) {
      const name = file.slice(dir.length + 1);
      const ext = extname(name).toLowerCase();
      if (name.startsWith('.')) {
        // .DS_Store, .gitkeep: not content. A dotted story would be skipped silently, so say so.
        if (ext === '.md')
          report(file, {
            field: 'file',
            message: 'the build skips files whose names start with a dot',
            hint: `rename it to ${name.replace(/^\.+/, '') || 'story.md'}`,
          });
        continue;
      }
      if (extname(name) === '.md') checkStory(file);
      else if (ext === '.md' || STORY_LIKE.has(ext)) {
        report(file, {
          field: 'file',
          message: 'is not built: only files ending in .md (lowercase) are stories',
          hint: `rename it to ${name.slice(0, -extname(name).length)}.md`,
        });
      } else if (IMAGE_FILES.has(ext)) images.push(file);
      else if (audioTypeForFile(name)) audioFiles.push(file);
      else
        report(file, {
          field: 'file',
          severity: 'warning',
          message: 'is not published: only stories, their images and their audio are',
          hint: 'move it out of content/articles/',
        });
    }
  };
  if (existsSync(articlesDir)) walkArticles(articlesDir);
  else report(articlesDir, { field: 'file', message: 'the articles folder is missing', hint: 'create content/articles/' });

  for (const file of images) {
    if (!referencedImages.has(file)) {
      report(file, {
        field: 'file',
        severity: 'warning',
        message: 'is not used by any story',
        hint: 'remove it, or use it as image.src or ![…](./name) in a story',
      });
    }
  }

  for (const file of audioFiles) {
    if (!referencedAudio.has(file)) {
      report(file, {
        field: 'file',
        severity: 'warning',
        message: 'is not used by any story',
        hint: 'remove it, or use it as audio.src in a story',
      });
    }
  }

  // The rules across files, shared with the build.
  const { articles, problems: crossFile } = resolveArticles({
    articles: stories,
    stations,
    authors,
    rawDates: (entry) => entry.rawDates,
    publicFiles: listPublicFiles(root),
  });
  const byFile = new Map(stories.map((s) => [s.filePath, s]));
  for (const p of crossFile) problems.push({ ...p, line: p.line ?? byFile.get(p.file)?.lineOf(fieldPath(p.field)) });

  for (const a of articles) {
    if (a.isDraft || a.publishedAt <= options.now) continue;
    problems.push({
      file: a.entry.filePath,
      field: 'date',
      line: a.entry.lineOf(['date']),
      severity: 'warning',
      message: `is in the future: the story will publish at ${formatDateTime(a.publishedAt, a.station.data.timezone, 'en-US')}`,
      hint: 'it appears with the first build after that time',
    });
  }

  return {
    problems,
    counts: { articles: storyFiles, stations: stations.length, authors: authors.length },
    stories: articles.map((a) => ({
      file: a.entry.filePath,
      title: titles.get(a.entry.filePath),
      path: a.path,
      station: { id: a.station.id, name: a.station.data.name, timezone: a.station.data.timezone },
      publishedAt: a.publishedAt,
      isDraft: a.isDraft,
    })),
  };
}

/** The slug the build gives a file name (`Café & Bar` → `cafe-and-bar`), when it differs from the name. */
function slugMismatch(id: string): string | undefined {
  const base = id.slice(id.lastIndexOf('/') + 1);
  const slug = slugFromPath(id);
  return slug && slug !== base ? slug : undefined;
}

function containsStories(dir: string, contentDir: string): boolean {
  const { files, dirs } = list(dir, contentDir, () => {});
  return files.some((f) => f.toLowerCase().endsWith('.md')) || dirs.some((d) => containsStories(d, contentDir));
}

/** What the build's `image()` would do with `src`, checked without building. */
function checkImagePath(src: string, file: string, contentDir: string): { message: string; hint: string } | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(src)) {
    return {
      message: `must be a file beside the story, not a web address: ${src.slice(0, 60)}`,
      hint: 'save the photo, with permission, next to the .md file and write src: ./name.jpg',
    };
  }
  if (src.startsWith('/'))
    return {
      message: `must be a path from the story's folder, such as ./photo.jpg, not ${src}`,
      hint: 'put the photo next to the .md file',
    };
  const found = confineImage(contentDir, file, src);
  if ('refused' in found) return found.refused;
  if ('missing' in found) {
    const abs = found.missing;
    const dir = dirname(abs);
    const nearby = existsSync(dir) ? readdirSync(dir).filter((n) => IMAGE_EXTENSIONS.has(extname(n).toLowerCase())) : [];
    const want = src.split('/').pop()!;
    const guess = nearby.length ? closest(want, nearby) : undefined;
    const close = guess && distance(want.toLowerCase(), guess.toLowerCase()) <= Math.max(2, Math.floor(want.length / 3));
    return {
      message: `${src} is not beside the story`,
      hint: close
        ? `did you mean ./${toPosix(relative(dirname(file), join(dir, guess!)))}? Names are case-sensitive`
        : 'put the photo next to the .md file, or fix the name; names are case-sensitive',
    };
  }
  return undefined;
}
