/**
 * `npm run manifest -- --dist dist [--live https://news.example.org]`: writes
 * dist/.well-known/masthead-manifest.json (every file's SHA-256) and, with `--live`, compares it
 * with the one the live site serves. Prints what differs and sets `deploy=true|false` in
 * `$GITHUB_OUTPUT`. Any doubt (no live manifest, a network error, an unreadable file) means deploy.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { cliArgs } from './lib/cli.ts';
import { diffManifests, isSameSite, parseSiteManifest, siteManifest, SITE_MANIFEST_PATH } from './lib/site-manifest.ts';

const { values: opts } = cliArgs('manifest', 'usage: npm run manifest -- [--dist DIR] [--live SITE-URL]', {
  options: {
    dist: { type: 'string', default: 'dist' },
    live: { type: 'string' },
  },
});

const dist = resolve(opts.dist);
const next = siteManifest(dist);
const target = join(dist, SITE_MANIFEST_PATH);
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, `${JSON.stringify(next, null, 2)}\n`);
console.log(`manifest: ${Object.keys(next.files).length} files → ${SITE_MANIFEST_PATH}`);

const decide = (deploy: boolean, why: string) => {
  console.log(`manifest: ${deploy ? 'deploy' : 'no deploy'}: ${why}`);
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `deploy=${deploy}\n`);
};

if (!opts.live) decide(true, 'no --live site to compare with');
else {
  const url = new URL(SITE_MANIFEST_PATH, opts.live.endsWith('/') ? opts.live : `${opts.live}/`);
  try {
    // The CDN may hold a copy for a minute (Cache-Control), so ask past it.
    const res = await fetch(url, { headers: { 'cache-control': 'no-cache' }, signal: AbortSignal.timeout(15_000) });
    const live = res.ok ? parseSiteManifest(await res.text()) : undefined;
    if (!res.ok) decide(true, `${url} answered ${res.status} (a first deploy, or the last one predates manifests)`);
    else if (!live) decide(true, `${url} is not a manifest`);
    else {
      const diff = diffManifests(live, next);
      if (isSameSite(diff)) decide(false, `the built site is identical to ${opts.live}`);
      else {
        for (const [what, files] of Object.entries(diff)) {
          if (files.length) console.log(`  ${files.length} ${what}: ${files.slice(0, 10).join(', ')}${files.length > 10 ? ', …' : ''}`);
        }
        decide(true, `${diff.added.length + diff.changed.length + diff.removed.length} files differ from ${opts.live}`);
      }
    }
  } catch (e) {
    decide(true, `could not read ${url}: ${(e as Error).message}`);
  }
}
