import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { contentSecurityPolicy, parseCsp } from '../../src/integrations/host-files/policy';
import { emptyScan } from '../../src/integrations/host-files/scan';
import { ROOT } from '../helpers/sites';

/**
 * The player and the CSP agree on hls.js's worker: the player starts none, so the policy grants
 * no `blob:` worker. The ES module build the player imports has no inline worker to start from a
 * `blob:` URL; turning the worker on would need a published hls.worker.js and this test changed.
 */
const player = readFileSync(join(ROOT, 'src/client/live-player/player.ts'), 'utf8');

it('the player loads the ES module build of hls.js and starts it without a worker', () => {
  expect(player).toMatch(/from 'hls\.js\/dist\/hls\.light\.min\.mjs\?url'/);
  const configs = [...player.matchAll(/new Hls\(([^)]*)\)/g)].map((m) => m[1]);
  expect(configs).toEqual(['{ enableWorker: false }']);
});

it('the CSP of a station streaming HLS grants blob: media (Media Source Extensions) but no blob: worker', () => {
  const csp = parseCsp(
    contentSecurityPolicy({
      scan: emptyScan(),
      streams: [{ url: 'https://streams.example.org/live.m3u8', type: 'application/vnd.apple.mpegurl' }],
      embedHosts: [],
      hasPagefind: true,
    }),
  );
  expect(csp.get('media-src')).toContain('blob:');
  expect(csp.get('worker-src')).toEqual(["'self'"]);
});
