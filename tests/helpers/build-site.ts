import { astroBuild } from './run';
import { SITES, type SiteName } from './sites';

/** Builds one of the test sites with `astroBuild` (as `npm run build` does), failing loudly. */
export async function buildSite(
  name: SiteName,
  env: Record<string, string> = {},
  outDir: string = SITES[name].outDir,
): Promise<{ output: string }> {
  const site = SITES[name];
  const r = await astroBuild({
    contentDir: site.contentDir,
    outDir,
    cacheDir: env.MASTHEAD_CACHE_DIR ?? site.cacheDir,
    defaultStation: site.defaultStation,
    sourceDateEpoch: site.sourceDateEpoch,
    env,
    // Only against a hung build: the demo site took over 10 minutes on a 2-core machine at load 24.
    timeoutMs: 1_800_000,
    heapLimitMb: null,
  });
  if (r.status !== 0) throw new Error(`building the ${name} site failed (exit ${r.status}, signal ${r.signal}):\n${r.output}`);
  return { output: r.output };
}
