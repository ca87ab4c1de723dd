// @ts-check
import { defineConfig } from 'astro/config';
import { satteri } from '@astrojs/markdown-satteri';
import sitemap from '@astrojs/sitemap';
import { siteConfig } from './src/site.config.ts';
import { datelinePlugin } from './src/markdown/dateline.ts';
import pagefind from './src/integrations/pagefind.ts';

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
  integrations: [sitemap(), pagefind()],
  devToolbar: { enabled: false },
  vite: {
    // Scripts always ship as files, never inlined: a strict CSP (script-src 'self') blocks inline code.
    build: { assetsInlineLimit: (file) => (file.endsWith('.js') ? false : undefined) },
  },
});
