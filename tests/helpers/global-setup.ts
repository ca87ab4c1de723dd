import { buildSite } from './build-site';
import { buildEditedFixtures } from './edited-fixtures';

/** The three shared sites build side by side: each build is mostly one thread. */
export default async function setup() {
  await Promise.all([buildSite('fixtures'), buildSite('demo'), buildEditedFixtures()]);
}
