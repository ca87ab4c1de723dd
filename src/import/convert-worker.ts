/** Worker thread of `workerConverter`: converts post bodies it is sent, one message each. */
import { parentPort, workerData } from 'node:worker_threads';
import { convertPost, type ConvertSetup } from './convert';

const setup = workerData as ConvertSetup;
const state = { attachments: new Map(setup.attachments), embedHosts: setup.embedHosts };
parentPort!.on('message', ({ id, html }: { id: number; html: string }) => {
  try {
    parentPort!.postMessage({ id, body: convertPost(html, state) });
  } catch (e) {
    parentPort!.postMessage({ id, error: (e as Error).stack ?? String(e) });
  }
});
