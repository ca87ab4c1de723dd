/**
 * The CloudFront Function in front of the private bucket (viewer request). A private bucket
 * behind Origin Access Control is read through S3's REST API, which knows nothing of index
 * documents or website redirects, so this function does what the S3 website endpoint, Netlify
 * and Cloudflare Pages do from `_redirects` and directory folders:
 *
 * - `from to 301` rules of `dist/_redirects` answer 301 (aliases of moved stories);
 * - `/news/x/` is read from `news/x/index.html`; `/news/x` redirects to `/news/x/`;
 * - `pr-<n>.<preview domain>` is served from `previews/pr-<n>/` of the same bucket, and (as the
 *   viewer-response function) answers with `X-Robots-Tag: noindex`.
 *
 * The code is generated (rules inline) and stays under CloudFront's 10 KB function limit; past
 * it, the rules move to a CloudFront KeyValueStore and the function looks them up there.
 * It is plain ES5 so it runs in CloudFront's JavaScript runtime and, in tests, in Node's `vm`.
 */

/** CloudFront's limit on a function's code. */
export const FUNCTION_CODE_LIMIT = 10 * 1024;

export interface RedirectRule {
  from: string;
  to: string;
  status: number;
}

/** The `from to status` lines of a `_redirects` file (comments and blank lines skipped). */
export function parseRedirects(text: string): RedirectRule[] {
  const rules: RedirectRule[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [from, to, status = '301', ...rest] = line.split(/\s+/);
    const code = Number(status.replace(/!$/, ''));
    if (!from?.startsWith('/') || !to || rest.length || ![301, 302, 308].includes(code)) {
      throw new Error(`_redirects:${i + 1}: "${line}" is not a "from to 301" rule this CDN function supports`);
    }
    rules.push({ from, to, status: code });
  }
  return rules;
}

export interface EdgeFunctionOptions {
  rules: RedirectRule[];
  /** `preview.news.example.org`: `pr-7.preview.news.example.org` serves `previews/pr-7/`. */
  previewDomain?: string;
  /** The KeyValueStore's id, when the rules are kept there instead of inline. */
  keyValueStoreId?: string;
}

const BODY = `
function target(uri) {
  if (uri.charAt(uri.length - 1) === '/') return uri + 'index.html';
  var last = uri.slice(uri.lastIndexOf('/') + 1);
  return last.indexOf('.') === -1 ? null : uri;
}
function redirect(status, location) {
  return {
    statusCode: status,
    statusDescription: status === 302 ? 'Found' : 'Moved Permanently',
    headers: { location: { value: location }, 'cache-control': { value: 'public, max-age=60' } }
  };
}
function query(qs) {
  var parts = [];
  for (var k in qs) {
    var v = qs[k];
    var all = v.multiValue ? v.multiValue : [v];
    for (var i = 0; i < all.length; i++) parts.push(all[i].value === '' ? k : k + '=' + all[i].value);
  }
  return parts.length ? '?' + parts.join('&') : '';
}
`;

/** The function's source: rules inline, or read from the KeyValueStore `keyValueStoreId`. */
export function edgeFunctionCode(options: EdgeFunctionOptions): string {
  const previewSuffix = options.previewDomain ? `.${options.previewDomain.toLowerCase()}` : '';
  const header = `var PREVIEW_SUFFIX = ${JSON.stringify(previewSuffix)};\n`;
  const handlerStart = `
  var request = event.request;
  if (event.context && event.context.eventType === 'viewer-response') {
    var h = request.headers.host ? request.headers.host.value.toLowerCase() : '';
    if (PREVIEW_SUFFIX && h.slice(-PREVIEW_SUFFIX.length) === PREVIEW_SUFFIX) {
      event.response.headers['x-robots-tag'] = { value: 'noindex' };
    }
    return event.response;
  }
  var uri = request.uri;
  var prefix = '';
  if (PREVIEW_SUFFIX) {
    var host = request.headers.host ? request.headers.host.value.toLowerCase() : '';
    if (host.length > PREVIEW_SUFFIX.length && host.slice(-PREVIEW_SUFFIX.length) === PREVIEW_SUFFIX) {
      var label = host.slice(0, -PREVIEW_SUFFIX.length);
      if (!/^pr-[0-9]+$/.test(label)) return { statusCode: 404, statusDescription: 'Not Found' };
      prefix = '/previews/' + label;
    }
  }`;
  const handlerEnd = `
  var file = target(uri);
  if (file === null) return redirect(301, uri + '/' + query(request.querystring));
  request.uri = prefix + file;
  return request;`;
  if (options.keyValueStoreId) {
    // Values are "status location"; a missing key throws, which means "no rule".
    return `import cf from 'cloudfront';
var kvs = cf.kvs(${JSON.stringify(options.keyValueStoreId)});
${header}${BODY}
async function rule(path) {
  try {
    var v = await kvs.get(path);
    var at = v.indexOf(' ');
    return { status: Number(v.slice(0, at)), to: v.slice(at + 1) };
  } catch (e) {
    return null;
  }
}
async function handler(event) {${handlerStart}
  var r = await rule(uri);
  if (r) return redirect(r.status, r.to);
${handlerEnd}
}
`;
  }
  const table: Record<string, [number, string]> = {};
  for (const r of options.rules) table[r.from] = [r.status, r.to];
  return `${header}var RULES = ${JSON.stringify(table)};
${BODY}
function handler(event) {${handlerStart}
  var r = RULES[uri];
  if (r) return redirect(r[0], r[1]);
${handlerEnd}
}
`;
}

/** The KeyValueStore import document (`{"data":[{key, value}]}`) for the same rules. */
export function keyValueStoreData(rules: RedirectRule[]): string {
  return JSON.stringify({ data: rules.map((r) => ({ key: r.from, value: `${r.status} ${r.to}` })) });
}

/** Inline while the code fits in a CloudFront Function; otherwise the rules go to a KeyValueStore. */
export const needsKeyValueStore = (options: EdgeFunctionOptions) =>
  Buffer.byteLength(edgeFunctionCode({ ...options, keyValueStoreId: undefined })) > FUNCTION_CODE_LIMIT;
