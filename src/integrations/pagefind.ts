import type { AstroIntegration } from 'astro';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { sharedSiteIndex } from '../data/shared-index.ts';
import { SEARCH_BUNDLE_DIR } from '../lib/search-params.ts';
import { writeSearchIndex } from '../outputs/search-index.ts';
import { siteConfig } from '../site.config.ts';

/** Builds the Pagefind search index once the pages are written, so `astro build` alone produces
 * `dist/_pagefind/`. It is made from the data layer's site index (headline, dek, byline and topics
 * of every story; the text of recent ones), never from the story pages in `dist/`, so a build that
 * reuses old pages (a sharded build) indexes them all the same. */
export default function pagefindIntegration(): AstroIntegration {
  let cacheDir: string | undefined;
  return {
    name: 'masthead:pagefind',
    hooks: {
      'astro:config:done': ({ config }) => {
        // Inside Astro's cacheDir, which CI keeps between runs (.github/workflows/publish.yml, publish-sharded.yml).
        cacheDir = fileURLToPath(new URL('search/', config.cacheDir));
      },
      'astro:build:done': async ({ dir, logger }) => {
        const shared = sharedSiteIndex();
        if (!shared) throw new Error('search: no page of this build loaded the site index, so there is nothing to index');
        const index = await shared;
        const { fullTextYears, eraStories } = siteConfig.search;
        const written = await writeSearchIndex(index.articles, join(fileURLToPath(dir), SEARCH_BUNDLE_DIR), {
          now: index.now,
          fullTextYears,
          eraStories,
          lang: siteConfig.lang,
          ...(cacheDir ? { cacheDir } : {}),
        });
        logger.info(
          `indexed ${written.stories} stories for search, ${written.fullText} of them with their full text (the last ${fullTextYears} years), in ${written.eras.length === 1 ? 'one era' : `${written.eras.length} eras (${written.eras.map((e) => e.id).join(', ')})`}; ${written.reused.length} of them unchanged and copied from the build cache${written.indexed.length ? `, ${written.indexed.join(', ')} indexed by Pagefind` : ''}`,
        );
      },
    },
  };
}
