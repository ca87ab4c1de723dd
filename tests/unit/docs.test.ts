import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { siteConfig } from '../../src/site.config';
import { ROOT } from '../helpers/sites';

it('the editing guide lists every allowed embed host, at its embed address', () => {
  const guide = readFileSync(join(ROOT, 'docs/editing.md'), 'utf8');
  for (const h of siteConfig.embedHosts) expect(guide, h.host).toContain(`https://${h.host}${h.pathPrefix ?? '/'}`);
});
