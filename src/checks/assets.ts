import { existsSync, readdirSync } from 'node:fs';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { z } from 'astro/zod';
import type { SchemaContext } from 'astro:content';
import { closest, distance } from 'fastest-levenshtein';
import { checkOriginalSize, confineImage, confineRef, IMAGE_EXTENSIONS, posix } from '../content/confine';
import type { FieldPath } from '../content/frontmatter';
import type { Problem, Report } from './report';
import { fieldName, valueAt } from './schema-problems';
import { pathsTo } from './schema-walk';

/**
 * `image()` in the build resolves a file beside the entry. The checker's schemas get this plain
 * string instead, so one schema serves every file; `imageProblems` then checks each path where
 * it stands (found with `imageFields`) against the file being checked.
 */
const IMAGE_STAND_IN = z.string();
export const checkerSchemaContext = { image: () => IMAGE_STAND_IN } as unknown as SchemaContext;

/** Where a schema built with `checkerSchemaContext` takes an image path (`['image', 'src']`). */
export const imageFields = (schema: unknown) => pathsTo(schema, IMAGE_STAND_IN);

/** What the build's `image()` would do with `src`, checked without building. */
export function checkImagePath(src: string, file: string, contentDir: string): { message: string; hint: string } | undefined {
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
        ? `did you mean ./${posix(relative(dirname(file), join(dir, guess!)))}? Names are case-sensitive`
        : 'put the photo next to the .md file, or fix the name; names are case-sensitive',
    };
  }
  return undefined;
}

/** The image paths in a file's fields (`data` as parsed from YAML), checked; the images found are returned. */
export function imageProblems(
  data: unknown,
  fields: readonly FieldPath[],
  file: string,
  contentDir: string,
  lineOf: (path: FieldPath) => number | undefined,
): { problems: Problem[]; images: string[] } {
  const problems: Problem[] = [];
  const images: string[] = [];
  for (const path of fields) {
    const src = valueAt(data, path);
    if (typeof src !== 'string') continue; // the schema reports it
    const problem = checkImagePath(src, file, contentDir);
    if (problem) problems.push({ field: fieldName(path), line: lineOf(path), ...problem });
    // Named even when refused, so the file is not also called unused.
    images.push(resolve(dirname(file), src));
  }
  return { problems, images };
}

/** A local audio file named by `audio.src`: beside the story, inside content/, not too big. */
export function audioProblem(
  src: string,
  file: string,
  contentDir: string,
  line: number | undefined,
): { problem?: Problem; audio?: string } {
  const found = confineRef(contentDir, file, src);
  const at = { field: 'audio.src', line };
  if ('path' in found) {
    const big = checkOriginalSize(found.path);
    return { audio: resolve(dirname(file), src), problem: big && { ...at, ...big, message: `${src} ${big.message}` } };
  }
  if ('refused' in found) return { problem: { ...at, ...found.refused } };
  return {
    problem: {
      ...at,
      message: `${src} was not found beside the story`,
      hint: 'put the audio file in the same folder as the story, or use an https URL with length and type',
    },
  };
}

/** Images and audio under articles/ that no story uses: published for nothing, or forgotten. */
export function reportUnused(files: { images: string[]; audio: string[] }, used: ReadonlySet<string>, report: Report) {
  for (const file of files.images) {
    if (!used.has(file)) {
      report(file, {
        field: 'file',
        severity: 'warning',
        message: 'is not used by any story',
        hint: 'remove it, or use it as image.src or ![…](./name) in a story',
      });
    }
  }
  for (const file of files.audio) {
    if (!used.has(file)) {
      report(file, {
        field: 'file',
        severity: 'warning',
        message: 'is not used by any story',
        hint: 'remove it, or use it as audio.src in a story',
      });
    }
  }
}
