import { existsSync, readFileSync, statSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataStore, Loader, LoaderContext } from 'astro/loaders';
import { glob } from 'astro/loaders';
import { escapePath, glob as listMatching } from 'tinyglobby';
import { RACY_MARGIN_NS, statSignature } from '../checks/facts-cache';

type GlobOptions = Parameters<typeof glob>[0];
type StoredEntry = NonNullable<ReturnType<DataStore['get']>>;
/** Astro's store as its own loaders get it; the public type leaves out how an entry's images are imported. */
type LoaderStore = DataStore & { addAssetImports(assets: string[], filePath: string): void };

/** The part of Astro's content entry type the loader wraps. */
interface EntryType {
  getRenderFunction?: (config: unknown) => Promise<(entry: { id: string }) => Promise<unknown>>;
  [key: string]: unknown;
}

/** What the stand-in digest of a story stored without its body ends in (see `storyLoader`). */
export const FRONTMATTER_ONLY = ':frontmatter-only';

/** The collection's meta key holding each story file's stat as this loader last stored it. */
export const STATS_META = 'masthead:stats';

/** More changed files than this go to Astro's loader with its own pattern rather than as a list of paths. */
const MAX_LISTED = 2000;

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

/** The stats kept by the last sync: story file (from the loader's base) → `statSignature`, and when that sync began. */
export interface KeptStats {
  startedNs: bigint;
  stats: Map<string, string>;
}

/** The meta value for `kept`: a header line, then `file\tstat` a line (a path with a tab or line break is not kept). */
export function formatKeptStats(kept: KeptStats): string {
  let out = `${kept.startedNs}`;
  for (const [file, stat] of kept.stats) if (!/[\t\n\r]/.test(file)) out += `\n${file}\t${stat}`;
  return out;
}

/** The stats in a meta value; anything that is not one reads as none kept, so every file is read. */
export function parseKeptStats(text: string | undefined): KeptStats | undefined {
  if (!text) return undefined;
  const lines = text.split('\n');
  if (!/^\d+$/.test(lines[0]!)) return undefined;
  const stats = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const tab = line.indexOf('\t');
    if (tab > 0) stats.set(line.slice(0, tab), line.slice(tab + 1));
  }
  return { startedNs: BigInt(lines[0]!), stats };
}

/**
 * Whether a story file is the one the last sync stored, unread: its stat (size, mtime and ctime in
 * ns, inode, device) is the one kept then, and both its times are older than that sync's start
 * (less a margin for coarse file-system clocks), as git's index trusts a file. A utimes() that
 * restores the mtime still moves the ctime, which no program can set.
 */
export function trustedByStat(kept: KeptStats | undefined, file: string, stat: { mtimeNs: bigint; ctimeNs: bigint }, signature: string): boolean {
  if (!kept || kept.stats.get(file) !== signature) return false;
  const cutoff = kept.startedNs - RACY_MARGIN_NS;
  return stat.mtimeNs < cutoff && stat.ctimeNs < cutoff;
}

/** The entry types with each render function skipping the bodies this build does not show. */
function renderingOnly(types: Map<string, EntryType>, bodies: ReadonlySet<string>): Map<string, EntryType> {
  return new Map(
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
}

/**
 * The store as Astro's loader sees it: with `bodies`, an entry this build does not show keeps what
 * it has, body or not, while its file is unchanged (the loader compares its digest with the file's,
 * so it sees the real one); with `only`, the loader sees (and so deletes when it does not meet them)
 * only those entries.
 */
function storeFor(store: DataStore, bodies: ReadonlySet<string> | undefined, only?: ReadonlySet<string>): DataStore {
  if (!bodies && !only) return store;
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'get' && bodies) {
        return (id: string) => {
          const entry = target.get(id);
          const digest = entry?.digest;
          if (!entry || bodies.has(id) || typeof digest !== 'string' || !digest.endsWith(FRONTMATTER_ONLY)) return entry;
          return { ...entry, digest: digest.slice(0, -FRONTMATTER_ONLY.length) };
        };
      }
      if (prop === 'set' && bodies) {
        return (entry: Parameters<typeof target.set>[0]) =>
          target.set(bodies.has(entry.id) || !entry.digest ? entry : { ...entry, digest: `${entry.digest}${FRONTMATTER_ONLY}` });
      }
      if (prop === 'keys' && only) return () => target.keys().filter((id) => only.has(id));
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Whether a stored entry has what this build shows: its body, when this build renders it. */
const hasWhatIsShown = (entry: StoredEntry, bodies: ReadonlySet<string> | undefined) =>
  !(bodies === undefined || bodies.has(entry.id)) || !String(entry.digest ?? '').endsWith(FRONTMATTER_ONLY);

/**
 * Astro's glob loader, with two changes for archives of 100,000 stories.
 *
 * It reads only the stories whose files changed. Astro's loader reads and parses every file
 * before it compares digests: at 100,000 stories, a third of each build's content sync (bench,
 * docs/scaling.md). A file whose stat is the one kept with the store (`trustedByStat`) keeps its
 * entry unread, as Astro's loader keeps an entry whose digest is unchanged; every other file goes
 * to Astro's loader. The stats live in the collection's meta store, so they are saved with the
 * entries they vouch for, and cleared with them. `astro dev` (which watches files) uses Astro's
 * loader as it is.
 *
 * And with `bodies`, it renders only those bodies. A part of the sharded build shows the bodies
 * of a few stories (one year's pages, the current year and the feeds) but needs every story's
 * frontmatter for listings and related stories; the content store otherwise holds every story's
 * rendered HTML in memory (about 8 KB a story). Other stories are stored without `rendered` and
 * under a stand-in digest, so a later build that wants the body sees a changed entry and renders
 * it, while one that does not want it skips it as unchanged. A page that renders a story without
 * its body fails (`assertBody`).
 */
export function storyLoader(
  options: GlobOptions & { generateId: (options: { entry: string }) => string },
  bodies: ReadonlySet<string> | undefined,
): Loader {
  const inner = glob(options);
  return {
    ...inner,
    load: async (context: LoaderContext) => {
      // Astro passes the content entry types to its own loaders; the public type leaves them out.
      const types = (context as LoaderContext & { entryTypes: Map<string, EntryType> }).entryTypes;
      const entryTypes = bodies ? renderingOnly(types, bodies) : types;
      const loadWith = (loader: Loader, only?: ReadonlySet<string>) =>
        loader.load({ ...context, entryTypes, store: storeFor(context.store, bodies, only) } as LoaderContext);
      if (context.watcher) return loadWith(inner);

      const startedNs = BigInt(Date.now()) * 1_000_000n;
      const base = new URL(options.base ?? '.', context.config.root);
      if (!base.pathname.endsWith('/')) base.pathname += '/';
      const dir = fileURLToPath(base);
      const root = fileURLToPath(context.config.root);
      // The same listing as Astro's loader makes (tinyglobby, the same options), so both meet the same files.
      const files = await listMatching(options.pattern, { cwd: dir, expandDirectories: false });
      const kept = parseKeptStats(context.meta.get(STATS_META));
      const stats = new Map<string, string>();
      const changed: string[] = [];
      const met = new Set<string>();
      let unread = 0;
      for (const file of files) {
        const id = String(options.generateId({ entry: file }));
        met.add(id);
        let stat;
        try {
          stat = statSync(dir + file, { bigint: true });
        } catch {
          changed.push(file);
          continue;
        }
        // Taken before Astro's loader reads the file: an edit during the read moves the times kept.
        const signature = statSignature(stat);
        stats.set(file, signature);
        const entry = context.store.get(id);
        const path = relative(root, dir + file).split(sep).join('/');
        if (entry?.filePath === path && hasWhatIsShown(entry, bodies) && trustedByStat(kept, file, stat, signature)) {
          // What Astro's loader does for an entry whose digest is unchanged.
          if (entry.deferredRender) context.store.addModuleImport(entry.filePath);
          if (entry.assetImports?.length) (context.store as LoaderStore).addAssetImports(entry.assetImports, entry.filePath);
          unread++;
        } else changed.push(file);
      }
      for (const id of context.store.keys()) if (!met.has(id)) context.store.delete(id);
      if (changed.length === files.length || changed.length > MAX_LISTED) await loadWith(inner);
      else if (changed.length) {
        const only = new Set(changed.map((file) => String(options.generateId({ entry: file }))));
        await loadWith(glob({ ...options, pattern: changed.map(escapePath) }), only);
      }
      context.meta.set(STATS_META, formatKeptStats({ startedNs, stats }));
      if (unread) context.logger.info(`${unread} of ${files.length} story files unchanged since the last sync (by their stat): not read again`);
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
