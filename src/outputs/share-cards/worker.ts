import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parentPort, threadId } from 'node:worker_threads';
import type { SocialCardInput } from './card.ts';
import { renderSocialCard } from './draw.ts';

/** A card worker (see pool.ts): draws each card it is sent into its cache file, unless it is there. */
export interface CardRequest {
  input: SocialCardInput;
  file: string;
}
export type CardReply = { ok: true } | { ok: false; error: string };

async function draw({ input, file }: CardRequest): Promise<void> {
  if (existsSync(file)) return;
  const png = await renderSocialCard(input);
  mkdirSync(dirname(file), { recursive: true });
  // Write then rename, so an interrupted build never leaves a truncated card in the cache.
  const partial = `${file}.${process.pid}-${threadId}.tmp`;
  writeFileSync(partial, png);
  renameSync(partial, file);
}

parentPort!.on('message', (request: CardRequest) => {
  draw(request).then(
    () => parentPort!.postMessage({ ok: true } satisfies CardReply),
    (error: unknown) =>
      parentPort!.postMessage({
        ok: false,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies CardReply),
  );
});
