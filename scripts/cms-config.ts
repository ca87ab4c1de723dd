/**
 * npm run cms:config: writes the web editor's config (public/admin/config.yml) from the zod
 * schemas. `--check` only compares, for CI and tests: exit 1 when the committed file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { cmsConfig } from '../src/cms/config.ts';
import { siteConfig } from '../src/site.config.ts';
import { cliArgs } from './lib/cli.ts';

export const CMS_CONFIG_FILE = 'public/admin/config.yml';

export function renderCmsConfig(): string {
  const config = cmsConfig({ ...siteConfig.editor, siteUrl: siteConfig.url });
  return `# Written by npm run cms:config from the zod schemas (src/cms/config.ts); edit those, not this file.\n${stringify(config, { lineWidth: 0 })}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = cliArgs('cms:config', 'usage: npm run cms:config [-- --check]', {
    options: { check: { type: 'boolean', default: false } },
  });
  const text = renderCmsConfig();
  if (values.check) {
    const committed = readFileSync(CMS_CONFIG_FILE, 'utf8');
    if (committed !== text) {
      console.error(`${CMS_CONFIG_FILE}: differs from the schemas; run npm run cms:config and commit it`);
      process.exit(1);
    }
  } else {
    writeFileSync(CMS_CONFIG_FILE, text);
    console.log(`${CMS_CONFIG_FILE}: written`);
  }
}
