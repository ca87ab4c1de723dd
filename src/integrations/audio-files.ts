import type { AstroIntegration } from 'astro';
import { AUDIO_TYPES } from '../lib/audio';

/**
 * Publishes story audio at `/audio/<hash>/<name>.<ext>`. One injected route per audio
 * extension, so each pattern ends in a file extension: Astro then serves it without a
 * trailing slash in `astro dev` as in the build. The routes list only published stories'
 * files (see `audio-route.ts`), so a draft's audio never reaches `dist/`.
 */
export function audioFiles(): AstroIntegration {
  return {
    name: 'masthead:audio-files',
    hooks: {
      'astro:config:setup': ({ injectRoute }) => {
        for (const ext of Object.keys(AUDIO_TYPES)) {
          injectRoute({
            pattern: `/audio/[hash]/[name].${ext}`,
            entrypoint: new URL('./audio-route.ts', import.meta.url),
            prerender: true,
          });
        }
      },
    },
  };
}
