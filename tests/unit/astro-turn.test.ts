import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { TURN_MESSAGE, WAIT_FOR_TURN_ENV } from '../../src/integrations/astro-turn';
import { ROOT } from '../helpers/sites';

// A child process that runs the integration's hook as Astro would, and says how it ended.
const CHILD = `
import { waitForTurn } from './src/integrations/astro-turn.ts';
const hook = waitForTurn().hooks['astro:config:done'];
// As Astro's config hooks and content gate do, it is busy a while before it waits: a turn given meanwhile is held by Node.
await new Promise((r) => setTimeout(r, Number(process.env.BUSY_MS ?? 0)));
console.log('waiting');
hook({ logger: { info: (m) => console.log(m) } }).then(
  () => console.log('synced'),
  (e) => { console.log('stopped: ' + e.message); process.exitCode = 1; },
);
`;

function child(env: Record<string, string>, parent: (c: ReturnType<typeof spawn>, output: () => string) => void) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const c = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let output = '';
    c.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    c.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    parent(c, () => output);
    // Not 'close': a parent that disconnected the IPC channel itself never sees it.
    const ended = new Promise((r) => c.stdout!.on('end', r));
    c.on('exit', (code) => void ended.then(() => resolve({ code, output })));
  });
}

const whenPrinted = (output: () => string, text: string) =>
  new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (output().includes(text)) {
        clearInterval(poll);
        resolve();
      }
    }, 20);
  });

describe('waitForTurn (a build started before its turn in .astro/)', () => {
  it('waits at astro:config:done until its parent says its turn has come, then lets the process end', async () => {
    let sentAt = 0;
    const r = await child({ [WAIT_FOR_TURN_ENV]: 'ipc' }, (c, output) => {
      void whenPrinted(output, 'waiting').then(async () => {
        // Still waiting a while later: nothing but the message lets it go on.
        await new Promise((r) => setTimeout(r, 500));
        expect(output()).not.toContain('synced');
        sentAt = Date.now();
        c.send('something else');
        c.send(TURN_MESSAGE);
      });
    });
    expect(sentAt).toBeGreaterThan(0);
    expect(r.output).toMatch(/waited \d+\.\d s for its turn in \.astro\/\nsynced/);
    expect(r.code).toBe(0);
  }, 30_000);

  it('takes a turn given before it started waiting (no shard to build: the turn is free at once)', async () => {
    const r = await child({ [WAIT_FOR_TURN_ENV]: 'ipc', BUSY_MS: '500' }, (c) => c.send(TURN_MESSAGE));
    expect(r.output).toMatch(/waited \d+\.\d s for its turn in \.astro\/\nsynced/);
    expect(r.code).toBe(0);
  }, 30_000);

  it('stops the build when its parent goes away before its turn', async () => {
    const r = await child({ [WAIT_FOR_TURN_ENV]: 'ipc' }, (c, output) => {
      void whenPrinted(output, 'waiting').then(() => c.disconnect());
    });
    expect(r.output).toContain('stopped: the command that started this build went away before its turn came');
    expect(r.code).toBe(1);
  }, 30_000);

  it('does not wait when not asked to', async () => {
    const r = await child({}, () => {});
    expect(r.output).toContain('synced');
    expect(r.output).not.toContain('for its turn');
  }, 30_000);
});
