/**
 * `npm run verify [-- <dist>]`: the publish gate, and the second line of defence against
 * hostile content (docs/security.md). Runs every check on a built site and fails listing
 * every problem found, each with the file it is in; one file per check in scripts/verify/:
 *   host files  `_headers`: one Cache-Control per file, security headers, a CSP that allows each
 *               page's own code, within host limits
 *   redirects   `_redirects` parses, points at files, no splats, shadows no file of the build
 *   page code   no meta refresh outside alias redirect pages, scripts only from /_astro/ (and the
 *               templates' JSON), no inline event handlers or javascript: URLs
 *   articles    every story body ends inside its container, where the template ends it
 *   links       broken internal links, images, assets and #fragments, read from the files
 *   html        HTML validity (html-validate with .htmlvalidate.json)
 *   feeds       feeds and sitemaps parse, and every URL they list on this site has a file
 *   files       no file over the host's size limit, no SVG that can run code
 *   budget      page weight against scripts/page-weight.ts's budgets
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliArgs, usageError } from './lib/cli.ts';
import { verifySite } from './verify/run.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const USAGE = 'usage: npm run verify [-- DIST]   (DIST: the built site, dist/ by default)';
const { positionals } = cliArgs('verify', USAGE, { allowPositionals: true });
if (positionals.length > 1) usageError('verify', USAGE, `one folder to check, not ${positionals.length}`);
const dist = resolve(positionals[0] ?? join(ROOT, 'dist'));
if (!existsSync(join(dist, 'index.html'))) {
  console.error(`verify: ${dist} has no index.html; build the site first (npm run build)`);
  process.exit(2);
}
let failed = 0;
for (const { name, result: r, seconds } of await verifySite(dist)) {
  failed += r.problems.length;
  const status = r.problems.length ? `${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}` : 'ok';
  console.log(`verify ${name}: ${status} (${r.summary ? `${r.summary}, ` : ''}${seconds.toFixed(1)} s)`);
  for (const p of r.problems) console.log(`  ✗ ${p.file}: ${p.message}`);
  for (const n of r.notes) console.log(`  · ${n.file}: ${n.message}`);
}
if (failed) {
  console.log(`verify: ${failed} problem${failed === 1 ? '' : 's'} in ${dist}; nothing may be published until they are fixed`);
  process.exit(1);
}
console.log(`verify: ${dist} passed every check`);
