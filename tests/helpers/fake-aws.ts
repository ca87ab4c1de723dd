import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the few S3 and CloudFront REST calls `npm run publish:s3` makes, on
 * 127.0.0.1, so the real AWS SDK is tested over real HTTP (no mock of the SDK): PutObject,
 * GetObject, DeleteObjects (path-style) and CreateInvalidation. It records every call in order.
 */
export interface StoredObject {
  body: Buffer;
  contentType?: string;
  cacheControl?: string;
  redirect?: string;
}

export interface FakeAws {
  endpoint: string;
  objects: Map<string, StoredObject>;
  /** `PUT key`, `GET key`, `DELETE key`, `INVALIDATE distribution paths…`, in arrival order. */
  calls: string[];
  invalidations: { distribution: string; callerReference: string; paths: string[] }[];
  /** Keys whose PutObject answers 403 AccessDenied. */
  denyPut: Set<string>;
  close(): Promise<void>;
}

const xmlError = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
const unxml = (s: string) =>
  s.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&apos;', "'").replaceAll('&amp;', '&');

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  // The SDK may send an aws-chunked body with a trailing checksum: `<hex size>\r\n<data>\r\n … 0\r\n<trailer>`.
  if (!/aws-chunked/.test(req.headers['content-encoding'] ?? '')) return raw;
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', at);
    const size = parseInt(raw.subarray(at, eol).toString('latin1').split(';')[0]!, 16);
    if (!size) break;
    out.push(raw.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}

export async function startFakeAws(bucket: string): Promise<FakeAws> {
  const objects = new Map<string, StoredObject>();
  const calls: string[] = [];
  const invalidations: FakeAws['invalidations'] = [];
  const denyPut = new Set<string>();
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url!, 'http://localhost');
      const body = await bodyOf(req);
      const invalidation = /^\/2020-05-31\/distribution\/([^/]+)\/invalidation$/.exec(url.pathname);
      if (invalidation && req.method === 'POST') {
        const xml = body.toString('utf8');
        const paths = [...xml.matchAll(/<Path>([^<]*)<\/Path>/g)].map((m) => unxml(m[1]!));
        const callerReference = unxml(/<CallerReference>([^<]*)</.exec(xml)?.[1] ?? '');
        invalidations.push({ distribution: invalidation[1]!, callerReference, paths });
        calls.push(`INVALIDATE ${invalidation[1]} ${paths.join(' ')}`);
        res.writeHead(201, { 'content-type': 'text/xml', location: `/2020-05-31/distribution/${invalidation[1]}/invalidation/I1` });
        return res.end(
          `<?xml version="1.0"?><Invalidation><Id>I1</Id><Status>InProgress</Status><CreateTime>2026-11-25T12:00:00Z</CreateTime></Invalidation>`,
        );
      }
      const prefix = `/${bucket}/`;
      if (!url.pathname.startsWith(prefix) && url.pathname !== `/${bucket}`) {
        res.writeHead(404, { 'content-type': 'application/xml' });
        return res.end(xmlError('NoSuchBucket', 'The specified bucket does not exist'));
      }
      const key = decodeURIComponent(url.pathname.slice(prefix.length));
      if (req.method === 'PUT') {
        calls.push(`PUT ${key}`);
        if (denyPut.has(key)) {
          res.writeHead(403, { 'content-type': 'application/xml' });
          return res.end(xmlError('AccessDenied', 'Access Denied'));
        }
        objects.set(key, {
          body,
          contentType: req.headers['content-type'],
          cacheControl: req.headers['cache-control'],
          redirect: req.headers['x-amz-website-redirect-location'] as string | undefined,
        });
        res.writeHead(200, { etag: '"0"' });
        return res.end();
      }
      if (req.method === 'GET') {
        calls.push(`GET ${key}`);
        const o = objects.get(key);
        if (!o) {
          res.writeHead(404, { 'content-type': 'application/xml' });
          return res.end(xmlError('NoSuchKey', 'The specified key does not exist.'));
        }
        res.writeHead(200, { 'content-type': o.contentType ?? 'application/octet-stream', 'content-length': o.body.length });
        return res.end(o.body);
      }
      if (req.method === 'POST' && url.searchParams.has('delete')) {
        const keys = [...body.toString('utf8').matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => unxml(m[1]!));
        for (const k of keys) {
          calls.push(`DELETE ${k}`);
          objects.delete(k);
        }
        res.writeHead(200, { 'content-type': 'application/xml' });
        return res.end('<?xml version="1.0" encoding="UTF-8"?><DeleteResult></DeleteResult>');
      }
      res.writeHead(501, { 'content-type': 'application/xml' });
      res.end(xmlError('NotImplemented', `${req.method} ${req.url} is not spoken by this fake`));
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { endpoint, objects, calls, invalidations, denyPut, close: () => new Promise((r) => server.close(() => r())) };
}
