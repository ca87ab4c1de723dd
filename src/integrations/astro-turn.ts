import type { AstroIntegration } from 'astro';

/**
 * Turns through the project's one `.astro/` folder. Every `astro build` writes it while it syncs
 * content and reads it while it bundles (content-assets.mjs maps the stories' images), so two
 * builds of different content at once break each other ("LocalImageUsedWrongly"). Once a build
 * renders it is done with the folder, and the next may start. The sharded build (scripts/shards.ts)
 * and the test suite's builds (tests/helpers/run.ts) take turns by this.
 */

/**
 * Astro's log line as a build starts rendering pages. By then the build has synced the content
 * (writing `.astro/`) and bundled the site with Vite (reading it) into `<outDir>/.prerender/`;
 * rendering, optimising images and the integrations' `astro:build:done` hooks read only that,
 * the build's cache and its dist/. (If the line ever changes, builds just take turns whole.)
 */
export const RENDERING = /(generating|prerendering) static routes/;

/** Set to `ipc` by a parent that started this build before its turn: it waits for `TURN_MESSAGE` before it syncs. */
export const WAIT_FOR_TURN_ENV = 'MASTHEAD_WAIT_FOR_TURN';
export const TURN_MESSAGE = 'masthead:your-turn';

/**
 * Lets a build started before its turn do what needs no `.astro/` meanwhile (load its config, run
 * the content gate over every story) and wait at `astro:config:done`, the last step before Astro
 * syncs content, for its parent to say its turn has come. If the parent goes away, it stops.
 */
export function waitForTurn(env: Record<string, string | undefined> = process.env): AstroIntegration {
  return {
    name: 'masthead:wait-for-turn',
    hooks: {
      'astro:config:done': async ({ logger }) => {
        if (env[WAIT_FOR_TURN_ENV] !== 'ipc') return;
        if (!process.send) throw new Error(`${WAIT_FOR_TURN_ENV}=ipc: this build has no IPC channel to its parent (hint: unset it; only scripts/shards.ts sets it)`);
        const started = performance.now();
        await new Promise<void>((resolve, reject) => {
          const onMessage = (m: unknown) => {
            if (m !== TURN_MESSAGE) return;
            done();
            resolve();
          };
          const onGone = () => {
            done();
            reject(new Error('the command that started this build went away before its turn came'));
          };
          const done = () => {
            process.off('message', onMessage);
            process.off('disconnect', onGone);
            // Nothing more comes over the channel; an open one would keep this process alive. Not at once: a
            // message sent before this build listened is delivered from a loop that still needs the channel.
            setImmediate(() => {
              if (process.connected) process.disconnect?.();
            });
          };
          process.on('message', onMessage);
          process.on('disconnect', onGone);
        });
        logger.info(`waited ${((performance.now() - started) / 1000).toFixed(1)} s for its turn in .astro/`);
      },
    },
  };
}
