/**
 * The build's "now". `SOURCE_DATE_EPOCH` (seconds, the reproducible-builds convention) pins
 * it, so scheduled publishing and time windows are repeatable; otherwise it is the clock.
 */
export function resolveBuildTime(env: Record<string, string | undefined>, clock: () => number = Date.now): Date {
  const epoch = env.SOURCE_DATE_EPOCH?.trim();
  if (epoch) {
    if (!/^\d+$/.test(epoch)) throw new Error(`SOURCE_DATE_EPOCH must be whole seconds since 1970, got "${epoch}"`);
    return new Date(Number(epoch) * 1000);
  }
  return new Date(clock());
}

/**
 * A preview build (`MASTHEAD_PREVIEW=1 npm run build`, for pull-request previews): drafts and
 * scheduled stories are built, marked on the page, and every page is `noindex`. Production never is.
 */
export const isPreviewBuild = (env: Record<string, string | undefined>) => env.MASTHEAD_PREVIEW === '1';

let buildTime: Date | undefined;

/** Read once per build, so every page agrees on what is published. */
export function getBuildTime(): Date {
  buildTime ??= resolveBuildTime(process.env);
  return buildTime;
}
