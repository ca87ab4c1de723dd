import type { AstroIntegration } from 'astro';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Keeps Astro's image cache (`<cacheDir>/assets/`) to the files this build published. Astro
 * names each encoded file by a hash of its source's content hash and the transform (encoder
 * settings included, see src/images/service.ts), so the cache is content-addressed: an
 * unchanged photo is never encoded twice. But it only ever adds: a replaced photo, a deleted
 * story or a changed width would leave its files there for good, and CI would restore and save
 * them on every run. After a complete build, every entry that is not in `dist/_astro/` goes.
 */
export function imageCache(): AstroIntegration {
  let assets: string | undefined;
  return {
    name: 'masthead:image-cache',
    hooks: {
      'astro:config:done': ({ config }) => {
        assets = fileURLToPath(new URL('assets/', config.cacheDir));
      },
      'astro:build:done': ({ dir, logger }) => {
        const published = fileURLToPath(new URL('_astro/', dir));
        if (!assets || !existsSync(assets) || !existsSync(published)) return;
        const keep = new Set(readdirSync(published));
        let removed = 0;
        for (const name of readdirSync(assets)) {
          // Remote images keep a `.json` sidecar; Masthead has none, but leave them be.
          if (name.endsWith('.json') || keep.has(name)) continue;
          rmSync(`${assets}${name}`, { force: true });
          removed++;
        }
        if (removed) logger.info(`removed ${removed} cached image file(s) no page uses any more`);
      },
    },
  };
}
