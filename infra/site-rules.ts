import { parseAllHeaders, type Header } from '@netlify/headers-parser';

/** The headers `_headers` sends on every path (`/*`), read with Netlify's own parser as publish:s3 does. */
export async function siteHeaders(file: string): Promise<[string, string][]> {
  const { headers, errors } = await parseAllHeaders({ headersFiles: [file], configHeaders: [], minimal: false });
  if (errors.length) throw new Error(`${file}: ${errors.map((e) => e.message).join('; ')}`);
  const all = (headers as Header[]).find((h) => h.for === '/*');
  if (!all) throw new Error(`${file} has no /* rule with the site's security headers`);
  return Object.entries(all.values);
}
