import { startSiteBuilds } from './site-builds';

/** Starts the site builds and returns: each `site` file waits for them (tests/helpers/wait-for-sites.ts).
 * The teardown waits too, so no build outlives the run (.ci/run's Lighthouse step reads the demo build). */
export default function setup() {
  const builds = startSiteBuilds();
  return () => builds;
}
