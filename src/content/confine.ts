import { closeSync, existsSync, fstatSync, lstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { imageSize } from 'image-size';
import { formatBytesAgainst } from '../lib/bytes';
import { probeImage, unsupportedExtension } from '../images/probe';
import { hasUnsafeChars, MAX_IMAGE_PIXELS, MAX_ORIGINAL_BYTES } from './limits';

/**
 * Confinement: every file a story, station or author refers to (lead photo, body image, audio,
 * author photo) is resolved here, by `check:content` and again by the build, so nothing outside
 * the content folder can be published.
 *
 * Symlinks under content/ are followed only when their real target is inside content/ too:
 * the decision is made on the real path (`realpath`), which is the file that would be read, so
 * a link to a shared photo in another story's folder works, and a link to `/etc/passwd`, to
 * `~/.ssh` or to a folder beside the repo is refused however it is reached (a linked file, a
 * linked folder on the way, or `..`). Refusing every link would add nothing: a link that stays
 * inside points at a file the editor could have copied.
 */

export interface Refusal {
  message: string;
  hint: string;
}

export type Confined = { path: string } | { refused: Refusal } | { missing: string };

const inside = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
};

const realRoots = new Map<string, string>();
/** The content folder's real path (it may itself be reached through a link, e.g. a temp dir). */
function realRoot(contentDir: string): string {
  const abs = resolve(contentDir);
  let real = realRoots.get(abs);
  if (!real) {
    real = existsSync(abs) ? realpathSync(abs) : abs;
    realRoots.set(abs, real);
  }
  return real;
}

/**
 * The real path of a file under `contentDir`, or why it is refused. `file` is the absolute
 * path as found (by a walk, or from a reference).
 */
export function confineFile(contentDir: string, file: string): { path: string } | { refused: Refusal } {
  const root = resolve(contentDir);
  if (!inside(root, file))
    return { refused: { message: 'points outside the content folder', hint: 'keep the file in content/, next to the story' } };
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return { refused: { message: 'is a broken link', hint: 'replace the link with the file itself' } };
  }
  if (!inside(realRoot(contentDir), real))
    return {
      refused: {
        message: 'is a link that leads outside the content folder',
        hint: 'copy the file itself into content/ instead of linking to it',
      },
    };
  return { path: real };
}

/**
 * Resolves `ref` (a relative path written in `fromFile`, such as `./photo.jpg`) to the real path
 * of a regular file inside `contentDir`. `missing` carries the lexical path when nothing is there,
 * so callers can say "not found" with their own hint.
 */
export function confineRef(contentDir: string, fromFile: string, ref: string): Confined {
  if (hasUnsafeChars(ref) || ref.includes('\0'))
    return { refused: { message: 'contains control or invisible characters', hint: 'type the file name again' } };
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref) || isAbsolute(ref) || ref.startsWith('\\'))
    return {
      refused: { message: `${ref} must be a path from the story's folder, such as ./name.jpg`, hint: 'put the file next to the story' },
    };
  const abs = resolve(dirname(fromFile), ref);
  if (!inside(resolve(contentDir), abs))
    return { refused: { message: `${ref} points outside the content folder`, hint: 'keep the file in content/, next to the story' } };
  // lstat, not exists: a dangling link is refused, not reported as missing.
  if (!present(abs)) return { missing: abs };
  const confined = confineFile(contentDir, abs);
  if ('refused' in confined) return { refused: { ...confined.refused, message: `${ref} ${confined.refused.message}` } };
  if (!statSync(confined.path).isFile()) return { refused: { message: `${ref} is not a file`, hint: 'name a file beside the story' } };
  return confined;
}

function present(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false; // ENOTDIR: a file where a folder should be
  }
}

/** Image formats a story may use. SVG is not one: it can carry scripts, and it is served as is. */
export const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.avif', '.gif']);

export const SVG_REFUSAL: Refusal = {
  message: 'SVG images are not allowed in stories (an SVG can carry scripts that run on the site)',
  hint: 'export the chart or graphic as PNG or WebP, or embed it from an allowed host',
};

/**
 * A local image a story or author refers to (`image.src`, `photo`, `![…](./x.png)`): confined to
 * content/, a format the site resizes (never SVG), a real image of that format, under the size
 * and pixel limits. Checked by `check:content` and again by the build's Markdown plugin.
 */
export function confineImage(contentDir: string, fromFile: string, ref: string): Confined {
  const ext = extname(ref.split(/[?#]/)[0]!).toLowerCase();
  if (ext === '.svg') return { refused: { ...SVG_REFUSAL, message: `${ref}: ${SVG_REFUSAL.message}` } };
  if (!IMAGE_EXTENSIONS.has(ext)) {
    const problem = unsupportedExtension(ext);
    return { refused: { ...problem, message: `${ref} ${problem.message}` } };
  }
  const found = confineRef(contentDir, fromFile, ref);
  if (!('path' in found)) return found;
  const limit = imageLimits(found.path);
  return limit ? { refused: { ...limit, message: `${ref} ${limit.message}` } } : found;
}

/** Many stories share one photo (10,000 stories, a dozen photos in the benchmark): read each
 * header once per version of the file. */
const limitsSeen = new Map<string, Refusal | null>();
function imageLimits(file: string): Refusal | undefined {
  const { size, mtimeMs } = statSync(file);
  const key = `${file}\0${size}\0${mtimeMs}`;
  let found = limitsSeen.get(key);
  if (found === undefined) {
    found = checkOriginalSize(file) ?? checkImagePixelsIfReal(file) ?? null;
    limitsSeen.set(key, found);
  }
  return found ?? undefined;
}

/** A HEIC, a renamed, a broken or a cut-short file is named before sharp sees it (src/images/probe.ts). */
function checkImagePixelsIfReal(file: string): Refusal | undefined {
  const fd = openSync(file, 'r');
  try {
    const problem = probeImage(basename(file), fstatSync(fd).size, (offset, length) => {
      const buf = Buffer.alloc(length);
      return buf.subarray(0, readSync(fd, buf, 0, length, offset));
    });
    if (problem) return problem;
  } finally {
    closeSync(fd);
  }
  return checkImagePixels(file);
}

/** An original over the host's file limit, refused before anything reads it whole. */
export function checkOriginalSize(file: string): Refusal | undefined {
  const size = statSync(file).size;
  if (size <= MAX_ORIGINAL_BYTES) return undefined;
  const [shown, limit] = formatBytesAgainst(size, MAX_ORIGINAL_BYTES);
  return {
    message: `is ${shown}; files over ${limit} cannot be published (hosts refuse them)`,
    hint: 'export a smaller copy (a photo at 3000 px wide is plenty), or host long audio elsewhere and use an https URL',
  };
}

/** An image's pixel count from its header only (no decode), refused past `MAX_IMAGE_PIXELS`. */
export function checkImagePixels(file: string): Refusal | undefined {
  const size = statSync(file).size;
  const fd = openSync(file, 'r');
  let dims: { width?: number; height?: number } | undefined;
  try {
    // Most headers sit in the first 4 KB; a JPEG's size marker may follow a large EXIF block.
    for (const want of [4 * 1024, 256 * 1024, size]) {
      const buf = Buffer.alloc(Math.min(want, size));
      readSync(fd, buf, 0, buf.length, 0);
      try {
        dims = imageSize(buf);
        break;
      } catch {
        if (want >= size) break;
      }
    }
  } finally {
    closeSync(fd);
  }
  if (!dims?.width || !dims.height) return undefined; // an unreadable header is reported as "not a real image" elsewhere
  const pixels = dims.width * dims.height;
  if (pixels <= MAX_IMAGE_PIXELS) return undefined;
  return {
    message: `is ${dims.width}×${dims.height} pixels (${Math.round(pixels / 1e6)} megapixels); images over ${MAX_IMAGE_PIXELS / 1e6} megapixels are refused`,
    hint: 'export it at a web size, e.g. 3000 px wide',
  };
}

/** Paths under the content folder as the report shows them. */
export const posix = (p: string) => p.split(sep).join('/');
