import { parseAllHeaders, type Header } from '@netlify/headers-parser';

/** `_headers` read with Netlify's own parser, as publish:s3 reads it (the s3 host writes Netlify's dialect). */
async function readRules(file: string): Promise<Header[]> {
  const { headers, errors } = await parseAllHeaders({ headersFiles: [file], configHeaders: [], minimal: false });
  if (errors.length) throw new Error(`${file}: ${errors.map((e) => e.message).join('; ')}`);
  return headers as Header[];
}

/** The headers `_headers` sends on every path (`/*`), read with Netlify's own parser as publish:s3 does. */
export async function siteHeaders(file: string): Promise<[string, string][]> {
  const all = (await readRules(file)).find((h) => h.for === '/*');
  if (!all) throw new Error(`${file} has no /* rule with the site's security headers`);
  return Object.entries(all.values);
}

/**
 * The headers a response under /admin/ gets from `_headers`: every matching rule, the later one's
 * value winning, as Netlify's engine and publish:s3 combine them (the site's security headers with
 * the editor's CSP, COOP and X-Robots-Tag over them), less Cache-Control, which CloudFront takes
 * from each object. Undefined when the build has no editor (no `/admin/*` rule).
 */
export async function adminHeaders(file: string): Promise<[string, string][] | undefined> {
  const rules = await readRules(file);
  if (!rules.some((h) => h.for === '/admin/*')) return undefined;
  const merged = Object.assign({}, ...rules.filter((r) => r.forRegExp.test('/admin/')).map((r) => r.values)) as Record<string, string>;
  return Object.entries(merged).filter(([name]) => name.toLowerCase() !== 'cache-control');
}
