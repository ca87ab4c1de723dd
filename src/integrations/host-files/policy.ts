import type { Redirect } from '../../data/site-index.ts';
import type { StationData } from '../../schemas/station.ts';
import { reservedBy } from '../../data/site-routes.ts';
import { aliasGrammarProblem, aliasKey } from '../../lib/alias-path.ts';
import { redirectFile } from '../../outputs/redirect-page.ts';
import { urlPathOf } from '../../lib/dist-path.ts';
import { isPlainHost } from '../../lib/web-url.ts';
import { SEARCH_ARCHIVE_DIR, SEARCH_BUNDLE_DIR } from '../../lib/search-params.ts';
import { isHls } from '../../client/live-player/stream.ts';
import type { PageScan, Source } from './scan.ts';
import type { Host } from '../../lib/host.ts';

/**
 * What a CDN must send with each file of the built site, derived from `dist/` itself:
 * Cache-Control per path type, security headers, and the alias redirects. Pure functions,
 * shared by the build integration, `npm run verify` and `npm run publish:s3`.
 */

// ---------------------------------------------------------------------------------------
// Cache-Control

export type CacheClass = 'immutable' | 'revalidate' | 'static';

export const CACHE_CONTROL: Record<CacheClass, string> = {
  // Content-hashed names: a changed file gets a new name, so a copy never goes stale.
  immutable: 'public, max-age=31536000, immutable',
  // Pages, feeds, sitemaps and the search entry point change with every publish (scheduled
  // builds run every 15 minutes): browsers recheck after a minute and may show the cached copy
  // for ten more while they fetch the new one. Deploys purge the CDN's own copies.
  revalidate: 'public, max-age=60, stale-while-revalidate=600',
  // Unhashed files from public/ (favicon, robots images) rarely change.
  static: 'public, max-age=86400, stale-while-revalidate=604800',
};

/** Files the host reads as configuration; they are not served. */
export const HOST_FILES = ['_headers', '_redirects'] as const;

const DOCUMENT_EXTENSIONS = /\.(html?|xml|rss|atom|xsl|json|txt|webmanifest)$/i;
/** Pagefind names its index shards by content hash; its entry files keep fixed names. Older search
 * eras sit in folders named by their content (src/outputs/search-index.ts). */
const PAGEFIND_HASHED = new RegExp(`^${SEARCH_BUNDLE_DIR}/(?:${SEARCH_ARCHIVE_DIR}/|(?:fragment|index|filter)/|pagefind\\.[^/]+\\.pf_meta$)`);

/**
 * The cache class of a file, by its path relative to `dist/` (POSIX separators).
 * `hashedDirs` are directories whose file names carry a content hash (Astro's `_astro/`).
 */
export function cacheClassOf(file: string, hashedDirs: readonly string[]): CacheClass {
  if (hashedDirs.some((dir) => file.startsWith(dir))) return 'immutable';
  if (file.startsWith(`${SEARCH_BUNDLE_DIR}/`)) return PAGEFIND_HASHED.test(file) ? 'immutable' : 'revalidate';
  // The web editor's files keep fixed names across Decap upgrades.
  if (file.startsWith('admin/')) return 'revalidate';
  if (DOCUMENT_EXTENSIONS.test(file)) return 'revalidate';
  return 'static';
}

/** Re-exported for the verify checks that import it from here; new code imports src/lib/dist-path.ts. */
export { urlPathOf };

export interface HeaderRule {
  /** A `_headers` path pattern: exact, or a directory ending in `/*`. */
  path: string;
  headers: [name: string, value: string][];
  /**
   * These headers replace those an earlier, broader rule gives (the site's CSP under /admin/).
   * Netlify already lets the later rule win; Cloudflare Pages joins them, so there the rule
   * first detaches each one (`! Name`, see `renderHeaders`).
   */
  replaces?: boolean;
}

interface DirNode {
  files: string[];
  dirs: Map<string, DirNode>;
  classes: Set<CacheClass>;
}

/**
 * One Cache-Control rule per path type, with no two rules matching one URL: hosts combine
 * every matching rule (Cloudflare Pages joins repeated headers with commas, Netlify lets the
 * last one win), so overlapping Cache-Control rules would give muddled or order-dependent
 * headers. A directory whose files all share a class gets one `/dir/*` rule; a mixed
 * directory gets exact rules for its own files and recurses into its subdirectories.
 */
export function cacheRules(files: readonly string[], classOf: (file: string) => CacheClass): HeaderRule[] {
  const root: DirNode = { files: [], dirs: new Map(), classes: new Set() };
  for (const file of files) {
    const cls = classOf(file);
    const parts = file.split('/');
    let node = root;
    node.classes.add(cls);
    for (const part of parts.slice(0, -1)) {
      let child = node.dirs.get(part);
      if (!child) node.dirs.set(part, (child = { files: [], dirs: new Map(), classes: new Set() }));
      child.classes.add(cls);
      node = child;
    }
    node.files.push(file);
  }

  const rules: HeaderRule[] = [];
  const rule = (path: string, cls: CacheClass) => rules.push({ path, headers: [['Cache-Control', CACHE_CONTROL[cls]]] });
  const visit = (node: DirNode, prefix: string) => {
    for (const file of [...node.files].sort()) rule(urlPathOf(file), classOf(file));
    // Netlify reads `/news/*` as `^/news/?(.*)`, so it also matches siblings such as
    // `/news-sitemap.xml`; a directory with such a sibling gets no wildcard of its own (two rules
    // on one file, even of one value, are what `npm run verify` refuses).
    const names = [...node.files.map((f) => f.slice(prefix.length)), ...node.dirs.keys()];
    const shadowsSibling = (name: string) => names.some((n) => n !== name && n.startsWith(name));
    for (const [name, child] of [...node.dirs].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const dir = `${prefix}${name}/`;
      const [only] = child.classes;
      if (child.classes.size === 1 && only && !shadowsSibling(name)) rule(`/${dir}*`, only);
      else visit(child, dir);
    }
  };
  visit(root, '');
  return rules;
}

// ---------------------------------------------------------------------------------------
// Security headers and the Content-Security-Policy

/** What the build knows that the HTML does not show: emitted by the build-data endpoint. */
export interface BuildData {
  redirects: Redirect[];
  /** Every published story's permalink, which no redirect may replace. */
  permalinks: string[];
  /** Every station's stream sources, whatever page they appear on. */
  streams: StationData['stream'];
  /** Hosts a site setting allows embeds from, if the site has such a setting. */
  embedHosts: string[];
  /** A preview build (drafts, scheduled stories): every response says `X-Robots-Tag: noindex`. */
  preview?: boolean;
}

export interface CspInput {
  scan: PageScan;
  streams: BuildData['streams'];
  embedHosts: readonly string[];
  /** Pagefind compiles WebAssembly, which CSP blocks without 'wasm-unsafe-eval'. */
  hasPagefind: boolean;
  /** Sources a page adds at run time that no built file shows. */
  extra?: Partial<Record<string, readonly string[]>>;
}

/** HLS plays through Media Source Extensions outside Safari: hls.js feeds the audio element a
 * `blob:` URL (it transmuxes on the page: no worker). */
export const usesHls = (streams: BuildData['streams']) => streams.some(isHls);

const SOURCE_ORDER = (s: string) => (s === "'self'" ? 0 : s.startsWith("'") && !s.startsWith("'sha") ? 1 : s.startsWith("'sha") ? 3 : 2);
const sortSources = (sources: Iterable<Source>) =>
  [...new Set(sources)].sort((a, b) => SOURCE_ORDER(a) - SOURCE_ORDER(b) || (a < b ? -1 : a > b ? 1 : 0));

/** The origin of a stream URL as a CSP source: a path on the site is the site itself. Built from
 * the parsed origin only, and refused unless that is a plain https origin: a raw string such as
 * `https://x.example;sandbox/live.mp3` would otherwise add a directive to the policy. */
export function originSource(url: string): Source {
  if (/^\/(?![/\\])/.test(url)) return "'self'";
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || !isPlainHost(parsed.hostname)) {
    throw new Error(
      `host-files: the stream URL ${JSON.stringify(url)} is not a plain https:// URL; run npm run check:content to see which station`,
    );
  }
  return parsed.origin;
}

/** An embed host setting (`www.youtube.com` or `https://player.vimeo.com`) as a CSP source. */
const hostSource = (host: string): Source => new URL(/^https?:\/\//.test(host) ? host : `https://${host}`).origin;

/** Source expressions a policy may hold (CSP Level 3 grammar, narrowed to what Masthead writes). */
const SOURCE_EXPRESSION = new RegExp(
  [
    "'(?:self|none|wasm-unsafe-eval|unsafe-inline|unsafe-hashes|strict-dynamic|report-sample)'",
    "'sha(?:256|384|512)-[A-Za-z0-9+/]+={0,2}'",
    '(?:data|blob|https|http|wss|ws):',
    'https?://(?:\\*\\.)?[a-z0-9.-]+(?::\\d{1,5})?',
    'https?://\\[[0-9a-f:.]+\\](?::\\d{1,5})?',
  ]
    .map((p) => `^${p}$`)
    .join('|'),
);

/** A source that is not a plain expression (a `;`, a space, a quote) would change the policy's meaning. */
export function assertSource(directive: string, source: string): Source {
  if (!SOURCE_EXPRESSION.test(source)) {
    throw new Error(
      `host-files: ${JSON.stringify(source)} is not a CSP source expression, so it cannot go into ${directive}; it would change the policy`,
    );
  }
  return source;
}

/**
 * The site's Content-Security-Policy: each directive lists only what the built site uses.
 * Directive order is fixed and sources are sorted, so the same site gives the same header.
 */
export function contentSecurityPolicy(input: CspInput): string {
  const { scan } = input;
  const streamOrigins = input.streams.map((s) => originSource(s.url));
  const hls = usesHls(input.streams);
  const extra = (name: string) => input.extra?.[name] ?? [];

  const directives: [string, Source[]][] = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'", ...(input.hasPagefind ? ["'wasm-unsafe-eval'"] : []), ...scan.scriptSources, ...scan.scriptHashes]],
    // Inline <style> blocks (Astro inlines small component styles) by hash.
    ['style-src', ["'self'", ...scan.styleSources, ...scan.styleHashes]],
    // Style attributes (the station accent on the header and footer) by hash; 'unsafe-hashes'
    // allows exactly those attribute values and nothing else.
    ['style-src-attr', scan.styleAttrHashes.size ? ["'unsafe-hashes'", ...scan.styleAttrHashes] : ["'none'"]],
    ['img-src', ["'self'", ...scan.imgSources]],
    ['font-src', ["'self'", ...scan.fontSources]],
    ['media-src', ["'self'", ...scan.mediaSources, ...streamOrigins, ...(hls ? ['blob:'] : [])]],
    // hls.js fetches playlists and segments; Pagefind fetches its index.
    ['connect-src', ["'self'", ...streamOrigins]],
    // Pagefind's worker is a same-origin file; hls.js runs without one (src/client/live-player/player.ts).
    ['worker-src', ["'self'"]],
    ['frame-src', [...scan.frameSources, ...input.embedHosts.map(hostSource)]],
    ['form-action', [...scan.formTargets]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives
    .map(([name, sources]) => {
      const list = sortSources([...sources, ...extra(name)].map((s) => assertSource(name, s))).filter(
        (s, _i, all) => s !== "'none'" || all.length === 1,
      );
      return `${name} ${list.length ? list.join(' ') : "'none'"}`;
    })
    .join('; ');
}

/** Parses a CSP header into directive → sources. */
export function parseCsp(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name && !out.has(name.toLowerCase())) out.set(name.toLowerCase(), sources);
  }
  return out;
}

/** A Content-Security-Policy header holding one or more policies (a host may join two with a comma; CSP
 * sources never hold one), each parsed. A browser enforces every one of them. */
export const parsePolicies = (header: string): Map<string, string[]>[] => header.split(',').map((p) => parseCsp(p));

/** Where a directive falls back to when a policy leaves it out (CSP Level 3). */
const FALLBACKS: Record<string, string[]> = {
  'script-src-elem': ['script-src', 'default-src'],
  'script-src-attr': ['script-src', 'default-src'],
  'style-src-elem': ['style-src', 'default-src'],
  'style-src-attr': ['style-src', 'default-src'],
  'frame-src': ['child-src', 'default-src'],
  'worker-src': ['child-src', 'script-src', 'default-src'],
  'form-action': [],
  'frame-ancestors': [],
  'base-uri': [],
};

/** The sources that govern `directive`, or undefined when nothing restricts it. */
export function effectiveSources(csp: Map<string, string[]>, directive: string): { name: string; sources: string[] } | undefined {
  for (const name of [directive, ...(FALLBACKS[directive] ?? ['default-src'])]) {
    const sources = csp.get(name);
    if (sources) return { name, sources };
  }
  return undefined;
}

/** Whether a policy lets a page use `source` (a hash, `'self'`, an origin, `data:`…) under `directive`. */
export function cspAllows(csp: Map<string, string[]>, directive: string, source: Source): boolean {
  const found = effectiveSources(csp, directive);
  if (!found) return true;
  const list = found.sources.map((s) => (s.toLowerCase() === "'none'" ? s.toLowerCase() : s));
  if (source.startsWith("'sha")) {
    const hashed = list.includes(source) && (!directive.endsWith('-attr') || list.includes("'unsafe-hashes'"));
    const inline = list.includes("'unsafe-inline'") && !list.some((s) => s.startsWith("'sha") || s.startsWith("'nonce-"));
    return hashed || inline;
  }
  if (list.includes(source)) return true;
  if (source === "'self'" || source === 'data:' || source === 'blob:') return false;
  const url = new URL(source);
  return list.some((s) => {
    if (s === '*') return true;
    if (s === url.protocol) return true;
    const m = /^(https?:)\/\/\*\.(.+)$/.exec(s);
    return !!m && m[1] === url.protocol && url.hostname.endsWith(`.${m[2]}`);
  });
}

export function securityHeaders(csp: string): [string, string][] {
  return [
    ['Content-Security-Policy', csp],
    ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
    ['X-Content-Type-Options', 'nosniff'],
    ['Referrer-Policy', 'strict-origin-when-cross-origin'],
    // Nothing on the site uses these; embeds inherit the denial. Playback and fullscreen stay allowed.
    ['Permissions-Policy', 'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()'],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
  ];
}

/** Sent, besides the site's policy, with every SVG: an SVG opened directly is a document that
 * could run scripts on the site's origin. Both policies apply; this one forbids any script. */
export const SVG_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox";

/** One exact rule per SVG file (hosts do not all match `/*.svg`); stories cannot add SVGs, so
 * these are the site's own few icons. */
export const svgRules = (files: readonly string[]): HeaderRule[] =>
  files.filter((f) => f.toLowerCase().endsWith('.svg')).map((f) => ({ path: `/${f}`, headers: [['Content-Security-Policy', SVG_CSP]] }));

/**
 * The web editor's policy (/admin/*, Decap CMS), instead of the site's: Decap's React styles are
 * injected at run time ('unsafe-inline' styles), it talks to GitHub's API, shows avatars and
 * uploads as blob: URLs, and signs in through a popup (so its opener must survive: COOP allows
 * popups). Scripts come from 'self' only, but Decap validates its config with ajv, which compiles
 * each JSON Schema into a `new Function`: without 'unsafe-eval' the editor stops at start
 * ("Error compiling schema"; measured in tests/e2e/web-editor.test.ts, which fails on any
 * other violation of this policy). Only /admin/ gets it, and it loads no story content as HTML.
 */
export const ADMIN_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https://avatars.githubusercontent.com https://raw.githubusercontent.com",
  "font-src 'self' data:",
  "connect-src 'self' blob: https://api.github.com",
  "frame-src 'self' blob:",
  "worker-src 'self' blob:",
  "form-action 'none'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The headers /admin/ gets instead of the site's: its own CSP, never indexed, a COOP the sign-in popup survives. */
export const ADMIN_HEADERS: [string, string][] = [
  ['Content-Security-Policy', ADMIN_CSP],
  ['X-Robots-Tag', 'noindex, nofollow'],
  ['Cross-Origin-Opener-Policy', 'same-origin-allow-popups'],
];

/** /admin/ and what is under it, when the build has the editor. Its headers replace the site's there. */
export const adminRules = (files: readonly string[]): HeaderRule[] =>
  files.some((f) => f.startsWith('admin/')) ? [{ path: '/admin/*', headers: ADMIN_HEADERS, replaces: true }] : [];

/**
 * One rule per path, at the place of its first: Cloudflare Pages keeps one rule per path (a
 * second `/admin/*` would replace the first, Cache-Control and all), so the editor's headers join
 * the Cache-Control rule of `/admin/*`. Headers keep their order; `detach` lists the headers of
 * the rules that `replace`, only.
 */
export function mergeSamePath(rules: readonly HeaderRule[]): (Omit<HeaderRule, 'replaces'> & { detach: string[] })[] {
  const byPath = new Map<string, { path: string; headers: [string, string][]; replaced: Set<string> }>();
  for (const rule of rules) {
    const merged = byPath.get(rule.path) ?? { path: rule.path, headers: [], replaced: new Set<string>() };
    byPath.set(rule.path, merged);
    merged.headers.push(...rule.headers);
    if (rule.replaces) for (const [name] of rule.headers) merged.replaced.add(name);
  }
  return [...byPath.values()].map(({ path, headers, replaced }) => ({ path, headers, detach: [...replaced] }));
}

/** The header names every HTML response must carry (checked by `npm run verify`). */
export const REQUIRED_SECURITY_HEADERS = securityHeaders('').map(([name]) => name);

// ---------------------------------------------------------------------------------------
// The files

const HEADER_COMMENT = '# Written by src/integrations/host-files after `astro build`; edit that code, not this file.';

/** The host a `_headers` was written for, stated on its second line: `npm run verify` reads it back in that dialect. */
export const DIALECT_LINE = (host: Host) => `# Dialect: ${host} (the site setting host; MASTHEAD_HOST)`;
export const DIALECT_PATTERN = /^# Dialect: (\S+) /m;

/**
 * `_headers` in the host's dialect. Both hosts apply every rule that matches a path, in file
 * order, but differ on a header two rules give: Netlify keeps the later rule's value, Cloudflare
 * Pages joins them with a comma (two CSPs: both enforced, so the site's would block the editor).
 * So for cloudflare-pages a rule that `replaces` starts with a detach line, `! Name`, for each of
 * its headers (Cloudflare's "Detach a header"); Netlify's parser would drop such a line silently,
 * so other hosts never get one. Rules of one path are merged first (`mergeSamePath`).
 */
export function renderHeaders(rules: readonly HeaderRule[], host: Host): string {
  const blocks = mergeSamePath(rules).map((r) =>
    [
      r.path,
      ...(host === 'cloudflare-pages' ? r.detach : []).map((name) => `  ! ${name}`),
      ...r.headers.map(([name, value]) => `  ${name}: ${value}`),
    ].join('\n'),
  );
  return `${HEADER_COMMENT}\n${DIALECT_LINE(host)}\n${blocks.join('\n')}\n`;
}

/** What a redirect is checked against: the built files (relative to dist/), the stories'
 * permalinks, and the files of `public/` (relative to it). */
export interface RedirectSite {
  files?: readonly string[];
  permalinks?: readonly string[];
  publicFiles?: readonly string[];
}

/**
 * Why each redirect must not be written, if any: a `from` that is not a grammatical alias
 * (a splat, a placeholder, `//`…), an address the build reserves, or one that any built file
 * but its own redirect page answers (a host applying redirects before files would hide that
 * file). The content check refuses all of these first; this is the second line.
 */
export function redirectProblems(redirects: readonly Redirect[], site: RedirectSite = {}): string[] {
  const served = new Map<string, string[]>();
  for (const f of site.files ?? []) {
    const key = aliasKey(urlPathOf(f));
    served.set(key, [...(served.get(key) ?? []), f]);
  }
  const stories = new Set((site.permalinks ?? []).map(aliasKey));
  const problems: string[] = [];
  for (const { from, to } of redirects) {
    const say = (why: string) => problems.push(`the alias ${JSON.stringify(from)} (of ${JSON.stringify(to)}): ${why}`);
    const grammar = aliasGrammarProblem(from) ?? aliasGrammarProblem(to);
    const reserved = grammar ? undefined : reservedBy(from, site.publicFiles);
    if (grammar) say(grammar);
    else if (reserved) say(`is taken by ${reserved}`);
    else if (stories.has(aliasKey(from))) say('would replace the story published there');
    else {
      const shadowed = (served.get(aliasKey(from)) ?? []).filter((f) => f !== redirectFile(from));
      if (shadowed.length) say(`would hide ${shadowed.join(', ')}`);
    }
  }
  return problems;
}

/** Netlify and Cloudflare Pages both read `from to 301`. (Netlify's force flag `301!` is
 * rejected by Cloudflare, so the Netlify deploy step adds it; see docs/publishing.md.)
 * Refuses to write a rule `redirectProblems` finds fault with. */
export function renderRedirects(redirects: readonly Redirect[], site: RedirectSite = {}): string {
  const problems = redirectProblems(redirects, site);
  if (problems.length) {
    throw new Error(
      `host-files: _redirects not written:\n${problems.map((p) => `  ${p}`).join('\n')}\nrun npm run check:content to see which story`,
    );
  }
  const lines = [...redirects].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0)).map((r) => `${r.from} ${r.to} 301`);
  return `${HEADER_COMMENT}\n${lines.join('\n')}${lines.length ? '\n' : ''}`;
}

/** Limits of the hosts Masthead deploys to, checked by `npm run verify`. */
export const HOST_LIMITS = {
  /** Cloudflare Pages: header rules per `_headers`. */
  headerRules: 100,
  /** Cloudflare Pages: characters per `_headers` line. */
  headerLine: 2000,
  /** CloudFront response headers policy: characters of a Content-Security-Policy. */
  cspLength: 1783,
  /** Cloudflare Pages: static redirects per `_redirects`. */
  redirects: 2000,
} as const;
