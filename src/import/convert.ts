/**
 * A WordPress post body to an mdast tree: shortcodes and blocks expanded, then the HTML rules.
 * Large exports convert in worker threads while the main thread reads the XML and writes files;
 * results come back in order, so slugs and file names stay the same as in one thread.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { EmbedHost } from '../site.config';
import { htmlToMdast, type Converted } from './html-to-markdown';
import { autop, expandShortcodes, type ShortcodeResult } from './shortcodes';
import type { Attachment } from './wordpress';

export interface PostBody extends Converted {
  shortcodes: Omit<ShortcodeResult, 'html'>;
}

export interface ConvertSetup {
  attachments: [string, Attachment][];
  embedHosts: readonly EmbedHost[];
}

export function convertPost(html: string, setup: { attachments: Map<string, Attachment>; embedHosts: readonly EmbedHost[] }): PostBody {
  const { html: expanded, ...shortcodes } = expandShortcodes(autop(html), { attachment: (id) => setup.attachments.get(id) });
  return { ...htmlToMdast(expanded, { embedHosts: setup.embedHosts }), shortcodes };
}

export interface Converter {
  convert(html: string): Promise<PostBody>;
  close(): Promise<void>;
}

/** In this thread: for small exports, where starting workers costs more than it saves. */
export function inlineConverter(setup: ConvertSetup): Converter {
  const s = { attachments: new Map(setup.attachments), embedHosts: setup.embedHosts };
  return { convert: async (html) => convertPost(html, s), close: async () => {} };
}

/** In `workers` threads (default: one per core but one, at most four). */
export function workerConverter(setup: ConvertSetup, workers = Math.min(4, Math.max(1, availableParallelism() - 1))): Converter {
  const pool = Array.from({ length: workers }, () => new Worker(new URL('./convert-worker.ts', import.meta.url), { workerData: setup }));
  const waiting = new Map<number, { resolve: (b: PostBody) => void; reject: (e: Error) => void }>();
  let next = 0;
  for (const w of pool) {
    w.on('message', (m: { id: number; body?: PostBody; error?: string }) => {
      const job = waiting.get(m.id)!;
      waiting.delete(m.id);
      if (m.body) job.resolve(m.body);
      else job.reject(new Error(m.error));
    });
    w.on('error', (e) => {
      for (const job of waiting.values()) job.reject(e);
      waiting.clear();
    });
  }
  return {
    convert(html) {
      const id = next++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        pool[id % pool.length]!.postMessage({ id, html });
      });
    },
    async close() {
      await Promise.all(pool.map((w) => w.terminate()));
    },
  };
}
