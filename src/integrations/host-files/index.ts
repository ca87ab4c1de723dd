import type { AstroIntegration } from 'astro';
import { existsSync, readFileSync, readdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  HOST_FILES,
  HOST_LIMITS,
  adminRules,
  cacheClassOf,
  cacheRules,
  contentSecurityPolicy,
  mergeSamePath,
  renderHeaders,
  renderRedirects,
  securityHeaders,
  svgRules,
  type BuildData,
  type HeaderRule,
} from './policy.ts';
import { emptyScan, mergeScan, scanCss, scanHtml, type PageScan } from './scan.ts';
import { listFiles } from '../../lib/list-files.ts';
import { DEFAULT_HOST, type Host } from '../../lib/host.ts';
import type { HeadFacts } from '../../outputs/page-head.ts';
import type { PageFacts } from './page-facts.ts';

export const BUILD_DATA_ROUTE = '/_masthead/build-data.json';
const NAME = 'masthead:host-files';

export interface HostFilesOptions {
  /** The site setting `host`: the dialect `_headers` is written in (src/lib/host.ts). */
  host?: Host;
  /** More directories (relative to dist/, ending in `/`) whose file names carry a content hash. */
  hashedDirs?: string[];
  /** Extra CSP sources for what only appears at run time, e.g. `{ 'connect-src': ['https://api.example.org'] }`. */
  csp?: Partial<Record<string, string[]>>;
  /** Pages already scanned, read in astro:build:generated (the sharded build's kept pages, src/integrations/shard-outputs.ts). */
  prescanned?: () => ScannedPages | undefined;
  /** Pages (relative to dist/) whose own head facts and scan `described` receives: the listing cache keeps them with each rendered listing. */
  describe?: () => ReadonlySet<string>;
  /** Called with those pages' facts once the scan is done, before `_headers` is written. */
  described?: (pages: ReadonlyMap<string, DescribedPage>) => void;
  /**
   * A digest of the code that reads pages (given the project root): with it, each page's facts are kept in
   * `cacheDir` by the digest of its bytes (page-facts.ts), and a rebuild parses only the pages that changed.
   */
  scannerCode?: (root: string) => string;
}

/** One page's own head facts and CSP scan. */
export type DescribedPage = PageFacts;

/** Kept for scripts/verify/site.ts, which imports it from here; new code imports src/lib/list-files.ts. */
export const listDist = listFiles;

/** Pages scanned ahead of time: which files, and what they ask of the CSP. */
export interface ScannedPages {
  files: ReadonlySet<string>;
  scan: PageScan;
}

/** What every built page asks of the CSP, merged; pages in `scanned` are not read again. */
export function scanSite(dist: string, files: readonly string[], scanned?: ScannedPages): PageScan {
  const all = scanned ? mergeScan(emptyScan(), scanned.scan) : emptyScan();
  for (const file of files) {
    if (scanned?.files.has(file)) continue;
    if (file.endsWith('.html')) mergeScan(all, scanHtml(readFileSync(join(dist, file), 'utf8')));
    else if (file.endsWith('.css')) scanCss(readFileSync(join(dist, file), 'utf8'), all);
  }
  return all;
}

/** What the page scan found: the merged CSP scan, the described pages, and every page's head facts. */
export type ScanResult = ScannedPages & {
  pages: ReadonlyMap<string, DescribedPage>;
  /** Head facts of each page the scan read (relative to dist/), for the sitemap. */
  heads: ReadonlyMap<string, HeadFacts>;
  stats?: { hits: number; misses: number };
};

/**
 * Reads the pages in a worker thread, started as soon as Astro has written them: one parse of each
 * page gives its CSP scan and its head facts, while the search index is built on the main thread.
 * Pages are written once; nothing edits them after that.
 */
export function scanPagesInWorker(
  dist: string,
  prescanned?: ScannedPages,
  describe: ReadonlySet<string> = new Set(),
  /** Where each page's facts are kept by its bytes' digest (page-facts.ts), and the readers' code digest. */
  cache?: { dir: string; code: string },
): Promise<ScanResult> {
  const files = listDist(dist).filter((f) => f.endsWith('.html') && !prescanned?.files.has(f));
  const worker = new Worker(new URL('./scan-worker.ts', import.meta.url), { workerData: { dist, files, describe: [...describe], cache } });
  return new Promise((resolve, reject) => {
    type Reply = {
      scan: PageScan;
      pages: Record<string, DescribedPage>;
      heads: Record<string, HeadFacts>;
      stats?: { hits: number; misses: number };
    };
    worker.once('message', ({ scan, pages, heads, stats }: Reply) =>
      resolve({
        ...(prescanned
          ? { files: new Set([...files, ...prescanned.files]), scan: mergeScan(mergeScan(emptyScan(), prescanned.scan), scan) }
          : { files: new Set(files), scan }),
        pages: new Map(Object.entries(pages)),
        heads: new Map(Object.entries(heads)),
        stats,
      }),
    );
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the page scan stopped (exit code ${code}) before it finished`)));
  });
}

export interface HostFiles {
  headers: string;
  redirects: string;
  rules: HeaderRule[];
  csp: string;
}

/** `_headers` and `_redirects` for a built site. */
export function hostFilesFor(
  dist: string,
  data: BuildData,
  options: HostFilesOptions & { hashedDirs: string[]; publicFiles?: readonly string[] },
  scanned?: ScannedPages,
): HostFiles {
  const files = listDist(dist).filter((f) => !(HOST_FILES as readonly string[]).includes(f));
  const scan = scanSite(dist, files, scanned);
  const csp = contentSecurityPolicy({
    scan,
    streams: data.streams,
    embedHosts: data.embedHosts,
    hasPagefind: files.some((f) => f.startsWith('_pagefind/')),
    extra: options.csp,
  });
  const rules: HeaderRule[] = [
    { path: '/*', headers: [...securityHeaders(csp), ...(data.preview ? [['X-Robots-Tag', 'noindex'] as [string, string]] : [])] },
    ...svgRules(files),
    ...cacheRules(files, (f) => cacheClassOf(f, options.hashedDirs)),
    // Last: its headers replace the site's on /admin/ (Netlify: the later rule wins; Cloudflare: detached first).
    ...adminRules(files),
  ];
  return {
    headers: renderHeaders(rules, options.host ?? DEFAULT_HOST),
    redirects: renderRedirects(data.redirects, { files, permalinks: data.permalinks, publicFiles: options.publicFiles }),
    rules,
    csp,
  };
}

/**
 * Writes `dist/_headers` and `dist/_redirects` (Netlify / Cloudflare Pages format) once the
 * build is done, derived from the built files and the content index. It must run after every
 * integration that writes into dist/, so it insists on being the last one.
 */
export default function hostFiles(options: HostFilesOptions = {}): AstroIntegration & {
  /** Head facts of the pages this build wrote, once the page scan has read them (from astro:build:done on). */
  pageHeads(): Promise<ReadonlyMap<string, HeadFacts>> | undefined;
} {
  let hashedDirs: string[] = [];
  let publicFiles: string[] = [];
  let scanning: Promise<ScanResult> | undefined;
  let scanCache: { dir: string; code: string } | undefined;
  return {
    name: NAME,
    pageHeads: () => scanning?.then((s) => s.heads),
    hooks: {
      'astro:config:setup': ({ injectRoute }) => {
        injectRoute({ pattern: BUILD_DATA_ROUTE, entrypoint: new URL('./build-data.ts', import.meta.url), prerender: true });
      },
      'astro:config:done': ({ config }) => {
        const names = config.integrations.map((i) => i.name);
        const after = names.slice(names.indexOf(NAME) + 1);
        if (after.length) {
          throw new Error(
            `astro.config.mjs: integrations: hostFiles() must come last, because it derives _headers from every file the others write into dist/; move it after ${after.join(', ')}`,
          );
        }
        hashedDirs = [`${config.build.assets.replace(/^\/+|\/+$/g, '')}/`, ...(options.hashedDirs ?? [])];
        const publicDir = fileURLToPath(config.publicDir);
        publicFiles = listFiles(publicDir);
        const code = options.scannerCode?.(fileURLToPath(config.root));
        scanCache = code ? { dir: fileURLToPath(config.cacheDir), code } : undefined;
      },
      'astro:build:generated': ({ dir }) => {
        scanning = scanPagesInWorker(fileURLToPath(dir), options.prescanned?.(), options.describe?.(), scanCache);
        // Awaited in astro:build:done; a build that fails before then must not also report this.
        scanning.catch(() => {});
      },
      'astro:build:done': async ({ dir, logger }) => {
        const started = performance.now();
        const dist = fileURLToPath(dir);
        const dataFile = join(dist, BUILD_DATA_ROUTE);
        if (!existsSync(dataFile)) throw new Error(`host-files: ${BUILD_DATA_ROUTE} was not built, so the aliases and streams are unknown`);
        const data = JSON.parse(readFileSync(dataFile, 'utf8')) as BuildData;
        rmSync(dataFile);
        if (readdirSync(dirname(dataFile)).length === 0) rmdirSync(dirname(dataFile));

        const scanned = await scanning;
        if (scanned) options.described?.(scanned.pages);
        const out = hostFilesFor(dist, data, { ...options, hashedDirs, publicFiles }, scanned);
        writeFileSync(join(dist, '_headers'), out.headers);
        writeFileSync(join(dist, '_redirects'), out.redirects);
        const reused = scanned?.stats
          ? `; ${scanned.stats.hits} page scan(s) reused from the last build, ${scanned.stats.misses} read`
          : '';
        logger.info(
          `_headers: ${mergeSamePath(out.rules).length} rules (${options.host ?? DEFAULT_HOST}), CSP ${out.csp.length} characters; _redirects: ${data.redirects.length} aliases${reused} (${Math.round(performance.now() - started)} ms)`,
        );
        if (out.csp.length > HOST_LIMITS.cspLength) {
          logger.warn(
            `the CSP is ${out.csp.length} characters; CloudFront response headers policies take at most ${HOST_LIMITS.cspLength}`,
          );
        }
      },
    },
  };
}
