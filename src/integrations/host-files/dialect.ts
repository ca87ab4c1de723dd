import { parseAllHeaders, type Header } from '@netlify/headers-parser';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isHost, type Host } from '../../lib/host.ts';
import { DIALECT_PATTERN, HOST_LIMITS } from './policy.ts';

/**
 * `_headers` read back as its host reads it: which rules match a path, and the headers a
 * response on that path ends with. `npm run verify` reads the dialect the file was written in
 * (its `# Dialect:` line, from the site setting `host`); tests read both dialects.
 */

export interface ReadRule {
  path: string;
  /** Header name → value, as the rule sets them. */
  values: Record<string, string>;
  /** Header names the rule detaches (Cloudflare's `! Name`). */
  detach: string[];
  /** Whether the rule applies to a request for `path` (on `hostname`, for Cloudflare's absolute rules). */
  matches: (path: string, hostname?: string) => boolean;
}

export interface HostHeaders {
  host: Host;
  text: string;
  rules: ReadRule[];
  errors: string[];
  /** What a response on `path` ends with, header names lower-cased. */
  headersFor: (path: string, hostname?: string) => Record<string, string>;
}

// ---------------------------------------------------------------------------------------
// Cloudflare Pages

/**
 * A model of Cloudflare Pages' `_headers`, from its documentation (developers.cloudflare.com,
 * Pages → Configuration → Headers) and, where the page is silent, the open-source asset server
 * that applies it (cloudflare/workers-sdk: workers-shared/utils/configuration/parseHeaders.ts,
 * constructConfiguration.ts; pages-shared/asset-server/rulesEngine.ts; asset-worker/src/utils/headers.ts):
 *
 * - "Header rules are defined in multi-line blocks. The first line of a block is the URL or URL
 *   pattern where the rule's headers should be applied. On the next line, an indented list of
 *   header names and header values must be written"; lines starting with `#` are comments.
 * - "An incoming request which matches multiple rules' URL patterns will inherit all rules' headers."
 * - "If a header is applied twice in the `_headers` file, the values are joined with a comma separator."
 * - "Detach a header: You may wish to remove a header which has been added by a more pervasive
 *   rule. This can be done by prepending an exclamation mark `!`." (`! Content-Security-Policy`)
 * - "A project is limited to 100 header rules. Each line in the `_headers` file has a 2,000
 *   character limit."
 * - Splats: "a splat pattern — signified by an asterisk (`*`) — will greedily match all
 *   characters"; placeholders `:name` match one path segment; absolute `https://host/…` rules
 *   match the request's host and path.
 * - From the code: rules apply in file order; within a matching rule its detaches run before its
 *   headers are set; a rule for a path already seen replaces that rule's content (rules are kept
 *   by path) at the first one's place.
 */
export function parseCloudflareHeaders(text: string): { rules: ReadRule[]; errors: string[] } {
  const byPath = new Map<string, ReadRule>();
  const errors: string[] = [];
  let current: ReadRule | undefined;
  let count = 0;
  const close = () => {
    if (!current) return;
    if (Object.keys(current.values).length || current.detach.length) byPath.set(current.path, current);
    else errors.push(`${current.path}: no headers specified`);
  };
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line.length > HOST_LIMITS.headerLine) {
      errors.push(`line ${i + 1} is ${line.length} characters; Cloudflare Pages ignores lines over ${HOST_LIMITS.headerLine}`);
      continue;
    }
    if (line.startsWith('/') || /^[^\s]+:\/\//.test(line)) {
      close();
      if (++count > HOST_LIMITS.headerRules) {
        errors.push(`has over ${HOST_LIMITS.headerRules} rules; Cloudflare Pages skips the rest from line ${i + 1}`);
        current = undefined;
        break;
      }
      current = { path: line, values: {}, detach: [], matches: cloudflareMatcher(line) };
      continue;
    }
    if (!current) {
      errors.push(`line ${i + 1}: a header before any path`);
      continue;
    }
    if (!line.includes(':')) {
      if (line.startsWith('! ')) current.detach.push(line.slice(2).trim().toLowerCase());
      else errors.push(`line ${i + 1}: "${line}" is neither "name: value" nor "! name"`);
      continue;
    }
    const at = line.indexOf(':');
    const name = line.slice(0, at).trim().toLowerCase();
    const value = line.slice(at + 1).trim();
    if (!name || !value || name.includes(' ')) {
      errors.push(`line ${i + 1}: "${line}" is not a "name: value" header`);
      continue;
    }
    current.values[name] = current.values[name] ? `${current.values[name]}, ${value}` : value;
  }
  close();
  return { rules: [...byPath.values()], errors };
}

const escapeRegExp = (s: string) => s.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&');

/** A rule's pattern as Cloudflare matches it: `*` greedy, `:name` one segment (one label in a host), anchored. */
function cloudflareMatcher(pattern: string): ReadRule['matches'] {
  const absolute = pattern.startsWith('https://');
  const hostEnd = absolute ? pattern.indexOf('/', 'https://'.length) : 0;
  const host = absolute ? pattern.slice('https://'.length, hostEnd < 0 ? undefined : hostEnd) : '';
  const path = absolute ? (hostEnd < 0 ? '' : pattern.slice(hostEnd)) : pattern;
  const toRegExp = (part: string, placeholder: string) =>
    part
      .split('*')
      .map((p) => escapeRegExp(p).replace(/:[A-Za-z]\w*/g, placeholder))
      .join('.*');
  const re = new RegExp(`^${absolute ? `https://${toRegExp(host, '[^/.]+')}` : ''}${toRegExp(path, '[^/]+')}$`);
  return (requestPath, hostname = 'localhost') => re.test(absolute ? `https://${hostname}${requestPath}` : requestPath);
}

/** The headers a response on `path` ends with: every matching rule in order; detach, then set or join. */
export function cloudflareHeadersFor(rules: readonly ReadRule[], path: string, hostname?: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rule of rules) {
    if (!rule.matches(path, hostname)) continue;
    for (const name of rule.detach) delete out[name];
    for (const [name, value] of Object.entries(rule.values)) out[name] = name in out ? `${out[name]}, ${value}` : value;
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Netlify (and S3, whose publish script and CDK stack read `_headers` with Netlify's parser)

/**
 * Netlify's own parser, and its headers engine's rule (`@netlify/headers`, "TypeScript
 * implementation of Netlify's headers engine": `headersForPath` spreads every matching rule's
 * values in file order), so of a header two matching rules give, the later one's value is sent.
 * A `! Name` line means nothing to Netlify (its parser drops a line without a colon), so it is an
 * error here: the file was written for Cloudflare Pages.
 */
export async function parseNetlifyHeaders(file: string, text: string): Promise<{ rules: ReadRule[]; errors: string[] }> {
  const { headers, errors } = await parseAllHeaders({ headersFiles: [file], configHeaders: [], minimal: false });
  const detaches = text
    .split('\n')
    .map((line, i) => [line.trim(), i + 1] as const)
    .filter(([line]) => line.startsWith('!'))
    .map(([line, n]) => `line ${n}: "${line}" is Cloudflare's detach; Netlify ignores it (the file was written for another host)`);
  return {
    rules: (headers as Header[]).map((h) => ({
      path: h.for,
      values: Object.fromEntries(Object.entries(h.values).map(([k, v]) => [k.toLowerCase(), v])),
      detach: [],
      matches: (path: string) => h.forRegExp.test(path),
    })),
    errors: [...errors.map((e) => e.message), ...detaches],
  };
}

export const netlifyHeadersFor = (rules: readonly ReadRule[], path: string): Record<string, string> =>
  Object.assign({}, ...rules.filter((r) => r.matches(path)).map((r) => r.values)) as Record<string, string>;

// ---------------------------------------------------------------------------------------

/** The host `_headers` says it was written for, if it says so. */
export function dialectOf(text: string): Host | undefined {
  const named = DIALECT_PATTERN.exec(text)?.[1];
  return named && isHost(named) ? named : undefined;
}

/** `dist/_headers` read in `host`'s dialect (default: the one it was written for); undefined when missing. */
export async function readHostHeaders(dist: string, host?: Host): Promise<HostHeaders | undefined> {
  const file = join(dist, '_headers');
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const dialect = host ?? dialectOf(text) ?? 'netlify';
  const { rules, errors } = dialect === 'cloudflare-pages' ? parseCloudflareHeaders(text) : await parseNetlifyHeaders(file, text);
  return {
    host: dialect,
    text,
    rules,
    errors,
    headersFor: (path, hostname) =>
      dialect === 'cloudflare-pages' ? cloudflareHeadersFor(rules, path, hostname) : netlifyHeadersFor(rules, path),
  };
}
