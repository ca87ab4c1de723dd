/**
 * URLs from content and settings that reach an `href`, a `src` or a response header (stream
 * and donate links, author links, a story's source, the site's own address). Each is parsed as
 * a browser parses it, and kept only when its scheme is allowed and its host is a plain domain
 * name or IP address: a host such as `x.example;sandbox` parses, but would inject a directive
 * into the Content-Security-Policy built from it. Pure; returns the problem, or undefined.
 */

/** A DNS name as URL parsing leaves it (lowercase, punycode), an IPv4 address, or a bracketed IPv6 one. */
const DOMAIN = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const IPV6 = /^\[[0-9a-f:.]+\]$/;

/** Whether a parsed URL's host can be written into a header as is. */
export const isPlainHost = (hostname: string) => DOMAIN.test(hostname) || IPV6.test(hostname);

/** Control, format (bidi overrides, zero-width) and space characters: never part of a URL an editor means. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Z}]/u;

export type Scheme = 'https:' | 'http:';

export interface WebUrlRules {
  /** Schemes allowed for an absolute URL. */
  schemes: readonly Scheme[];
  /** A path on the site itself (`/test-audio/live.mp3`), served from the site's own origin. */
  rootRelative?: boolean;
}

const shown = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);

/** What is wrong with `raw` as a URL under `rules`, in words for the editor; undefined when it is fine. */
export function webUrlProblem(raw: string, rules: WebUrlRules): string | undefined {
  const wanted = `an ${rules.schemes.map((s) => `${s}//`).join(' or ')} URL${rules.rootRelative ? ', or a path on this site such as /live.mp3' : ''}`;
  const bad = INVISIBLE.exec(raw);
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return `${shown(raw)} contains ${bad[0] === ' ' ? 'a space' : `an invisible character (U+${code})`}; a web address has none`;
  }
  if (raw.includes('\\')) return `${shown(raw)} contains a backslash (\\), which browsers read as /`;
  if (raw.startsWith('/')) {
    if (raw.startsWith('//')) return `${shown(raw)} starts with //, which browsers read as another site's address; write ${wanted}`;
    if (!rules.rootRelative) return `${shown(raw)} is a path; write ${wanted}`;
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `${shown(raw)} is not a web address; write ${wanted}`;
  }
  if (!(rules.schemes as readonly string[]).includes(url.protocol))
    return `${shown(raw)} uses ${url.protocol}, which is not allowed here; write ${wanted}`;
  // `https:example.org` and `https:/example.org` parse too; only the usual form is meant.
  if (!raw.toLowerCase().startsWith(`${url.protocol}//`)) return `${shown(raw)} must start with ${url.protocol}//`;
  if (url.username || url.password)
    return `${shown(raw)} has a user name or password before the host, which browsers warn about; remove it`;
  if (!isPlainHost(url.hostname)) return `${shown(raw)} has "${url.hostname}" as its host, which is not a domain name`;
  return undefined;
}
