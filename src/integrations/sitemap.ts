import sitemap from '@astrojs/sitemap';
import type { AstroIntegration } from 'astro';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { distFileOf } from '../lib/dist-path';
import { readHeadFacts, type HeadFacts } from '../outputs/page-head';

/**
 * `@astrojs/sitemap`, told by each built page what it knows: `lastmod` from the story's
 * `article:modified_time` (its `updated`, else its `date`), and pages that are `noindex` or
 * canonical elsewhere (syndicated stories under the `source` policy) are left out, because a
 * sitemap should list canonical URLs only. The pages are the one source of truth, so the config
 * never re-derives permalinks or dates from the content files.
 */
export function sitemapFromPages({
  site,
  extraPages,
  knownHeads,
  pageHeads,
}: {
  site: string;
  extraPages?: () => string[];
  /** Head facts already read, by page file relative to dist/ (the sharded build's kept pages). */
  knownHeads?: () => ReadonlyMap<string, HeadFacts>;
  /**
   * Head facts of the pages this build wrote, read by the page scan (host-files' `pageHeads`), which parses
   * every page anyway: the sitemap then reads a page itself only if neither source knows it.
   */
  pageHeads?: () => Promise<ReadonlyMap<string, HeadFacts>> | undefined;
}): AstroIntegration[] {
  let outDir: URL | undefined;
  let scanned: ReadonlyMap<string, HeadFacts> | undefined;
  const relFile = (url: string) => distFileOf(decodeURIComponent(new URL(url).pathname));
  const plugin = sitemap({
    customSitemaps: [new URL('/news-sitemap.xml', site).href],
    // Plain page sitemaps: news entries live in /news-sitemap.xml, and there are no image or video extensions.
    namespaces: { news: false, image: false, video: false, xhtml: false },
    serialize(item) {
      if (!outDir) return item;
      const rel = relFile(item.url);
      let head = knownHeads?.().get(rel) ?? scanned?.get(rel);
      if (!head) {
        const file = fileURLToPath(new URL(rel, outDir));
        if (!existsSync(file)) return item;
        head = readHeadFacts(readFileSync(file, 'utf8'));
      }
      if (head.noindex || (head.canonical !== undefined && head.canonical !== item.url)) return undefined;
      return head.modified ? { ...item, lastmod: head.modified } : item;
    },
  });
  // Pages Astro did not render in this build but dist/ has (the sharded build's kept shards) are listed too.
  const done = plugin.hooks['astro:build:done'];
  if (done) {
    plugin.hooks['astro:build:done'] = async (options) => {
      scanned = await pageHeads?.();
      await done(extraPages ? { ...options, pages: [...options.pages, ...extraPages().map((pathname) => ({ pathname }))] } : options);
    };
  }
  return [
    {
      name: 'masthead:sitemap-out-dir',
      hooks: {
        'astro:config:done': ({ config }) => void (outDir = config.outDir),
      },
    },
    plugin,
  ];
}
