import type { AstroIntegration } from 'astro';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Astro's virtual module holding the content store, as Vite resolves it. */
const DATA_STORE_MODULE = '\0astro:data-layer-content';

/**
 * The module that replaces the store in a static build: it reads the store file Astro has
 * just written, when the prerender bundle runs.
 */
export function storeModuleCode(storeFile: string): string {
  return `import { readFileSync } from 'node:fs';\nexport default JSON.parse(readFileSync(${JSON.stringify(storeFile)}, 'utf8'));\n`;
}

/**
 * A static build bundles Astro's whole content store (every entry with its rendered HTML,
 * 140 MB at 10,000 stories) into the prerender bundle as one JavaScript string literal.
 * V8 grows the buffer it scans a string literal into by at most 1 MB at a time, so
 * compiling that module is quadratic in the store's size: 10 to 40 s at 10,000 stories,
 * plus its copies in memory (see docs/scaling.md and bench/repro-warm-rebuild/).
 *
 * The prerender bundle only ever runs here, during the build, right after the content
 * sync has written the store to `cacheDir`, so the module can read that file instead.
 * Only the single-file store of `astro build` is replaced; anything else is left to Astro.
 */
export function contentStoreFromDisk(): AstroIntegration {
  return {
    name: 'masthead:content-store-from-disk',
    hooks: {
      'astro:config:setup': ({ config, command, updateConfig }) => {
        const storage = config.experimental.collectionStorage;
        if (command !== 'build' || (storage !== undefined && storage !== 'single-file')) return;
        const storeFile = fileURLToPath(new URL('data-store.json', config.cacheDir));
        updateConfig({
          vite: {
            plugins: [
              {
                name: 'masthead:content-store-from-disk',
                apply: 'build',
                load: {
                  // Before Astro's own loader, which would inline the file.
                  order: 'pre',
                  filter: { id: /^\0astro:data-layer-content$/ },
                  handler(id) {
                    if (id !== DATA_STORE_MODULE || !existsSync(storeFile)) return null;
                    return storeModuleCode(storeFile);
                  },
                },
              },
            ],
          },
        });
      },
    },
  };
}
