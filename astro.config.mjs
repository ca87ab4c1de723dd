// @ts-check
import { defineConfig } from 'astro/config';
import { satteri } from '@astrojs/markdown-satteri';
import { siteConfig } from './src/site.config.ts';
import { datelinePlugin } from './src/markdown/dateline.ts';
import { contentCacheGuard } from './src/integrations/content-cache-guard.ts';
import { audioFiles } from './src/integrations/audio-files.ts';
import { cacheDir } from './src/content-paths.ts';
import { sitemapFromPages } from './src/integrations/sitemap.ts';
import hostFiles from './src/integrations/host-files/index.ts';

export default defineConfig({
  site: siteConfig.url,
  // Separate caches let tests and benchmarks build other corpora without evicting this one.
  cacheDir,
  trailingSlash: 'always',
  build: { format: 'directory' },
  markdown: {
    processor: satteri({ mdastPlugins: [datelinePlugin] }),
    syntaxHighlight: false,
  },
  // hostFiles() writes _headers and _redirects from the finished dist/, so it stays last.
  integrations: [contentCacheGuard(), sitemapFromPages({ site: siteConfig.url }), audioFiles(), hostFiles()],
  devToolbar: { enabled: false },
});
