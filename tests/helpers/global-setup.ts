import { buildSite } from './build-site';

export default function setup() {
  buildSite('fixtures');
  buildSite('demo');
}
