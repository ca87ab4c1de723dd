import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

/**
 * Share cards are drawn in worker threads (src/outputs/share-cards/pool.ts). A worker runs a file under
 * Node as is, outside Vite's bundle, so the card route is told where that file is.
 */
export function socialCards(): AstroIntegration {
  return {
    name: 'masthead:social-cards',
    hooks: {
      'astro:config:setup': ({ updateConfig }) => {
        const workerFile = fileURLToPath(new URL('../outputs/share-cards/worker.ts', import.meta.url));
        updateConfig({ vite: { define: { 'import.meta.env.MASTHEAD_CARD_WORKER': JSON.stringify(workerFile) } } });
      },
    },
  };
}
