// @ts-check
import { defineConfig } from 'astro/config';
import { satteri } from '@astrojs/markdown-satteri';
import { siteConfig } from './src/site.config.ts';
import { IMAGE_CDN_OF_HOST } from './src/lib/host.ts';
import { cacheDir, contentDir } from './src/content/paths.ts';
import { datelinePlugin } from './src/markdown/dateline.ts';
import { contentCacheGuard } from './src/integrations/content-cache-guard.ts';
import { audioFiles } from './src/integrations/audio-files.ts';
import { confineContent } from './src/integrations/confine-content.ts';
import { imageCache } from './src/integrations/image-cache.ts';
import { socialCards } from './src/integrations/share-cards.ts';
import { sitemapFromPages } from './src/integrations/sitemap.ts';
import hostFiles from './src/integrations/host-files/index.ts';
import pagefind from './src/integrations/pagefind.ts';
import { webEditor } from './src/integrations/web-editor.ts';
import { contentGate } from './src/integrations/content-gate.ts';
import { shardOutputs } from './src/integrations/shard-outputs.ts';
import { joinScanned, listingCache } from './src/integrations/listing-cache.ts';
import { inputDigests } from './src/data/shard-facts.ts';
import { reusePages } from './src/integrations/reuse-pages.ts';
import { waitForTurn } from './src/integrations/astro-turn.ts';
import { resolve } from 'node:path';

// npm scripts disable Astro's telemetry with cross-env (so it works from Windows' shell too); this
// covers a bare `npx astro build`: Astro reads the variable when it records the build, after loading this file.
process.env.ASTRO_TELEMETRY_DISABLED ??= '1';

// The sharded build (src/data/shards.ts): a shard build (MASTHEAD_SHARD=<year>) renders one closed year's
// story pages and nothing made from the whole dist/ (sitemaps, search index, host files); the core build
// (MASTHEAD_SHARD=core) merges the kept shards into dist/ before those are made.
const shardBuild = /^\d{4}$/.test(process.env.MASTHEAD_SHARD ?? '');
const shards = shardOutputs();
// Listing pages kept between builds outside Astro's incremental manifest (src/data/listing-keys.ts).
const listings = listingCache();
/** @type {Map<string, import('./src/outputs/page-head.ts').HeadFacts> | undefined} */
let knownHeads;
// Read by the sitemap once every page is in dist/: kept shards' and kept listings' head facts.
const keptHeads = () => (knownHeads ??= new Map([...shards.heads(), ...listings.heads()]));

// What reads built pages (the CSP scan, head facts) is code under src/ and its dependencies (parse5):
// a change to either reads every page afresh instead of taking its facts from the last build.
/** @type {Map<string, string>} */
const readerCodes = new Map();
/** @param {string} root */
const readerCode = (root) => {
  let code = readerCodes.get(root);
  if (code === undefined) {
    const inputs = inputDigests(root, resolve(root, contentDir));
    code = `${inputs.templates}:${inputs.dependencies}`;
    readerCodes.set(root, code);
  }
  return code;
};

// `_headers` and `_redirects` from the finished dist/; its page scan also reads each page's head for the sitemap.
const host = shardBuild
  ? undefined
  : hostFiles({
      host: siteConfig.host,
      prescanned: () => joinScanned(shards.scanned(), listings.scanned()),
      describe: listings.describe,
      described: listings.described,
      scannerCode: readerCode,
    });

// Checks all content before the build reads it, and supplies the raw-HTML policy plugin.
const gate = contentGate({ contentDir, embedHosts: siteConfig.embedHosts, defaultStation: siteConfig.defaultStation });
import { contentStoreFromDisk } from './src/integrations/content-store-from-disk.ts';

export default defineConfig({
  site: siteConfig.url,
  // Separate caches let tests and benchmarks build other corpora without evicting this one.
  cacheDir,
  trailingSlash: 'always',
  // Four pages in flight: a page waiting on a file write or a share card lets another render
  // (measured at 1,000 stories: page generation 6.6 s at 1, 4.9 s at 4, 4.6 s at 16).
  build: { format: 'directory', concurrency: 4 },
  markdown: {
    processor: satteri({ mdastPlugins: [datelinePlugin, gate.htmlPolicy] }),
    syntaxHighlight: false,
  },
  // The gate checks all content before Astro reads it; hostFiles() writes _headers and _redirects from the
  // finished dist/ (search index included), so it stays last.
  // The prerender bundle reads the content store from disk instead of inlining it (see the file).
  integrations: [
    contentCacheGuard(),
    gate,
    // A part of the sharded build started beside another waits here, its gate passed, until Astro may sync.
    waitForTurn(),
    contentStoreFromDisk(),
    confineContent({ contentDir }),
    // Before the integrations that read dist/ once Astro has written it: it drops pages no route wrote.
    reusePages(),
    shards,
    listings,
    audioFiles(),
    socialCards(),
    // /admin/ (docs/editing.md): its files only in dist/admin/; no reader page links them. A shard
    // build writes story pages only; the core build writes everything else. The search index is built
    // before the sitemap, which waits for the page scan's head facts: the scan reads pages meanwhile.
    ...(host
      ? [
          webEditor({ contentDir }),
          pagefind(),
          ...sitemapFromPages({
            site: siteConfig.url,
            extraPages: () => [...shards.pages(), ...listings.pages()],
            knownHeads: keptHeads,
            pageHeads: () => host.pageHeads(),
          }),
          imageCache(),
          host,
        ]
      : []),
  ],
  // Photos (src/images/): resized at build time, one decode per photo and one shared set of files;
  // or, with `images.cdn` on, by the host's CDN from each published original.
  image: {
    service: siteConfig.images.cdn
      ? { entrypoint: './src/images/cdn-service.ts', config: { cdn: IMAGE_CDN_OF_HOST[siteConfig.host] } }
      : { entrypoint: './src/images/service.ts', config: {} },
  },
  devToolbar: { enabled: false },
  // Hover prefetch costs about 1 KB of gzipped JS on every page; pages are small static files anyway.
  prefetch: false,
  vite: {
    // Scripts always ship as files, never inlined: a strict CSP (script-src 'self') blocks inline code.
    build: { assetsInlineLimit: (file) => (file.endsWith('.js') ? false : undefined) },
  },
  // A rebuild copies pages whose cache key (src/data/page-keys.ts) and templates are unchanged
  // from `cacheDir` instead of rendering them.
  experimental: { incrementalBuild: true },
});
