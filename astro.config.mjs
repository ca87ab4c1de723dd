// @ts-check
import { defineConfig } from 'astro/config';
import { satteri } from '@astrojs/markdown-satteri';
import sitemap from '@astrojs/sitemap';
import { siteConfig } from './src/site.config.ts';
import { datelinePlugin } from './src/markdown/dateline.ts';
import { contentStoreFromDisk } from './src/integrations/content-store-from-disk.ts';

export default defineConfig({
  site: siteConfig.url,
  // Separate caches let tests and benchmarks build other corpora without evicting this one.
  cacheDir: process.env.MASTHEAD_CACHE_DIR ?? './node_modules/.astro',
  trailingSlash: 'always',
  build: { format: 'directory' },
  markdown: {
    processor: satteri({ mdastPlugins: [datelinePlugin] }),
    syntaxHighlight: false,
  },
  // The prerender bundle reads the content store from disk instead of inlining it (see the file).
  integrations: [sitemap(), contentStoreFromDisk()],
  devToolbar: { enabled: false },
  // A rebuild copies pages whose cache key (src/data/page-keys.ts) and templates are unchanged
  // from `cacheDir` instead of rendering them. It needs build.concurrency 1, the default.
  experimental: { incrementalBuild: true },
});
