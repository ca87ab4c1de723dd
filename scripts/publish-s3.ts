/**
 * `npm run publish:s3 -- --bucket NAME --distribution ID [options]`: publishes a verified
 * dist/ to an S3 bucket behind CloudFront with the AWS SDK, uploading only what changed, in
 * parallel, each file with its own Cache-Control and Content-Type. See docs/publishing.md.
 * `--dry-run` prints the plan (every upload, redirect, deletion and invalidation) and sends nothing.
 * Credentials, region and endpoints come from the SDK's usual sources (environment, profile,
 * the role GitHub Actions assumed); `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL_CLOUDFRONT` point it elsewhere.
 */
import { parseAllHeaders, type Header } from '@netlify/headers-parser';
import { parseAllRedirects } from '@netlify/redirect-parser';
import {
  CloudFrontClient,
  CloudFrontServiceException,
  CreateInvalidationCommand,
  DescribeFunctionCommand,
  GetResponseHeadersPolicyConfigCommand,
  PublishFunctionCommand,
  UpdateFunctionCommand,
  UpdateResponseHeadersPolicyCommand,
  type ResponseHeadersPolicyConfig,
} from '@aws-sdk/client-cloudfront';
import { DeleteObjectsCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { listFiles } from '../src/lib/list-files.ts';
import { cliArgs } from './lib/cli.ts';
import { CACHE_CONTROL, HOST_FILES, HOST_LIMITS } from '../src/integrations/host-files/policy.ts';
import { urlPathOf } from '../src/lib/dist-path.ts';
import {
  MANIFEST_KEY,
  emptyManifest,
  mergeCsp,
  planPublish,
  responseHeadersPolicyConfig,
  sha256,
  type Manifest,
} from './lib/publish-plan.ts';
import { SITE_MANIFEST_PATH } from './lib/site-manifest.ts';
import { edgeFunctionCode, needsKeyValueStore, parseRedirects } from '../infra/edge-function.ts';

const USAGE = `usage: npm run publish:s3 -- --bucket NAME [--distribution ID] [--prefix PATH]
         [--dist DIR] [--previous-manifest FILE|none] [--response-headers-policy ID]
         [--edge-function NAME [--preview-domain DOMAIN]] [--max-invalidation-paths N]
         [--concurrency N] [--dry-run]
Environment: MASTHEAD_S3_BUCKET, MASTHEAD_CLOUDFRONT_DISTRIBUTION_ID, MASTHEAD_RESPONSE_HEADERS_POLICY_ID,
MASTHEAD_EDGE_FUNCTION, MASTHEAD_PREVIEW_DOMAIN; the AWS SDK's own (AWS_REGION, AWS_ENDPOINT_URL_S3, …).`;

const fail = (message: string): never => {
  console.error(`publish:s3: ${message}`);
  process.exit(1);
};

const { values: opts } = cliArgs('publish:s3', USAGE, {
  options: {
    dist: { type: 'string', default: 'dist' },
    bucket: { type: 'string', default: process.env.MASTHEAD_S3_BUCKET },
    prefix: { type: 'string', default: '' },
    distribution: { type: 'string', default: process.env.MASTHEAD_CLOUDFRONT_DISTRIBUTION_ID },
    'previous-manifest': { type: 'string' },
    'response-headers-policy': { type: 'string', default: process.env.MASTHEAD_RESPONSE_HEADERS_POLICY_ID },
    'edge-function': { type: 'string', default: process.env.MASTHEAD_EDGE_FUNCTION },
    'preview-domain': { type: 'string', default: process.env.MASTHEAD_PREVIEW_DOMAIN },
    'max-invalidation-paths': { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '16' },
    'dry-run': { type: 'boolean', default: false },
  },
});
const bucket = opts.bucket || fail(`--bucket is required\n${USAGE}`);
const dist = resolve(opts.dist);
const dryRun = opts['dry-run'];
const prefix = opts.prefix.replace(/^\/+|\/+$/g, '');
const keyOf = (file: string) => `${prefix ? `${prefix}/` : ''}${file}`;
const maxInvalidationPaths = Number(opts['max-invalidation-paths']);
if (!Number.isInteger(maxInvalidationPaths) || maxInvalidationPaths < 1) fail('--max-invalidation-paths must be a whole number above 0');
const concurrency = Number(opts.concurrency);
if (!Number.isInteger(concurrency) || concurrency < 1) fail('--concurrency must be a whole number above 0');

for (const file of ['index.html', ...HOST_FILES]) {
  if (!existsSync(join(dist, file))) fail(`${join(dist, file)} is missing; run \`npm run build\` and \`npm run verify\` first`);
}

// What each file is served with comes from dist/_headers, the single source for every host.
const { headers: headerRules, errors: headerErrors } = await parseAllHeaders({
  headersFiles: [join(dist, '_headers')],
  configHeaders: [],
  minimal: false,
});
if (headerErrors.length) fail(`_headers: ${headerErrors.map((e) => e.message).join('; ')}`);
const headersFor = (path: string) =>
  Object.assign({}, ...(headerRules as Header[]).filter((r) => r.forRegExp.test(path)).map((r) => r.values)) as Record<string, string>;
// The site manifest is written after the build (npm run manifest), so no _headers rule names it.
const cacheControlOf = (file: string): string | undefined =>
  file === SITE_MANIFEST_PATH ? CACHE_CONTROL.revalidate : headersFor(urlPathOf(file))['Cache-Control'];

const redirectsText = readFileSync(join(dist, '_redirects'), 'utf8');
const { redirects: redirectRules, errors: redirectErrors } = await parseAllRedirects({
  redirectsFiles: [join(dist, '_redirects')],
  configRedirects: [],
  minimal: false,
});
if (redirectErrors.length) fail(`_redirects: ${redirectErrors.map((e: Error) => e.message).join('; ')}`);
const redirects = Object.fromEntries((redirectRules as { from: string; to: string }[]).map((r) => [r.from, r.to]));

const files = Object.fromEntries(
  listFiles(dist)
    .filter((f) => !(HOST_FILES as readonly string[]).includes(f))
    .map((f) => [f, sha256(readFileSync(join(dist, f)))]),
);
const siteHeaders = headersFor('/');
const csp = siteHeaders['Content-Security-Policy'];

// Path-style addressing when the endpoint is not AWS's (a local S3 for tests, MinIO, …).
const s3 = new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL) });
const cloudfront = new CloudFrontClient({});

/** An SDK call that fails names the operation, the object and AWS's error code, then stops. */
async function send<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof S3ServiceException || e instanceof CloudFrontServiceException)
      return fail(`${what}: ${e.name} (HTTP ${e.$metadata.httpStatusCode ?? '?'}): ${e.message}`);
    return fail(`${what}: ${(e as Error).message}`);
  }
}

/** Runs `work` over `items`, `concurrency` at a time. */
async function parallel<T>(items: readonly T[], work: (item: T) => Promise<unknown>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

// The previous publish's manifest: given, or read from the bucket (absent before the first publish).
let previous: Manifest = emptyManifest();
const given = opts['previous-manifest'];
if (given && given !== 'none') previous = JSON.parse(readFileSync(given, 'utf8')) as Manifest;
else if (!given && dryRun) console.log(`# no --previous-manifest: planning as a first publish (a real run reads ${keyOf(MANIFEST_KEY)})`);
else if (!given) {
  try {
    const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(MANIFEST_KEY) }));
    previous = JSON.parse(await r.Body!.transformToString()) as Manifest;
  } catch (e) {
    if (e instanceof NoSuchKey) console.log('# no previous manifest in the bucket: this is the first publish');
    else await send(`reading s3://${bucket}/${keyOf(MANIFEST_KEY)}`, () => Promise.reject(e));
  }
}

const plan = (() => {
  try {
    return planPublish({ files, redirects, csp, previous, cacheControlOf, maxInvalidationPaths });
  } catch (e) {
    return fail((e as Error).message);
  }
})();

console.log(
  `# publish:s3${dryRun ? ' (dry run)' : ''}: ${plan.counts.files} files, ${plan.counts.changed} to upload, ${plan.counts.unchanged} unchanged; ` +
    `${plan.redirects.length} redirects to write, ${plan.deletions.length} objects to delete, ${plan.invalidationPaths.length} paths to invalidate`,
);

// Security headers: S3 cannot send them, so a CloudFront response headers policy does.
const policyId = opts['response-headers-policy'];
if (policyId && csp) {
  const deployed = mergeCsp(csp, previous.csp);
  if (deployed.length > HOST_LIMITS.cspLength)
    fail(`the CSP is ${deployed.length} characters; CloudFront takes at most ${HOST_LIMITS.cspLength}`);
  console.log(`# security headers: response headers policy ${policyId} gets this and the last publish’s CSP sources`);
  if (!dryRun) {
    const current = await send(`reading response headers policy ${policyId}`, () =>
      cloudfront.send(new GetResponseHeadersPolicyConfigCommand({ Id: policyId })),
    );
    const config = current.ResponseHeadersPolicyConfig as unknown as Record<string, unknown>;
    const next = responseHeadersPolicyConfig(config, { ...siteHeaders, 'Content-Security-Policy': deployed });
    if (JSON.stringify(next) === JSON.stringify(config)) console.log('# the response headers policy is already current');
    else
      await send(`updating response headers policy ${policyId}`, () =>
        cloudfront.send(
          new UpdateResponseHeadersPolicyCommand({
            Id: policyId,
            IfMatch: current.ETag,
            ResponseHeadersPolicyConfig: next as unknown as ResponseHeadersPolicyConfig,
          }),
        ),
      );
  }
}

// Uploads: pass 1 (content-hashed assets) completes before pass 2 (pages that reference them).
for (const pass of [1, 2] as const) {
  const uploads = plan.groups
    .filter((g) => g.pass === pass)
    .flatMap((g) => g.files.map((file) => ({ file, cacheControl: g.cacheControl, contentType: g.contentType })));
  console.log(
    pass === 1
      ? `# pass 1: ${uploads.length} content-hashed assets (immutable), before any page that references them`
      : `# pass 2: ${uploads.length} pages, feeds, sitemaps and other files`,
  );
  for (const u of uploads) console.log(`PUT ${keyOf(u.file)}  ${u.contentType}  ${u.cacheControl}`);
  if (!dryRun)
    await parallel(uploads, (u) =>
      send(`uploading ${u.file}`, () =>
        s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: keyOf(u.file),
            Body: readFileSync(join(dist, u.file)),
            CacheControl: u.cacheControl,
            ContentType: u.contentType,
          }),
        ),
      ),
    );
}

// Alias redirects as S3 website redirect objects: the website endpoint answers them with a
// 301; behind Origin Access Control the edge function answers the same rules first.
if (plan.redirects.length) console.log('# alias redirects');
for (const r of plan.redirects) console.log(`REDIRECT ${keyOf(r.key)} → ${r.location}`);
if (!dryRun)
  await parallel(plan.redirects, (r) =>
    send(`writing the redirect ${r.key}`, () =>
      s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: keyOf(r.key),
          WebsiteRedirectLocation: r.location,
          CacheControl: CACHE_CONTROL.revalidate,
          ContentType: 'text/html; charset=utf-8',
          Body: '',
        }),
      ),
    ),
  );

// The edge function carries the `_redirects` rules (infra/edge-function.ts): republished when they change.
const edgeFunction = opts['edge-function'];
const redirectsChanged = JSON.stringify(previous.redirects) !== JSON.stringify(redirects);
if (edgeFunction && redirectsChanged) {
  console.log(`# the redirect rules changed: update and publish the CloudFront function ${edgeFunction}`);
  if (!dryRun) {
    const described = await send(`reading function ${edgeFunction}`, () =>
      cloudfront.send(new DescribeFunctionCommand({ Name: edgeFunction, Stage: 'DEVELOPMENT' })),
    );
    const rules = parseRedirects(redirectsText);
    if (described.FunctionSummary?.FunctionConfig?.KeyValueStoreAssociations?.Quantity)
      fail(
        `function ${edgeFunction} reads its rules from a KeyValueStore, which publish:s3 does not update yet; put the changed keys with aws cloudfront-keyvaluestore put-key (dist/_redirects has them)`,
      );
    if (needsKeyValueStore({ rules, previewDomain: opts['preview-domain'] }))
      fail(
        `${rules.length} redirect rules outgrow a CloudFront Function's 10 KB; deploy infra/ again with this dist (npx aws-cdk@2 deploy -c dist=dist), which keeps them in a KeyValueStore`,
      );
    const updated = await send(`updating function ${edgeFunction}`, () =>
      cloudfront.send(
        new UpdateFunctionCommand({
          Name: edgeFunction,
          IfMatch: described.ETag,
          FunctionConfig: described.FunctionSummary!.FunctionConfig!,
          FunctionCode: new TextEncoder().encode(edgeFunctionCode({ rules, previewDomain: opts['preview-domain'] })),
        }),
      ),
    );
    await send(`publishing function ${edgeFunction}`, () =>
      cloudfront.send(new PublishFunctionCommand({ Name: edgeFunction, IfMatch: updated.ETag })),
    );
  }
}

if (plan.deletions.length) console.log('# pages and redirects that no longer exist (old hashed assets are kept)');
for (const key of plan.deletions) console.log(`DELETE ${keyOf(key)}`);
for (let i = 0; i < plan.deletions.length && !dryRun; i += 1000) {
  const batch = plan.deletions.slice(i, i + 1000);
  const r = await send('deleting old objects', () =>
    s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((key) => ({ Key: keyOf(key) })), Quiet: true } })),
  );
  if (r.Errors?.length) fail(`deleting old objects: ${r.Errors.map((e) => `${e.Key}: ${e.Code} ${e.Message}`).join('; ')}`);
}

if (plan.invalidationPaths.length && opts.distribution) {
  console.log(`# invalidate the changed pages (caller reference ${plan.callerReference})`);
  for (const path of plan.invalidationPaths) console.log(`INVALIDATE ${path}`);
  if (!dryRun)
    await send(`invalidating distribution ${opts.distribution}`, () =>
      cloudfront.send(
        new CreateInvalidationCommand({
          DistributionId: opts.distribution,
          InvalidationBatch: {
            CallerReference: plan.callerReference,
            Paths: { Quantity: plan.invalidationPaths.length, Items: plan.invalidationPaths },
          },
        }),
      ),
    );
} else if (plan.invalidationPaths.length) {
  console.log(`# no --distribution: ${plan.invalidationPaths.length} changed pages are not invalidated`);
}

// Last, so a publish that fails part-way is diffed against the older manifest next time.
console.log(`# record this publish: PUT ${keyOf(MANIFEST_KEY)}`);
if (!dryRun)
  await send('recording the manifest', () =>
    s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: keyOf(MANIFEST_KEY),
        Body: `${JSON.stringify(plan.manifest, null, 2)}\n`,
        CacheControl: 'no-store',
        ContentType: 'application/json',
      }),
    ),
  );
console.log(dryRun ? '# dry run: nothing was sent' : '# published');
