import { existsSync, readFileSync } from 'node:fs';
import type { Loader, LoaderContext } from 'astro/loaders';
import { glob } from 'astro/loaders';

type GlobOptions = Parameters<typeof glob>[0];

/** The part of Astro's content entry type the loader wraps. */
interface EntryType {
  getRenderFunction?: (config: unknown) => Promise<(entry: { id: string }) => Promise<unknown>>;
  [key: string]: unknown;
}

/** What the stand-in digest of a story stored without its body ends in (see `storyLoader`). */
export const FRONTMATTER_ONLY = ':frontmatter-only';

/**
 * The story ids whose bodies this build renders, from the file `MASTHEAD_BODIES` names (one id a
 * line, written by scripts/shards.ts for each part of the sharded build); undefined: every body.
 */
export function bodiesFromEnv(env: Record<string, string | undefined> = process.env): ReadonlySet<string> | undefined {
  const file = env.MASTHEAD_BODIES;
  if (!file) return undefined;
  if (!existsSync(file)) throw new Error(`MASTHEAD_BODIES: ${file} does not exist (hint: it is written by npm run shards; unset it to render every story)`);
  return new Set(
    readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
  );
}

/**
 * Astro's glob loader, rendering only the bodies in `bodies`. A part of the sharded build shows the
 * bodies of a few stories (one year's pages, the current year and the feeds) but needs every
 * story's frontmatter for listings and related stories; the content store otherwise holds every
 * story's rendered HTML in memory (about 8 KB a story). Other stories are stored without `rendered`
 * and under a stand-in digest, so a later build that wants the body sees a changed entry and
 * renders it, while one that does not want it skips it as unchanged. A page that renders a story
 * without its body fails (`assertBody`).
 */
export function storyLoader(options: GlobOptions, bodies: ReadonlySet<string> | undefined): Loader {
  const inner = glob(options);
  if (!bodies) return inner;
  return {
    ...inner,
    load: (context: LoaderContext) => {
      // Astro passes the content entry types to its own loaders; the public type leaves them out.
      const types = (context as LoaderContext & { entryTypes: Map<string, EntryType> }).entryTypes;
      const entryTypes = new Map(
        [...types].map(([ext, type]): [string, EntryType] => {
          const getRender = type.getRenderFunction;
          if (!getRender) return [ext, type];
          return [
            ext,
            {
              ...type,
              getRenderFunction: async (config) => {
                const render = await getRender(config);
                return (entry) => (bodies.has(entry.id) ? render(entry) : Promise.resolve(undefined));
              },
            },
          ];
        }),
      );
      const store = new Proxy(context.store, {
        get(target, prop) {
          // An entry this build does not show keeps what it has, body or not, while its file is
          // unchanged: the loader compares its digest with the file's, so it sees the real one.
          if (prop === 'get') {
            return (id: string) => {
              const entry = target.get(id);
              const digest = entry?.digest;
              if (!entry || bodies.has(id) || typeof digest !== 'string' || !digest.endsWith(FRONTMATTER_ONLY)) return entry;
              return { ...entry, digest: digest.slice(0, -FRONTMATTER_ONLY.length) };
            };
          }
          if (prop === 'set') {
            return (entry: Parameters<typeof target.set>[0]) =>
              target.set(bodies.has(entry.id) || !entry.digest ? entry : { ...entry, digest: `${entry.digest}${FRONTMATTER_ONLY}` });
          }
          const value = Reflect.get(target, prop, target) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      return inner.load({ ...context, entryTypes, store } as LoaderContext);
    },
  };
}

/** Throws when a page is about to show a story whose body this build did not render. */
export function assertBody(entry: { id: string; filePath?: string; rendered?: unknown; digest?: string | number }) {
  if (!entry.rendered && String(entry.digest ?? '').endsWith(FRONTMATTER_ONLY)) {
    throw new Error(
      `${entry.filePath ?? entry.id}: body: not rendered in this part of the sharded build (hint: the build's MASTHEAD_BODIES list must name "${entry.id}"; npm run shards writes it)`,
    );
  }
}
