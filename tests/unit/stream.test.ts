import { describe, expect, it } from 'vitest';
import { isHls, playbackPlan, type StreamSource } from '../../src/client/live-player/stream';

const HLS: StreamSource = { url: 'https://streams.example.org/kxpr/live.m3u8', type: 'application/vnd.apple.mpegurl' };
const MP3: StreamSource = { url: 'https://streams.example.org/kxpr/live.mp3', type: 'audio/mpeg' };
const AAC: StreamSource = { url: 'https://streams.example.org/kxpr/live.aac', type: 'audio/aac' };

const browser = (types: string[]) => (type: string) => types.includes(type);
const plan = (sources: StreamSource[], types: string[], mse = true) =>
  playbackPlan(sources, browser(types), mse).map((p) => `${p.via} ${p.source.url.split('/').pop()}`);

describe('playbackPlan', () => {
  it('plays HLS natively where the browser can (Safari)', () => {
    expect(plan([HLS, MP3], ['application/vnd.apple.mpegurl', 'audio/mpeg'])).toEqual(['native live.m3u8', 'native live.mp3']);
  });

  it('prefers a native MP3 over loading hls.js, and keeps hls.js as the last resort (Chrome, Firefox)', () => {
    expect(plan([HLS, MP3], ['audio/mpeg'])).toEqual(['native live.mp3', 'hls.js live.m3u8']);
  });

  it('uses hls.js when HLS is the only source and the browser lacks native HLS', () => {
    expect(plan([HLS], ['audio/mpeg'])).toEqual(['hls.js live.m3u8']);
  });

  it('skips what the browser cannot play at all', () => {
    expect(plan([AAC, MP3], ['audio/mpeg'])).toEqual(['native live.mp3']);
    expect(plan([HLS], [], false)).toEqual([]);
  });

  it('recognises HLS by type or by .m3u8', () => {
    expect(isHls({ url: '/x', type: 'application/x-mpegURL' })).toBe(true);
    expect(isHls({ url: '/live.m3u8?token=1', type: 'application/octet-stream' })).toBe(true);
    expect(isHls(MP3)).toBe(false);
  });
});
