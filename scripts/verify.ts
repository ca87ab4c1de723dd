/**
 * `npm run verify [-- <dist>]`: the publish gate. Runs every check on a built site and fails
 * listing every problem found, each with the file it is in:
 *   host files  `_headers` covers every path type with one Cache-Control, security headers on
 *               pages, a CSP that allows each page's inline code; `_redirects` parses and
 *               points at files; both within host limits
 *   links       broken internal links, images, assets and #fragments, read from the files
 *   html        HTML validity (html-validate with .htmlvalidate.json)
 *   feeds       feeds and sitemaps parse, and every URL they list on this site has a file
 *   budget      page weight against scripts/page-weight.ts's budgets
 */
import { parseAllHeaders, type Header } from '@netlify/headers-parser';
import { parseAllRedirects } from '@netlify/redirect-parser';
import { SaxesParser } from 'saxes';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { listDist } from '../src/integrations/host-files/index.ts';
import {
  HOST_FILES,
  HOST_LIMITS,
  REQUIRED_SECURITY_HEADERS,
  cspAllows,
  parseCsp,
  urlPathOf,
} from '../src/integrations/host-files/policy.ts';
import { scanHtml, type PageScan } from '../src/integrations/host-files/scan.ts';
import type { PageMessages } from './lib/html-validate-worker.ts';
import { checkReferences, cssReferences, fileOfPath, scanLinks, type LinkProblem, type PageLinks, type SiteFiles } from './lib/links.ts';
import { measureSite, overBudget } from './page-weight.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

interface Problem {
  file: string;
  message: string;
}

interface CheckResult {
  problems: Problem[];
  /** Worth reading, not worth failing a publish over. */
  notes: Problem[];
  summary?: string;
}

const result = (): CheckResult => ({ problems: [], notes: [] });
const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

// ---------------------------------------------------------------------------------------
// _headers and _redirects

const PERMITTED_REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);

/** "/pagefind/ .js" – how missing rules are grouped, so one gap reads as one problem. */
const pathType = (file: string) => {
  const dir = file.includes('/') ? `/${file.slice(0, file.indexOf('/'))}/` : '/';
  const ext = /\.[^./]+$/.exec(file)?.[0] ?? '(no extension)';
  return `${ext} files under ${dir}`;
};

async function checkHostFiles(dist: string, files: string[], scans: Map<string, PageScan>): Promise<CheckResult> {
  const out = result();
  const fileSet = new Set(files);
  const headersFile = join(dist, '_headers');
  if (!existsSync(headersFile)) {
    out.problems.push({
      file: '_headers',
      message: 'is missing; the host-files integration (astro.config.mjs) writes it during `astro build`',
    });
  } else {
    const text = readFileSync(headersFile, 'utf8');
    text.split('\n').forEach((line, i) => {
      if (line.length > HOST_LIMITS.headerLine) {
        out.problems.push({
          file: '_headers',
          message: `line ${i + 1} is ${line.length} characters; Cloudflare Pages ignores lines over ${HOST_LIMITS.headerLine}`,
        });
      }
    });
    const { headers, errors } = await parseAllHeaders({ headersFiles: [headersFile], configHeaders: [], minimal: false });
    for (const e of errors) out.problems.push({ file: '_headers', message: e.message });
    const rules = headers as Header[];
    if (rules.length > HOST_LIMITS.headerRules) {
      out.problems.push({
        file: '_headers',
        message: `has ${rules.length} rules; Cloudflare Pages reads at most ${HOST_LIMITS.headerRules}`,
      });
    }

    const missing = new Map<string, string[]>();
    for (const file of files) {
      const path = urlPathOf(file);
      const matching = rules.filter((r) => r.forRegExp.test(path));
      const values = (name: string) =>
        matching.flatMap((r) =>
          Object.entries(r.values)
            .filter(([k]) => k.toLowerCase() === name.toLowerCase())
            .map(([, v]) => v),
        );
      const cacheControl = values('Cache-Control');
      if (cacheControl.length === 0) missing.set(pathType(file), [...(missing.get(pathType(file)) ?? []), path]);
      else if (cacheControl.length > 1) {
        out.problems.push({
          file,
          message: `${path} matches ${cacheControl.length} Cache-Control rules in _headers (${cacheControl.join(' | ')}); hosts would combine them`,
        });
      }
      if (!file.endsWith('.html')) continue;
      for (const name of REQUIRED_SECURITY_HEADERS) {
        if (values(name).length === 0) out.problems.push({ file, message: `${path} gets no ${name} header from _headers` });
      }
      const [policy] = values('Content-Security-Policy');
      const scan = scans.get(file);
      if (policy && scan) checkPageAgainstCsp(file, scan, parseCsp(policy), out);
      if (policy && policy.length > HOST_LIMITS.cspLength) {
        out.notes.push({
          file: '_headers',
          message: `the CSP is ${policy.length} characters; a CloudFront response headers policy takes at most ${HOST_LIMITS.cspLength} (S3 target only)`,
        });
      }
    }
    // Pagefind written after hostFiles() ran (a postbuild step, say) would be blocked from compiling its WebAssembly.
    const siteCsp = rules.find((r) => r.for === '/*')?.values['Content-Security-Policy'] ?? '';
    if (files.some((f) => f.startsWith('pagefind/')) && !parseCsp(siteCsp).get('script-src')?.includes("'wasm-unsafe-eval'")) {
      out.problems.push({
        file: '_headers',
        message:
          "dist/pagefind/ exists but the CSP's script-src lacks 'wasm-unsafe-eval', so search cannot load; index with Pagefind inside the build, before hostFiles()",
      });
    }
    for (const [type, paths] of missing) {
      const shown = paths.slice(0, 5).join(', ');
      out.problems.push({
        file: '_headers',
        message: `no Cache-Control rule for ${type}: ${shown}${paths.length > 5 ? ` and ${paths.length - 5} more` : ''}`,
      });
    }
  }

  const redirectsFile = join(dist, '_redirects');
  if (!existsSync(redirectsFile)) {
    out.problems.push({
      file: '_redirects',
      message: 'is missing; the host-files integration (astro.config.mjs) writes it during `astro build`',
    });
  } else {
    const { redirects, errors } = await parseAllRedirects({ redirectsFiles: [redirectsFile], configRedirects: [], minimal: false });
    for (const e of errors as Error[]) out.problems.push({ file: '_redirects', message: e.message });
    const rules = redirects as { from: string; to: string; status?: number }[];
    if (rules.length > HOST_LIMITS.redirects) {
      out.problems.push({
        file: '_redirects',
        message: `has ${rules.length} redirects; Cloudflare Pages reads at most ${HOST_LIMITS.redirects} static ones`,
      });
    }
    const seen = new Set<string>();
    for (const r of rules) {
      if (seen.has(r.from)) out.problems.push({ file: '_redirects', message: `${r.from} is redirected twice` });
      seen.add(r.from);
      if (!PERMITTED_REDIRECT_STATUS.has(r.status ?? 0)) {
        out.problems.push({ file: '_redirects', message: `${r.from}: status ${r.status} is not a redirect Cloudflare Pages accepts` });
      }
      if (r.to.startsWith('/') && !fileOfPath(fileSet, r.to.replace(/[?#].*$/, ''))) {
        out.problems.push({ file: '_redirects', message: `${r.from} redirects to ${r.to}, which has no file` });
      }
    }
    out.summary = `${rules.length} redirects`;
  }
  return out;
}

const FINDING_TEXT: Record<string, string> = {
  'inline-script': 'an inline script',
  'inline-style': 'a <style> element',
  'style-attribute': 'a style attribute',
  'event-handler': 'an inline event handler',
  'javascript-url': 'a javascript: URL',
  'plugin-object': 'a plugin element',
};

function checkPageAgainstCsp(file: string, scan: PageScan, csp: Map<string, string[]>, out: CheckResult) {
  const demand: [string, Iterable<string>, string][] = [
    ['script-src-elem', scan.scriptHashes, 'inline <script>'],
    ['style-src-elem', scan.styleHashes, 'inline <style>'],
    ['style-src-attr', scan.styleAttrHashes, 'style attribute'],
    ['script-src-elem', scan.scriptSources, 'script from'],
    ['style-src-elem', scan.styleSources, 'stylesheet from'],
    ['img-src', scan.imgSources, 'image from'],
    ['font-src', scan.fontSources, 'font from'],
    ['media-src', scan.mediaSources, 'media from'],
    ['frame-src', scan.frameSources, 'frame from'],
    ['form-action', scan.formTargets, 'form posting to'],
  ];
  for (const [directive, sources, what] of demand) {
    for (const source of sources) {
      if (!cspAllows(csp, directive, source)) {
        out.problems.push({
          file,
          message: `the CSP in _headers blocks its ${what} ${source} (${directive}); rebuild so the host-files integration re-derives it`,
        });
      }
    }
  }
  for (const f of scan.findings) {
    const message = `${FINDING_TEXT[f.kind]} is blocked by the CSP: ${f.detail}`;
    if (f.where === 'template') out.problems.push({ file, message: `${message}; move it into a bundled script or stylesheet` });
    else out.notes.push({ file, message: `${message} (in the story body; the HTML policy should remove it)` });
  }
}

// ---------------------------------------------------------------------------------------
// Links

/** How many pages to name for one missing target before summing up the rest. */
const PAGES_PER_TARGET = 50;

async function checkLinks(dist: string, files: string[], origin: string): Promise<CheckResult> {
  const out = result();
  const fileSet = new Set(files);
  const pages = new Map<string, PageLinks>();
  for (const file of files) if (file.endsWith('.html')) pages.set(file, scanLinks(readFileSync(join(dist, file), 'utf8')));
  const site: SiteFiles = {
    origin,
    has: (f) => fileSet.has(f),
    redirects: await redirectSources(dist),
    ids: (f) => pages.get(f)?.ids,
  };

  const found: LinkProblem[] = [];
  let checked = 0;
  for (const [file, page] of pages) {
    checked += page.references.length;
    found.push(...checkReferences(file, page.references, page.media, site));
  }
  for (const file of files.filter((f) => f.endsWith('.css'))) {
    const refs = cssReferences(readFileSync(join(dist, file), 'utf8'));
    checked += refs.length;
    found.push(...checkReferences(file, refs, new Set(), site));
  }

  const byTarget = new Map<string, LinkProblem[]>();
  for (const p of found) byTarget.set(p.target, [...(byTarget.get(p.target) ?? []), p]);
  for (const [target, list] of byTarget) {
    for (const p of list.slice(0, PAGES_PER_TARGET)) out.problems.push({ file: p.file, message: p.message });
    if (list.length > PAGES_PER_TARGET) {
      out.problems.push({ file: `${list.length - PAGES_PER_TARGET} more pages`, message: `the same problem with ${target}` });
    }
  }
  out.summary = `${checked} references in ${pages.size} pages`;
  return out;
}

async function redirectSources(dist: string): Promise<Set<string>> {
  const file = join(dist, '_redirects');
  if (!existsSync(file)) return new Set();
  const { redirects } = await parseAllRedirects({ redirectsFiles: [file], configRedirects: [], minimal: false });
  return new Set((redirects as { from: string }[]).map((r) => r.from));
}

// ---------------------------------------------------------------------------------------
// HTML validity

/** Pages that passed before, by content hash, for this html-validate version and config.
 * Scheduled builds mostly rebuild identical pages, so only changed ones are validated again. */
const HTML_CACHE = process.env.MASTHEAD_VERIFY_CACHE ?? join(ROOT, 'node_modules/.cache/masthead-verify/html.json');

async function checkHtml(dist: string, htmlFiles: string[]): Promise<CheckResult> {
  const out = result();
  const configText = readFileSync(join(ROOT, '.htmlvalidate.json'), 'utf8');
  const version = (JSON.parse(readFileSync(join(ROOT, 'node_modules/html-validate/package.json'), 'utf8')) as { version: string }).version;
  const key = sha256(`${version}\n${configText}`);
  const cache = existsSync(HTML_CACHE) ? (JSON.parse(readFileSync(HTML_CACHE, 'utf8')) as { key: string; passed: string[] }) : undefined;
  const passedBefore = new Set(cache?.key === key ? cache.passed : []);

  const hashes = new Map(htmlFiles.map((f) => [f, sha256(readFileSync(join(dist, f)))]));
  const todo = htmlFiles.filter((f) => !passedBefore.has(hashes.get(f)!));
  const results = await validateInWorkers(
    todo.map((f) => join(dist, f)),
    JSON.parse(configText),
  );
  const passed = new Set([...passedBefore].filter((h) => [...hashes.values()].includes(h)));
  for (const { file, messages } of results) {
    const rel = relative(dist, file).split(sep).join('/');
    for (const m of messages) out.problems.push({ file: rel, message: `${m.line}:${m.column} ${m.message} (${m.ruleId})` });
    if (messages.length === 0) passed.add(hashes.get(rel)!);
  }
  mkdirSync(dirname(HTML_CACHE), { recursive: true });
  writeFileSync(HTML_CACHE, JSON.stringify({ key, passed: [...passed].sort() }));
  out.problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  out.summary = `${htmlFiles.length} pages, ${todo.length} changed since the last pass`;
  return out;
}

/** html-validate takes about 40 ms a page: a big site's pages are spread over every core (a
 * thread costs about a second to start, so small sites stay on one). */
async function validateInWorkers(files: string[], config: unknown): Promise<PageMessages[]> {
  if (files.length === 0) return [];
  const threads = Math.max(1, Math.min(availableParallelism(), Math.floor(files.length / 200)));
  const batches: string[][] = [];
  for (let i = 0; i < files.length; i += 25) batches.push(files.slice(i, i + 25));
  const results: PageMessages[] = [];
  await Promise.all(
    Array.from({ length: threads }, async () => {
      const worker = new Worker(new URL('./lib/html-validate-worker.ts', import.meta.url), { workerData: config });
      try {
        for (let batch = batches.shift(); batch; batch = batches.shift()) {
          const done = new Promise<PageMessages[]>((resolve, reject) => {
            const fail = (e: Error) => reject(e);
            worker.once('error', fail);
            worker.once('message', (m: PageMessages[]) => {
              worker.off('error', fail);
              resolve(m);
            });
          });
          worker.postMessage(batch);
          results.push(...(await done));
        }
      } finally {
        await worker.terminate();
      }
    }),
  );
  return results;
}

// ---------------------------------------------------------------------------------------
// Feeds and sitemaps

/** A strict XML parse of a feed or sitemap: its root element and every URL it lists
 * (`<loc>`, `<link>`, `href=` and `url=` attributes), or the first well-formedness error. */
function readXml(text: string): { root?: string; urls: string[]; error?: string } {
  const parser = new SaxesParser({ position: true });
  const urls: string[] = [];
  let root: string | undefined;
  let collecting: string | undefined;
  let buffer = '';
  const local = (name: string) => name.replace(/^.*:/, '');
  parser.on('opentag', (tag) => {
    root ??= tag.name;
    for (const [name, value] of Object.entries(tag.attributes)) {
      if ((name === 'href' || name === 'url') && typeof value === 'string') urls.push(value);
    }
    if (local(tag.name) === 'loc' || local(tag.name) === 'link') {
      collecting = tag.name;
      buffer = '';
    }
  });
  parser.on('text', (t) => collecting && (buffer += t));
  parser.on('cdata', (t) => collecting && (buffer += t));
  parser.on('closetag', (tag) => {
    if (tag.name !== collecting) return;
    if (buffer.trim()) urls.push(buffer.trim());
    collecting = undefined;
  });
  try {
    parser.write(text).close();
  } catch (e) {
    return { urls, error: (e as Error).message };
  }
  return { root, urls };
}

function siteOrigin(dist: string): string | undefined {
  const index = join(dist, 'index.html');
  if (!existsSync(index)) return undefined;
  const href = /<link[^>]+rel="canonical"[^>]+href="([^"]+)"/.exec(readFileSync(index, 'utf8'))?.[1];
  return href ? new URL(href).origin : undefined;
}

function checkFeeds(dist: string, files: string[], origin: string | undefined): CheckResult {
  const out = result();
  const fileSet = new Set(files);
  let feeds = 0;
  const checkUrls = (file: string, urls: string[]) => {
    for (const url of new Set(urls)) {
      let parsed: URL;
      try {
        parsed = new URL(url, origin ?? 'https://invalid.invalid');
      } catch {
        out.problems.push({ file, message: `lists "${url}", which is not a URL` });
        continue;
      }
      if (!origin || parsed.origin !== origin) continue;
      if (!fileOfPath(fileSet, parsed.pathname)) out.problems.push({ file, message: `lists ${url}, which has no file in the build` });
    }
  };

  for (const file of files) {
    if (/\.(xml|rss|atom)$/i.test(file)) {
      const xml = readXml(readFileSync(join(dist, file), 'utf8'));
      if (xml.error) {
        out.problems.push({ file, message: `does not parse as XML: ${xml.error}` });
        continue;
      }
      if (!xml.root || !/^(urlset|sitemapindex|rss|feed|rdf:RDF)$/.test(xml.root)) continue;
      feeds++;
      checkUrls(file, xml.urls);
    } else if (file.endsWith('.json') && !file.startsWith('pagefind/')) {
      let doc: unknown;
      try {
        doc = JSON.parse(readFileSync(join(dist, file), 'utf8'));
      } catch (e) {
        out.problems.push({ file, message: `does not parse as JSON: ${(e as Error).message}` });
        continue;
      }
      const feed = doc as { version?: unknown; home_page_url?: string; feed_url?: string; items?: { url?: string }[] };
      if (typeof feed.version !== 'string' || !feed.version.startsWith('https://jsonfeed.org/version/')) continue;
      feeds++;
      const urls = [feed.home_page_url, feed.feed_url, ...(feed.items ?? []).map((i) => i.url)].filter(
        (u): u is string => typeof u === 'string',
      );
      checkUrls(file, urls);
    }
  }
  if (!origin)
    out.notes.push({ file: 'index.html', message: 'has no canonical link, so URLs in feeds and sitemaps could not be matched to files' });
  out.summary = `${feeds} feeds and sitemaps`;
  return out;
}

// ---------------------------------------------------------------------------------------
// Page weight

/** Page weight, with the same measurement and budgets as `npm run budget` (scripts/page-weight.ts). */
function checkBudget(dist: string): CheckResult {
  const out = result();
  const pages = measureSite(dist);
  for (const p of overBudget(pages)) {
    out.problems.push({ file: p.path, message: `${p.what} is ${p.bytes} bytes compressed, over its budget of ${p.budget}` });
  }
  out.summary = `${pages.length} pages weighed`;
  return out;
}

// ---------------------------------------------------------------------------------------

async function main() {
  const dist = resolve(process.argv[2] ?? join(ROOT, 'dist'));
  if (!existsSync(join(dist, 'index.html'))) {
    console.error(`verify: ${dist} has no index.html; build the site first (npm run build)`);
    process.exit(2);
  }
  const files = listDist(dist).filter((f) => !(HOST_FILES as readonly string[]).includes(f));
  const htmlFiles = files.filter((f) => f.endsWith('.html'));
  const scans = new Map(htmlFiles.map((f) => [f, scanHtml(readFileSync(join(dist, f), 'utf8'))]));
  const origin = siteOrigin(dist);

  const checks: [string, () => Promise<CheckResult> | CheckResult][] = [
    ['host files', () => checkHostFiles(dist, files, scans)],
    ['links', () => checkLinks(dist, files, origin ?? 'https://site.invalid')],
    ['html', () => checkHtml(dist, htmlFiles)],
    ['feeds', () => checkFeeds(dist, files, origin)],
    ['budget', () => checkBudget(dist)],
  ];
  let failed = 0;
  for (const [name, run] of checks) {
    let r: CheckResult;
    const started = performance.now();
    try {
      r = await run();
    } catch (e) {
      r = { problems: [{ file: '(verify)', message: `the ${name} check crashed: ${(e as Error).stack ?? e}` }], notes: [] };
    }
    failed += r.problems.length;
    const status = r.problems.length ? `${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}` : 'ok';
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`verify ${name}: ${status} (${r.summary ? `${r.summary}, ` : ''}${seconds} s)`);
    for (const p of r.problems) console.log(`  ✗ ${p.file}: ${p.message}`);
    for (const n of r.notes) console.log(`  · ${n.file}: ${n.message}`);
  }
  if (failed) {
    console.log(`verify: ${failed} problem${failed === 1 ? '' : 's'} in ${dist}; nothing may be published until they are fixed`);
    process.exit(1);
  }
  console.log(`verify: ${dist} passed every check`);
}

await main();
