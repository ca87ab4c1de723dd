// @ts-check
// The bare Astro floor Masthead is measured against: same corpus, same Astro, defaults everywhere.
import { defineConfig } from 'astro/config';

export default defineConfig({
  site: 'https://baseline.example.org',
  cacheDir: process.env.MASTHEAD_CACHE_DIR ?? '../.work/cache-baseline',
  trailingSlash: 'always',
  devToolbar: { enabled: false },
});
