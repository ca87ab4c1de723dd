import { buildSite } from './build-site';
import { buildEditedFixtures } from './edited-fixtures';

export default async function setup() {
  await buildSite('fixtures');
  await buildSite('demo');
  await buildEditedFixtures();
}
