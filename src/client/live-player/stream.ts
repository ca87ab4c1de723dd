/** Choosing how to play a station's stream. Pure: the browser's abilities are arguments. */

export interface StreamSource {
  url: string;
  type: string;
}

/** How one source would be played: by the `<audio>` element itself, or through hls.js. */
export interface Playback {
  source: StreamSource;
  via: 'native' | 'hls.js';
}

const HLS_TYPES = new Set(['application/vnd.apple.mpegurl', 'application/x-mpegurl', 'audio/mpegurl', 'audio/x-mpegurl']);

export const isHls = (s: StreamSource) => HLS_TYPES.has(s.type.toLowerCase()) || /\.m3u8(?:[?#]|$)/i.test(s.url);

/**
 * The order to try a station's sources in: every source the browser plays by itself, in the
 * editor's order, then HLS sources through hls.js when the browser has Media Source
 * Extensions. hls.js (114 KiB gzipped) is loaded only when nothing plays natively, or when
 * every native source has failed, so most listeners never download it.
 */
export function playbackPlan(sources: StreamSource[], canPlayType: (type: string) => boolean, hasMediaSource: boolean): Playback[] {
  const native = sources.filter((s) => canPlayType(s.type)).map((source): Playback => ({ source, via: 'native' }));
  const viaHls = hasMediaSource
    ? sources.filter((s) => isHls(s) && !canPlayType(s.type)).map((source): Playback => ({ source, via: 'hls.js' }))
    : [];
  return [...native, ...viaHls];
}
