import { spawnSync } from 'node:child_process';
import { ROOT, SITES, type SiteName } from './sites';

/** Builds one of the test sites with the project's own `astro build`, failing loudly. */
export function buildSite(
  name: SiteName,
  extraEnv: Record<string, string> = {},
  outDir: string = SITES[name].outDir,
): { stdout: string; stderr: string } {
  const site = SITES[name];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ASTRO_TELEMETRY_DISABLED: '1',
    MASTHEAD_CONTENT_DIR: site.contentDir,
    MASTHEAD_CACHE_DIR: site.cacheDir,
    MASTHEAD_DEFAULT_STATION: site.defaultStation,
    // Vitest sets NODE_ENV=test, which makes Vite keep dev-only code in the client bundles;
    // the tested site must be the one `npm run build` makes.
    NODE_ENV: 'production',
    ...extraEnv,
  };
  if (site.sourceDateEpoch) env.SOURCE_DATE_EPOCH = site.sourceDateEpoch;
  else delete env.SOURCE_DATE_EPOCH;
  const r = spawnSync('npx', ['astro', 'build', '--outDir', outDir], { cwd: ROOT, env, encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`building the ${name} site failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return { stdout: r.stdout, stderr: r.stderr };
}
