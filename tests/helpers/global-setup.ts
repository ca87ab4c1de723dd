import { buildSite } from './build-site';
import { buildEditedFixtures } from './edited-fixtures';

export default function setup() {
  buildSite('fixtures');
  buildSite('demo');
  buildEditedFixtures();
}
