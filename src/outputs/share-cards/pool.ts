import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { socialCardKey, type SocialCardInput } from './card.ts';
import type { CardReply, CardRequest } from './worker.ts';

interface Job {
  request: CardRequest;
  done: Promise<void>;
  settle: (error?: Error) => void;
  started: boolean;
}

export interface CardPoolOptions {
  /** Absolute path of worker.ts. */
  workerFile: string;
  /** Cards are drawn into `<cacheDir>/social-cards/<key>.png` and kept there for later builds. */
  cacheDir: string;
  /** Defaults to one worker per core but one (that one renders pages), at least one and at most four. */
  workers?: number;
}

/**
 * Share cards are drawn in worker threads, so the build renders pages on one core while cards are
 * drawn on the others. `prefetch()` queues every card as soon as the card route knows its paths,
 * long before Astro reaches that route; `card()` then finds most of them drawn, and moves one still
 * waiting to the front of the queue. Cards travel through the cache folder, never held in memory.
 */
export class SocialCardPool {
  readonly #options: CardPoolOptions;
  readonly #jobs = new Map<string, Job>();
  readonly #queue: string[] = [];
  readonly #idle: Worker[] = [];
  readonly #busy = new Map<Worker, string>();
  #started = false;

  constructor(options: CardPoolOptions) {
    this.#options = options;
  }

  /** Queues cards to be drawn in the background. */
  prefetch(inputs: Iterable<SocialCardInput>): void {
    for (const input of inputs) this.#job(input);
    this.#pump();
  }

  /** The card's PNG bytes, drawn first if it is not in the cache yet. */
  async card(input: SocialCardInput): Promise<Uint8Array<ArrayBuffer>> {
    const key = socialCardKey(input);
    const job = this.#job(input);
    if (!job.started) this.#queue.unshift(...this.#queue.splice(this.#queue.indexOf(key), 1));
    this.#pump();
    await job.done;
    return new Uint8Array(readFileSync(job.request.file));
  }

  #job(input: SocialCardInput): Job {
    const key = socialCardKey(input);
    let job = this.#jobs.get(key);
    if (!job) {
      let settle!: Job['settle'];
      const done = new Promise<void>((resolve, reject) => (settle = (error) => (error ? reject(error) : resolve())));
      // A prefetched card nobody asks for must not become an unhandled rejection.
      done.catch(() => {});
      const file = join(this.#options.cacheDir, 'social-cards', `${key}.png`);
      job = { request: { input, file }, done, settle, started: false };
      this.#jobs.set(key, job);
      this.#queue.push(key);
    }
    return job;
  }

  #pump(): void {
    if (!this.#started && this.#queue.length) this.#start();
    while (this.#idle.length && this.#queue.length) {
      const job = this.#jobs.get(this.#queue.shift()!)!;
      const worker = this.#idle.pop()!;
      job.started = true;
      this.#busy.set(worker, socialCardKey(job.request.input));
      // A busy worker keeps the process alive until its card is drawn; an idle one must not.
      worker.ref();
      worker.postMessage(job.request);
    }
  }

  #start(): void {
    this.#started = true;
    const count = this.#options.workers ?? Math.min(4, Math.max(1, availableParallelism() - 1));
    for (let i = 0; i < count; i++) {
      const worker = new Worker(this.#options.workerFile);
      worker.on('message', (reply: CardReply) => this.#finish(worker, reply.ok ? undefined : reply.error));
      worker.on('error', (error) => this.#finish(worker, error.stack ?? error.message, true));
      worker.unref();
      this.#idle.push(worker);
    }
  }

  #finish(worker: Worker, error: string | undefined, crashed = false): void {
    const job = this.#jobs.get(this.#busy.get(worker) ?? '');
    this.#busy.delete(worker);
    job?.settle(
      error === undefined ? undefined : new Error(`could not draw the share card for "${job.request.input.headline}":\n${error}`),
    );
    worker.unref();
    if (!crashed) this.#idle.push(worker);
    else if (!this.#idle.length && !this.#busy.size) {
      // Every worker is gone: fail what is left rather than wait for ever.
      for (const key of this.#queue.splice(0)) this.#jobs.get(key)!.settle(new Error(`the share-card workers stopped: ${error}`));
    }
    this.#pump();
    // All drawn: stop the workers, whose heaps (fonts, satori, resvg) the rest of the build can use.
    // A later card starts them again.
    if (!this.#queue.length && !this.#busy.size) this.#stop();
  }

  #stop(): void {
    for (const worker of this.#idle.splice(0)) void worker.terminate();
    this.#started = false;
  }
}
