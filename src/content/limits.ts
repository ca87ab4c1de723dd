/**
 * The resource limits on content, defined once for `check:content`, the build and the tests.
 * Each guards against a file that is valid in form but would exhaust the build or the host.
 */

/** Pixels in one image. Camera photos reach about 50 MP; a decompression bomb (a small PNG of
 * 20000×20000 one-colour pixels) is refused from its header, before anything decodes it. */
export const MAX_IMAGE_PIXELS = 100_000_000;

/** The largest file a host takes: Cloudflare Pages refuses any file over 25 MiB (Netlify and S3
 * take more). One number for the content checks and `npm run verify`. */
export const MAX_HOSTED_FILE_BYTES = 25 * 1024 * 1024;

/** Bytes of one image or audio file: an original is published as is (audio) or read whole by
 * the image pipeline, so none may be larger than a host takes. */
export const MAX_ORIGINAL_BYTES = MAX_HOSTED_FILE_BYTES;

/** Blockquotes and lists inside each other. Real stories use three or four; the Markdown parser's
 * time grows with the square of the depth (a 1 MB line of `>` took 650 s), so deeper is refused
 * before parsing. */
export const MAX_NESTING_DEPTH = 16;

/** Tags on one story: each tag is a topic page, so 10,000 tags would build 10,000 pages. */
export const MAX_TAGS = 25;

/** Characters in a slug, whether written or taken from the file name. */
export const MAX_SLUG_CHARS = 100;

/** UTF-8 bytes in the name of any file or folder under content/: names reach output paths
 * (`/_astro/<name>.<hash>.webp`, `/audio/<hash>/<name>`), and file systems stop at 255. */
export const MAX_FILE_NAME_BYTES = 120;

/** Characters in a page's site path (`/news/2026/11/20/<slug>/`); with `dist/` in front and
 * `index.html` after, it must stay well inside every file system's path limit. */
export const MAX_SITE_PATH_CHARS = 200;

/**
 * Characters never allowed in a file name or a slug: C0 and C1 controls (newline, tab, escape…),
 * DEL, and the invisible bidirectional marks and overrides (U+200E/F, U+202A–E, U+2066–9) that
 * make a name display as something it is not (`evil\u202Egpj.md` shows as `evilmd.jpg`).
 */
// eslint-disable-next-line no-control-regex
export const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

export const hasUnsafeChars = (s: string) => new RegExp(UNSAFE_CHARS.source, 'u').test(s);

/** `s` with each unsafe character written as `\u{…}`, so a report prints on one line and reads as stored. */
export const escapeUnsafe = (s: string) =>
  s.replace(UNSAFE_CHARS, (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}}`);

/**
 * The deepest nesting of blockquotes and list items on any line of a Markdown body: the `>`
 * and list markers a line opens with, plus the indentation in front of a list marker (two
 * spaces a level). Linear in the body, so it can run before the parser on any input.
 * Returns the depth and the 1-based line where it is reached.
 */
export function nestingDepth(body: string): { depth: number; line: number } {
  let max = 0;
  let maxLine = 1;
  let line = 1;
  let i = 0;
  const n = body.length;
  while (i < n) {
    const lineStart = i;
    let depth = 0;
    // Container markers at the start of the line, each optionally indented and followed by spaces.
    for (;;) {
      let j = i;
      let indent = 0;
      while (j < n && (body[j] === ' ' || body[j] === '\t')) {
        indent += body[j] === '\t' ? 4 : 1;
        j++;
      }
      const c = body[j];
      let end = -1;
      if (c === '>') end = j + 1;
      else if ((c === '-' || c === '+' || c === '*') && (body[j + 1] === ' ' || body[j + 1] === '\t')) end = j + 2;
      else if (c !== undefined && c >= '0' && c <= '9') {
        let k = j;
        while (k < n && k - j < 9 && body[k]! >= '0' && body[k]! <= '9') k++;
        if ((body[k] === '.' || body[k] === ')') && (body[k + 1] === ' ' || body[k + 1] === '\t')) end = k + 2;
      }
      if (end < 0) break;
      // Indentation before the first list marker nests it under earlier items.
      if (depth === 0 && c !== '>') depth += Math.floor(indent / 2);
      depth++;
      i = end;
    }
    // `* * * * *` is a thematic break, not nesting.
    if (depth > 2 && /^[ \t]*([-*_])(?:[ \t]*\1)*[ \t]*$/.test(lineAt(body, lineStart))) depth = 0;
    if (depth > max) {
      max = depth;
      maxLine = line;
    }
    const next = body.indexOf('\n', i);
    if (next < 0) break;
    i = next + 1;
    line++;
  }
  return { depth: max, line: maxLine };
}

const lineAt = (s: string, from: number) => {
  const end = s.indexOf('\n', from);
  return s.slice(from, end < 0 ? s.length : end);
};
