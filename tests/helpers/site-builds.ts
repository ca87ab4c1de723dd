import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSite } from './build-site';
import { buildEditedFixtures } from './edited-fixtures';
import { TMP } from './sites';

/** Written when the `site` project's builds are done: `{ "error": null }` or the failure. */
const DONE = join(TMP, 'site-builds.json');

/**
 * The fixture, demo and edited-fixture builds every `site` test reads, started together: each
 * syncs and bundles in turn (they share `.astro/`, tests/helpers/run.ts) and renders while the
 * next one bundles. The global setup starts them without waiting: vitest runs every project's
 * global setup before any test file, so awaiting them here kept the unit tests, and the content
 * and security files, waiting on three builds they never read.
 */
export function startSiteBuilds(): Promise<void> {
  mkdirSync(TMP, { recursive: true });
  rmSync(DONE, { force: true });
  // Settled, not all: a failure is reported once no build of these runs any more.
  return Promise.allSettled([buildSite('fixtures'), buildSite('demo'), buildEditedFixtures()]).then((results) => {
    const failed = results.find((r) => r.status === 'rejected');
    const e: unknown = failed?.reason;
    writeFileSync(DONE, JSON.stringify({ error: failed ? (e instanceof Error ? e.message : String(e)) : null }));
  });
}

/** Waits (in a test worker) until startSiteBuilds is done; throws its failure. */
export async function siteBuildsDone(): Promise<void> {
  while (!existsSync(DONE)) await new Promise((r) => setTimeout(r, 250));
  const { error } = JSON.parse(readFileSync(DONE, 'utf8')) as { error: string | null };
  if (error) throw new Error(`the site project's builds failed, so its tests cannot run:\n${error}`);
}
