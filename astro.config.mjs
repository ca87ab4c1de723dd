// @ts-check
import { defineConfig } from 'astro/config';
import { satteri } from '@astrojs/markdown-satteri';
import sitemap from '@astrojs/sitemap';
import { siteConfig } from './src/site.config.ts';
import { contentDir } from './src/content-paths.ts';
import { datelinePlugin } from './src/markdown/dateline.ts';
import { contentGate } from './src/validation/content-gate.ts';

// Checks all content before the build reads it, and supplies the raw-HTML policy plugin.
const gate = contentGate({ contentDir, embedHosts: siteConfig.embedHosts, defaultStation: siteConfig.defaultStation });

export default defineConfig({
  site: siteConfig.url,
  // Separate caches let tests and benchmarks build other corpora without evicting this one.
  cacheDir: process.env.MASTHEAD_CACHE_DIR ?? './node_modules/.astro',
  trailingSlash: 'always',
  build: { format: 'directory' },
  markdown: {
    processor: satteri({ mdastPlugins: [datelinePlugin, gate.htmlPolicy] }),
    syntaxHighlight: false,
  },
  integrations: [gate, sitemap()],
  devToolbar: { enabled: false },
});
