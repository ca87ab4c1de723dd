import { createHash } from 'node:crypto';
import { lookup } from 'mrmime';
import { CACHE_CONTROL, parseCsp } from '../../src/integrations/host-files/policy.ts';
import { distFileOf, urlPathOf } from '../../src/lib/dist-path.ts';

/**
 * The pure half of `npm run publish:s3`: from the built files, their headers and the manifest
 * of the previous publish, work out what to upload (in two passes), which redirect objects
 * to write, what to delete and which paths to invalidate. No AWS calls happen here.
 */

export interface Manifest {
  version: 1;
  /** dist-relative path → sha256 of its bytes. */
  files: Record<string, string>;
  /** Alias path → permalink. */
  redirects: Record<string, string>;
  /** The site's own CSP at this publish (before merging with the previous one). */
  csp?: string;
}

export const MANIFEST_KEY = '_masthead/publish-manifest.json';

export const emptyManifest = (): Manifest => ({ version: 1, files: {}, redirects: {} });

export const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

export interface Upload {
  file: string;
  cacheControl: string;
  contentType: string;
}

export interface UploadGroup {
  /** 1: content-hashed assets, so pages uploaded in pass 2 never reference a missing file. */
  pass: 1 | 2;
  cacheControl: string;
  contentType: string;
  files: string[];
}

export interface PublishPlan {
  manifest: Manifest;
  groups: UploadGroup[];
  redirects: { key: string; location: string }[];
  deletions: string[];
  invalidationPaths: string[];
  /** Stable per (previous, next) manifest pair, so a retried publish reuses its invalidation. */
  callerReference: string;
  counts: { files: number; changed: number; unchanged: number };
}

const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|rss\+xml|atom\+xml|manifest\+json)|image\/svg\+xml)/;

export function contentTypeOf(file: string): string {
  const type = lookup(file) ?? 'application/octet-stream';
  return TEXT_TYPES.test(type) ? `${type}; charset=utf-8` : type;
}

/** The S3 key a redirect from `from` lives at: directory paths use their index document. */
export const redirectKey = distFileOf;

export interface PlanInput {
  /** dist-relative path → sha256. */
  files: Record<string, string>;
  redirects: Record<string, string>;
  csp?: string;
  previous: Manifest;
  /** Cache-Control for a dist-relative path, from `_headers`. */
  /** Undefined when no `_headers` rule matches, e.g. for a file removed since the last publish. */
  cacheControlOf: (file: string) => string | undefined;
  maxInvalidationPaths: number;
}

export function planPublish(input: PlanInput): PublishPlan {
  const { previous } = input;
  const manifest: Manifest = { version: 1, files: input.files, redirects: input.redirects, ...(input.csp ? { csp: input.csp } : {}) };
  const redirectKeys = new Set(Object.keys(input.redirects).map(redirectKey));
  const isImmutable = (file: string) => input.cacheControlOf(file) === CACHE_CONTROL.immutable;

  // Keys that held a redirect object last time and a file now must be rewritten.
  const formerRedirectKeys = new Set(
    Object.keys(previous.redirects)
      .filter((from) => !(from in input.redirects))
      .map(redirectKey),
  );
  const changed: string[] = [];
  let unchanged = 0;
  for (const [file, hash] of Object.entries(input.files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    // A redirect object takes the place of a page at the same key (an alias page, say).
    if (redirectKeys.has(file)) continue;
    if (previous.files[file] === hash && !formerRedirectKeys.has(file)) unchanged++;
    else changed.push(file);
  }

  const groups = new Map<string, UploadGroup>();
  for (const file of changed) {
    const cacheControl = input.cacheControlOf(file);
    if (!cacheControl) throw new Error(`_headers has no Cache-Control for ${urlPathOf(file)}; run \`npm run verify\``);
    const contentType = contentTypeOf(file);
    const pass = isImmutable(file) ? 1 : 2;
    const id = `${pass}|${cacheControl}|${contentType}`;
    const group = groups.get(id) ?? { pass, cacheControl, contentType, files: [] };
    group.files.push(file);
    groups.set(id, group);
  }
  const orderedGroups = [...groups.values()].sort(
    (a, b) => a.pass - b.pass || (a.contentType < b.contentType ? -1 : a.contentType > b.contentType ? 1 : 0),
  );

  const redirects = Object.entries(input.redirects)
    .filter(([from, to]) => previous.redirects[from] !== to)
    .map(([from, location]) => ({ key: redirectKey(from), location }))
    .sort((a, b) => (a.key < b.key ? -1 : 1));

  // Old hashed assets stay: pages still cached by readers and the CDN may reference them.
  const deletions = [
    ...Object.keys(previous.files).filter((f) => !(f in input.files) && !redirectKeys.has(f) && !isImmutable(f)),
    ...Object.keys(previous.redirects)
      .filter((from) => !(from in input.redirects) && !(redirectKey(from) in input.files))
      .map(redirectKey),
  ].sort();

  const htmlPaths = new Set<string>();
  for (const file of changed) if (file.endsWith('.html') && file in previous.files) htmlPaths.add(urlPathOf(file));
  for (const file of deletions) if (file.endsWith('.html')) htmlPaths.add(urlPathOf(file));
  for (const from of new Set([...Object.keys(previous.redirects), ...Object.keys(input.redirects)])) {
    if (previous.redirects[from] !== input.redirects[from] && from in previous.redirects) htmlPaths.add(from);
  }
  const paths = [...htmlPaths].map((p) => encodeURI(p)).sort();
  const invalidationPaths = paths.length > input.maxInvalidationPaths ? ['/*'] : paths;

  return {
    manifest,
    groups: orderedGroups,
    redirects,
    deletions,
    invalidationPaths,
    callerReference: `masthead-${sha256(`${sha256(JSON.stringify(previous))}:${sha256(JSON.stringify(manifest))}`).slice(0, 24)}`,
    counts: { files: Object.keys(input.files).length, changed: changed.length, unchanged },
  };
}

/**
 * The CSP to deploy on CloudFront: this publish's and the previous publish's sources together.
 * CloudFront adds the header to cached pages too, so for a while it serves pages built by the
 * previous publish, whose inline-style hashes must stay allowed.
 */
export function mergeCsp(current: string, previous: string | undefined): string {
  if (!previous) return current;
  const a = parseCsp(current);
  const b = parseCsp(previous);
  return [...a]
    .map(([name, sources]) => {
      const union = [...new Set([...sources, ...(b.get(name) ?? [])])];
      const list = union.length > 1 ? union.filter((s) => s !== "'none'") : union;
      return `${name} ${list.join(' ')}`;
    })
    .join('; ');
}

/** The parts of a CloudFront response headers policy that carry the site's security headers. */
export function responseHeadersPolicyConfig(current: Record<string, unknown>, headers: Record<string, string>): Record<string, unknown> {
  const hsts = /max-age=(\d+)/.exec(headers['Strict-Transport-Security'] ?? '');
  const custom = ['Permissions-Policy', 'Cross-Origin-Opener-Policy'].filter((h) => headers[h]);
  const existing = ((current.CustomHeadersConfig as { Items?: { Header: string }[] } | undefined)?.Items ?? []).filter(
    (item) => !custom.includes(item.Header),
  );
  const items = [...existing, ...custom.map((h) => ({ Header: h, Value: headers[h], Override: true }))];
  return {
    ...current,
    SecurityHeadersConfig: {
      ContentSecurityPolicy: { Override: true, ContentSecurityPolicy: headers['Content-Security-Policy'] },
      ContentTypeOptions: { Override: true },
      ReferrerPolicy: { Override: true, ReferrerPolicy: headers['Referrer-Policy'] ?? 'strict-origin-when-cross-origin' },
      StrictTransportSecurity: {
        Override: true,
        AccessControlMaxAgeSec: Number(hsts?.[1] ?? 31536000),
        IncludeSubdomains: /includeSubDomains/i.test(headers['Strict-Transport-Security'] ?? ''),
        Preload: /preload/i.test(headers['Strict-Transport-Security'] ?? ''),
      },
    },
    CustomHeadersConfig: { Quantity: items.length, Items: items },
  };
}
