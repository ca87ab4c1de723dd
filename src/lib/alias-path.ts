/**
 * The grammar of an alias (an old address of a story, `aliases:` in its frontmatter). An alias
 * becomes a file in `dist/` and a line in `_redirects`, so it is a plain path and nothing else:
 * segments of `A-Z a-z 0-9 - . _ ~`, with percent-escapes only for those same characters.
 * Uppercase stays allowed, because old CMS addresses have it (`/News/Story.aspx`); aliases are
 * compared case-blind (see `aliasKey`), since hosts and file systems may be. Pure functions.
 */

/** RFC 3986 unreserved characters: the only ones an alias may hold, written or percent-encoded. */
const UNRESERVED = /^[A-Za-z0-9._~-]$/;
/** Longest segment and path: a segment becomes a file or folder name, which file systems cap at 255 bytes. */
export const MAX_ALIAS_SEGMENT = 200;
export const MAX_ALIAS_LENGTH = 1000;

/** How to fix a refused alias. */
export const ALIAS_HINT = 'write the old address as a plain path, e.g. /news/2019/05/old-slug/ or /2019/05/story.html';

const shown = (s: string) =>
  JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s).replace(
    /[\p{Cf}\u2028\u2029]/gu,
    (c) => `\\u${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`,
  );
const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Which rule `path` breaks, as a message that starts with the alias, or undefined when it is a
 * grammatical alias. Rules are tried in a fixed order, so each alias is refused for the first
 * rule it breaks: `/x#y` for its fragment, never for its characters.
 */
export function aliasGrammarProblem(path: string): string | undefined {
  const s = shown(path);
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) return `${s} is a full web address; write only its path, e.g. /2019/05/story.html`;
  if (!path.startsWith('/')) return `${s} must be a path on this site starting with /, e.g. /news/2019/05/old-slug/`;
  const control = /[\p{Cc}\p{Cf}\u2028\u2029]/u.exec(path);
  if (control) return `${s} contains an invisible control character (${codePoint(control[0])})`;
  if (path.includes('\\')) return `${s} contains a backslash (\\), which browsers read as /`;
  if (path.includes('#')) return `${s} has a fragment (#…): browsers never send it, so no redirect can match it`;
  if (path.includes('?')) return `${s} has a query (?…): redirects match the path alone`;
  if (path.includes('*')) return `${s} has a splat (*): an alias is one address, never a wildcard`;
  if (path.includes(':')) return `${s} has a colon (:), which redirect rules read as a placeholder such as :splat`;
  if (path.length > MAX_ALIAS_LENGTH) return `${s} is ${path.length} characters long; an alias may have at most ${MAX_ALIAS_LENGTH}`;

  const segments = path.slice(1).split('/');
  for (let i = 0; i < segments.length; i++) {
    const raw = segments[i]!;
    const last = i === segments.length - 1;
    if (raw === '') {
      if (last) break; // the trailing slash of a folder address
      return `${s} has an empty segment (//)`;
    }
    let decoded = '';
    for (let j = 0; j < raw.length; j++) {
      const c = raw[j]!;
      if (c === '%') {
        const hex = raw.slice(j + 1, j + 3);
        if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return `${s} has a broken percent-escape (%${hex}); write the character itself`;
        const char = String.fromCharCode(parseInt(hex, 16));
        if (char === '/' || char === '\\') return `${s} encodes a slash (%${hex}) inside a segment`;
        if (char.charCodeAt(0) > 0x7f) return `${s} has %${hex}, part of a non-ASCII character; an alias holds only a-z, 0-9, - . _ ~`;
        if (!UNRESERVED.test(char)) return `${s} encodes ${JSON.stringify(char)} (%${hex}); an alias holds only a-z, 0-9, - . _ ~`;
        decoded += char;
        j += 2;
      } else if (UNRESERVED.test(c)) decoded += c;
      else if (/\s/.test(c)) return `${s} contains a space; write it as - or remove it`;
      else return `${s} contains ${JSON.stringify(c)}; an alias holds only letters, digits, - . _ ~ and /`;
    }
    if (decoded === '.' || decoded === '..') {
      return `${s} has a "${decoded}" segment${raw !== decoded ? ` (written ${raw})` : ''}, which climbs the path`;
    }
    if (decoded.startsWith('.')) return `${s} has a segment starting with a dot (${decoded}); hosts hide or refuse such files`;
    if (decoded.length > MAX_ALIAS_SEGMENT) {
      return `${s} has a segment of ${decoded.length} characters; file names may have at most ${MAX_ALIAS_SEGMENT}`;
    }
  }
  return undefined;
}

/** `%7E` → `~`: RFC 3986 makes escapes of unreserved characters equal to the characters. Only for grammatical aliases. */
const decodeUnreserved = (path: string) => path.replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/**
 * A grammatical alias as the site publishes it: escapes decoded, and a folder address given a
 * trailing `/` (`/old-slug` → `/old-slug/`); a file name with an extension (`/2019/05/story.html`)
 * stays a file.
 */
export function normaliseAlias(path: string): string {
  const p = decodeUnreserved(path);
  return p.endsWith('/') || /\.[A-Za-z0-9]+$/.test(p.slice(p.lastIndexOf('/'))) ? p : `${p}/`;
}

/**
 * What two addresses share when a host or a file system could serve one for the other: case
 * folded, escapes decoded, `…/index.html` equal to `…/`, and no trailing slash (hosts redirect
 * `/search` to `/search/`). The home page is `''`.
 */
export function aliasKey(path: string): string {
  return decodeUnreserved(path)
    .toLowerCase()
    .replace(/\/index\.html$/, '/')
    .replace(/\/+$/, '');
}

/** Whether an alias is published as a file of its own (`/2019/05/story.html`) rather than a folder's index page. */
export const isFileAlias = (normalised: string) => !normalised.endsWith('/') && !/\/index\.html$/i.test(normalised);
