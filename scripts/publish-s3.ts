/**
 * `npm run publish:s3 -- --bucket NAME --distribution ID [options]`: publishes a verified
 * dist/ to an S3 bucket behind CloudFront with the AWS CLI, uploading only what changed.
 * See docs/publishing.md. `--dry-run` prints the plan (the exact aws commands and the paths
 * it would invalidate) and touches nothing but a local staging directory.
 */
import { parseAllHeaders, type Header } from '@netlify/headers-parser';
import { parseAllRedirects } from '@netlify/redirect-parser';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { listDist } from '../src/integrations/host-files/index.ts';
import { CACHE_CONTROL, HOST_FILES, HOST_LIMITS, urlPathOf } from '../src/integrations/host-files/policy.ts';
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

const USAGE = `usage: npm run publish:s3 -- --bucket NAME [--distribution ID] [--prefix PATH]
         [--dist DIR] [--previous-manifest FILE|none] [--response-headers-policy ID]
         [--max-invalidation-paths N] [--staging DIR] [--dry-run]
Environment: MASTHEAD_S3_BUCKET, MASTHEAD_CLOUDFRONT_DISTRIBUTION_ID, MASTHEAD_RESPONSE_HEADERS_POLICY_ID.`;

const fail = (message: string): never => {
  console.error(`publish:s3: ${message}`);
  process.exit(1);
};

const { values: opts } = parseArgs({
  options: {
    dist: { type: 'string', default: 'dist' },
    bucket: { type: 'string', default: process.env.MASTHEAD_S3_BUCKET },
    prefix: { type: 'string', default: '' },
    distribution: { type: 'string', default: process.env.MASTHEAD_CLOUDFRONT_DISTRIBUTION_ID },
    'previous-manifest': { type: 'string' },
    'response-headers-policy': { type: 'string', default: process.env.MASTHEAD_RESPONSE_HEADERS_POLICY_ID },
    'max-invalidation-paths': { type: 'string', default: '1000' },
    staging: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}
const bucket = opts.bucket || fail(`--bucket is required\n${USAGE}`);
const dist = resolve(opts.dist);
const dryRun = opts['dry-run'];
const prefix = opts.prefix.replace(/^\/+|\/+$/g, '');
const s3Url = (key = '') => `s3://${bucket}/${prefix ? `${prefix}/` : ''}${key}`;
const staging = resolve(opts.staging ?? join(tmpdir(), 'masthead-publish'));
const maxInvalidationPaths = Number(opts['max-invalidation-paths']);
if (!Number.isInteger(maxInvalidationPaths) || maxInvalidationPaths < 1) fail('--max-invalidation-paths must be a whole number above 0');

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

const { redirects: redirectRules, errors: redirectErrors } = await parseAllRedirects({
  redirectsFiles: [join(dist, '_redirects')],
  configRedirects: [],
  minimal: false,
});
if (redirectErrors.length) fail(`_redirects: ${redirectErrors.map((e: Error) => e.message).join('; ')}`);
const redirects = Object.fromEntries((redirectRules as { from: string; to: string }[]).map((r) => [r.from, r.to]));

const files = Object.fromEntries(
  listDist(dist)
    .filter((f) => !(HOST_FILES as readonly string[]).includes(f))
    .map((f) => [f, sha256(readFileSync(join(dist, f)))]),
);
const siteHeaders = headersFor('/');
const csp = siteHeaders['Content-Security-Policy'];

rmSync(staging, { recursive: true, force: true });
mkdirSync(staging, { recursive: true });

type Command = { args: string[]; note?: string };
const show = (args: string[]) =>
  ['aws', ...args].map((a) => (/^[\w./:=@%+,-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`)).join(' ');
const aws = (args: string[], capture = false) => {
  console.log(show(args));
  if (dryRun) return '';
  const r = spawnSync('aws', args, { encoding: 'utf8', stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
  if (r.error) fail(`could not run the AWS CLI (${r.error.message}); install it and configure credentials`);
  if (r.status !== 0) fail(`aws ${args.slice(0, 2).join(' ')} failed (exit ${r.status})${capture ? `: ${r.stderr}` : ''}`);
  return capture ? r.stdout : '';
};

// The previous publish's manifest: given, or read from the bucket (absent before the first publish).
let previous: Manifest = emptyManifest();
const given = opts['previous-manifest'];
if (given && given !== 'none') previous = JSON.parse(readFileSync(given, 'utf8')) as Manifest;
else if (!given && dryRun) {
  console.log(`# no --previous-manifest: planning as a first publish (a real run reads ${s3Url(MANIFEST_KEY)})`);
} else if (!given) {
  const target = join(staging, 'previous-manifest.json');
  const args = ['s3', 'cp', s3Url(MANIFEST_KEY), target, '--only-show-errors'];
  console.log(show(args));
  const r = spawnSync('aws', args, { encoding: 'utf8' });
  if (r.status === 0) previous = JSON.parse(readFileSync(target, 'utf8')) as Manifest;
  else if (/\b404\b|Not Found|NoSuchKey|does not exist/i.test(r.stderr))
    console.log('# no previous manifest in the bucket: this is the first publish');
  else fail(`could not read the previous manifest: ${r.stderr || r.error?.message}`);
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
  console.log('# security headers: update the CloudFront response headers policy (this and the last publish’s CSP sources)');
  const current = aws(['cloudfront', 'get-response-headers-policy-config', '--id', policyId, '--output', 'json'], true);
  const file = join(staging, 'response-headers-policy.json');
  if (dryRun) {
    console.log(
      show([
        'cloudfront',
        'update-response-headers-policy',
        '--id',
        policyId,
        '--if-match',
        '<ETag from the command above>',
        '--response-headers-policy-config',
        `file://${file}`,
      ]),
    );
  } else {
    const { ETag, ResponseHeadersPolicyConfig } = JSON.parse(current) as {
      ETag: string;
      ResponseHeadersPolicyConfig: Record<string, unknown>;
    };
    const next = responseHeadersPolicyConfig(ResponseHeadersPolicyConfig, { ...siteHeaders, 'Content-Security-Policy': deployed });
    if (JSON.stringify(next) === JSON.stringify(ResponseHeadersPolicyConfig))
      console.log('# the response headers policy is already current');
    else {
      writeFileSync(file, JSON.stringify(next, null, 2));
      aws([
        'cloudfront',
        'update-response-headers-policy',
        '--id',
        policyId,
        '--if-match',
        ETag,
        '--response-headers-policy-config',
        `file://${file}`,
      ]);
    }
  }
}

// Uploads: each group is staged as a directory tree and sent with one recursive copy.
const commands: { pass: number; command: Command }[] = [];
plan.groups.forEach((group, i) => {
  const dir = join(staging, `pass${group.pass}-${String(i).padStart(2, '0')}`);
  for (const file of group.files) {
    const target = join(dir, file);
    mkdirSync(dirname(target), { recursive: true });
    try {
      linkSync(join(dist, file), target);
    } catch {
      copyFileSync(join(dist, file), target);
    }
  }
  commands.push({
    pass: group.pass,
    command: {
      args: [
        's3',
        'cp',
        dir,
        s3Url(),
        '--recursive',
        '--cache-control',
        group.cacheControl,
        '--content-type',
        group.contentType,
        '--only-show-errors',
      ],
      note: `${group.files.length} ${group.contentType.split(';')[0]} file${group.files.length === 1 ? '' : 's'}`,
    },
  });
});
for (const pass of [1, 2]) {
  console.log(
    pass === 1
      ? '# pass 1: content-hashed assets (immutable), before any page that references them'
      : '# pass 2: pages, feeds, sitemaps and other files',
  );
  for (const { command } of commands.filter((c) => c.pass === pass)) {
    if (command.note) console.log(`# ${command.note}`);
    aws(command.args);
  }
}

if (plan.redirects.length) console.log('# alias redirects (S3 website redirect objects)');
for (const r of plan.redirects) {
  aws([
    's3api',
    'put-object',
    '--bucket',
    bucket,
    '--key',
    `${prefix ? `${prefix}/` : ''}${r.key}`,
    '--website-redirect-location',
    r.location,
    '--cache-control',
    CACHE_CONTROL.revalidate,
    '--content-type',
    'text/html; charset=utf-8',
  ]);
}

if (plan.deletions.length) console.log('# pages and redirects that no longer exist (old hashed assets are kept)');
for (let i = 0; i < plan.deletions.length; i += 1000) {
  const file = join(staging, `delete-${i / 1000}.json`);
  const objects = plan.deletions.slice(i, i + 1000).map((key) => ({ Key: `${prefix ? `${prefix}/` : ''}${key}` }));
  writeFileSync(file, JSON.stringify({ Objects: objects, Quiet: true }, null, 2));
  aws(['s3api', 'delete-objects', '--bucket', bucket, '--delete', `file://${file}`]);
}

if (plan.invalidationPaths.length && opts.distribution) {
  const file = join(staging, 'invalidation.json');
  writeFileSync(
    file,
    JSON.stringify(
      { Paths: { Quantity: plan.invalidationPaths.length, Items: plan.invalidationPaths }, CallerReference: plan.callerReference },
      null,
      2,
    ),
  );
  console.log('# invalidate the changed pages');
  for (const path of plan.invalidationPaths) console.log(`#   ${path}`);
  aws(['cloudfront', 'create-invalidation', '--distribution-id', opts.distribution, '--invalidation-batch', `file://${file}`]);
} else if (plan.invalidationPaths.length) {
  console.log(`# no --distribution: ${plan.invalidationPaths.length} changed pages are not invalidated`);
}

// Last, so a publish that fails part-way is diffed against the older manifest next time.
const manifestFile = join(staging, 'manifest.json');
writeFileSync(manifestFile, `${JSON.stringify(plan.manifest, null, 2)}\n`);
console.log('# record this publish');
aws([
  's3',
  'cp',
  manifestFile,
  s3Url(MANIFEST_KEY),
  '--cache-control',
  'no-store',
  '--content-type',
  'application/json',
  '--only-show-errors',
]);
console.log(dryRun ? `# dry run: nothing was sent; the staged files are in ${staging}` : '# published');
