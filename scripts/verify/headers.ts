import {
  ADMIN_HEADERS,
  HOST_LIMITS,
  REQUIRED_SECURITY_HEADERS,
  cspAllows,
  parseCsp,
  parsePolicies,
  urlPathOf,
} from '../../src/integrations/host-files/policy.ts';
import { dialectOf, readHostHeaders, type HostHeaders } from '../../src/integrations/host-files/dialect.ts';
import { isHost } from '../../src/lib/host.ts';
import { scanHtml, type PageScan } from '../../src/integrations/host-files/scan.ts';
import { result, type Check, type CheckResult, type Site } from './types.ts';

/**
 * `_headers`, read in the dialect of the host it was written for (its `# Dialect:` line, from the
 * site setting `host`; `MASTHEAD_HOST`, when set, must agree): every file matches exactly one
 * Cache-Control rule, every page ends with the security headers, each page's inline code and
 * resource origins are allowed by every CSP it gets, and the file stays within the host's limits.
 */

/** "/_pagefind/ .js" – how missing rules are grouped, so one gap reads as one problem. */
const pathType = (file: string) => {
  const dir = file.includes('/') ? `/${file.slice(0, file.indexOf('/'))}/` : '/';
  const ext = /\.[^./]+$/.exec(file)?.[0] ?? '(no extension)';
  return `${ext} files under ${dir}`;
};

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

/** `_headers` as its host reads it, or undefined when it is missing. */
export const readHeaders = (dist: string): Promise<HostHeaders | undefined> => readHostHeaders(dist);

/** The values of `header` that the rules matching `path` set, one per rule. */
export const headerValues = (rules: HostHeaders['rules'], path: string, header: string) =>
  rules
    .filter((r) => r.matches(path))
    .flatMap((r) => (r.values[header.toLowerCase()] === undefined ? [] : [r.values[header.toLowerCase()]!]));

export async function headersCheck(site: Site): Promise<Check> {
  const out = result();
  const name = 'host files';
  const read = await readHeaders(site.dist);
  if (!read) {
    out.problems.push({
      file: '_headers',
      message: 'is missing; the host-files integration (astro.config.mjs) writes it during `astro build`',
    });
    return { name, finish: () => out };
  }
  const { text, rules, errors } = read;
  const target = process.env.MASTHEAD_HOST;
  if (!dialectOf(text)) {
    out.problems.push({
      file: '_headers',
      message: 'names no host it was written for (no "# Dialect:" line), so it was read as Netlify reads it; rebuild',
    });
  }
  if (target && isHost(target) && target !== read.host) {
    out.problems.push({
      file: '_headers',
      message: `was written for ${read.host}, but MASTHEAD_HOST (the deploy target) is ${target}; build again with MASTHEAD_HOST=${target}`,
    });
  }
  text.split('\n').forEach((line, i) => {
    if (line.length > HOST_LIMITS.headerLine) {
      out.problems.push({
        file: '_headers',
        message: `line ${i + 1} is ${line.length} characters; Cloudflare Pages ignores lines over ${HOST_LIMITS.headerLine}`,
      });
    }
  });
  for (const e of errors) out.problems.push({ file: '_headers', message: e });
  if (rules.length > HOST_LIMITS.headerRules) {
    out.problems.push({
      file: '_headers',
      message: `has ${rules.length} rules; Cloudflare Pages reads at most ${HOST_LIMITS.headerRules}`,
    });
  }
  const valuesFor = (path: string, header: string) => headerValues(rules, path, header);
  let cspLengthNoted = false;
  const servedWith = (path: string, header: string): string | undefined => read.headersFor(path)[header.toLowerCase()];

  return {
    name,
    page({ file, document }) {
      const path = urlPathOf(file);
      for (const header of REQUIRED_SECURITY_HEADERS) {
        if (servedWith(path, header) === undefined) out.problems.push({ file, message: `${path} gets no ${header} header from _headers` });
      }
      const policy = servedWith(path, 'Content-Security-Policy');
      if (!policy) return;
      const scan = scanHtml(document);
      for (const csp of parsePolicies(policy)) checkPageAgainstCsp(file, scan, csp, out);
      if (policy.length > HOST_LIMITS.cspLength && !cspLengthNoted) {
        cspLengthNoted = true;
        out.notes.push({
          file: '_headers',
          message: `the CSP is ${policy.length} characters; a CloudFront response headers policy takes at most ${HOST_LIMITS.cspLength} (S3 target only)`,
        });
      }
    },
    finish() {
      const missing = new Map<string, string[]>();
      for (const file of site.files) {
        const path = urlPathOf(file);
        const cacheControl = valuesFor(path, 'Cache-Control');
        if (cacheControl.length === 0) missing.set(pathType(file), [...(missing.get(pathType(file)) ?? []), path]);
        else if (cacheControl.length > 1) {
          out.problems.push({
            file,
            message: `${path} matches ${cacheControl.length} Cache-Control rules in _headers (${cacheControl.join(' | ')}); hosts would combine them`,
          });
        }
      }
      // Pagefind written after hostFiles() ran (a postbuild step, say) would be blocked from compiling its WebAssembly.
      const siteCsp = rules.find((r) => r.path === '/*')?.values['content-security-policy'] ?? '';
      if (site.files.some((f) => f.startsWith('_pagefind/')) && !parseCsp(siteCsp).get('script-src')?.includes("'wasm-unsafe-eval'")) {
        out.problems.push({
          file: '_headers',
          message:
            "dist/_pagefind/ exists but the CSP's script-src lacks 'wasm-unsafe-eval', so search cannot load; index with Pagefind inside the build, before hostFiles()",
        });
      }
      // The editor's headers must replace the site's under /admin/, not join them (Cloudflare joins
      // a header two rules give unless the later rule detaches it).
      if (site.files.some((f) => f.startsWith('admin/'))) {
        const admin = read.headersFor('/admin/');
        for (const [name, value] of ADMIN_HEADERS) {
          if (admin[name.toLowerCase()] !== value) {
            out.problems.push({
              file: '_headers',
              message: `/admin/ ends with ${name}: ${JSON.stringify(admin[name.toLowerCase()] ?? null)} on ${read.host}, not the editor's own value; the /admin/* rule must replace the site's (src/integrations/host-files/policy.ts, renderHeaders)`,
            });
          }
        }
      }
      for (const [type, paths] of missing) {
        const shown = paths.slice(0, 5).join(', ');
        out.problems.push({
          file: '_headers',
          message: `no Cache-Control rule for ${type}: ${shown}${paths.length > 5 ? ` and ${paths.length - 5} more` : ''}`,
        });
      }
      return out;
    },
  };
}
