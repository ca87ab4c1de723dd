import { describe, expect, it } from 'vitest';
import type { PlayerStation } from '../../src/client/live-player/player';
import { articlePaths, loadPage } from '../helpers/dist';
import { SITES } from '../helpers/sites';
import { all, attr, one, text, the } from '../helpers/html';

const dist = SITES.fixtures.outDir;
const PAGES = ['/', '/stations/wfix/', '/topics/education/', '/404.html', ...articlePaths(dist)];

describe('the live player in every page', () => {
  it.each(PAGES)('%s has the persisted bar around a native player of its station', (path) => {
    const $ = loadPage(dist, path);
    const station = attr(one($, 'body'), 'data-station');
    const players = all($, 'live-player#live-player');
    expect(players.length).toBe(1);
    const player = players[0]!;
    expect(attr(player, 'data-astro-transition-persist')).toBe('live-player');
    expect(attr(player, 'data-station')).toBe(station);

    // Without JS this <audio> is the player: native controls, nothing loaded until asked.
    const audio = the(player, 'audio[data-live-audio]');
    expect(attr(audio, 'controls')).toBeDefined();
    expect(attr(audio, 'preload')).toBe('none');
    expect(attr(audio, 'autoplay')).toBeUndefined();
    const sources = all(audio, 'source').map((s) => `${attr(s, 'src')} ${attr(s, 'type')}`);
    expect(sources).toEqual(
      station === 'kfix'
        ? ['/test-audio/kfix.m3u8 application/vnd.apple.mpegurl', '/test-audio/kfix.wav audio/wav']
        : ['/test-audio/wfix.wav audio/wav'],
    );

    // Real buttons with names, a labelled picker with every station, a polite status.
    expect(attr(one(player, 'button[data-action="toggle"]'), 'aria-label')).toMatch(/^Play (KFIX 90\.1|WFIX 88\.3) live$/);
    expect(text(all(player, 'button[data-action="retry"]'))).toBe('Retry');
    expect(attr(one(player, 'select[data-picker]'), 'aria-label')).toBe('Station');
    expect(all(player, 'select[data-picker] option').map((o) => attr(o, 'value'))).toEqual(['kfix', 'wfix']);
    expect(attr(one(player, 'select[data-picker] option[selected]'), 'value')).toBe(station);
    expect(attr(one(player, 'input[type="range"][data-volume]'), 'aria-label')).toBe('Volume');
    expect(all(player, '[role="status"][aria-live="polite"]').length).toBe(1);

    // The header's Play Live Radio is a link to the bar, so it works without JS.
    expect(attr(one($, 'header [data-play-live]'), 'href')).toBe('#live-player');
    expect(attr(one($, 'meta[name="astro-view-transitions-enabled"]'), 'content')).toBe('true');
  });

  it('gives the browser every station, stream, zone and schedule as inert JSON', () => {
    const $ = loadPage(dist, '/');
    const json = text(all($, 'live-player script[type="application/json"][data-stations]'));
    const stations = JSON.parse(json) as PlayerStation[];
    expect(stations.map((s) => [s.id, s.name, s.timezone, s.schedulePath])).toEqual([
      ['kfix', 'KFIX 90.1', 'America/Chicago', '/stations/kfix/schedule/'],
      ['wfix', 'WFIX 88.3', 'America/New_York', '/stations/wfix/schedule/'],
    ]);
    expect(stations[0]!.stream).toEqual([
      { url: '/test-audio/kfix.m3u8', type: 'application/vnd.apple.mpegurl' },
      { url: '/test-audio/kfix.wav', type: 'audio/wav' },
    ]);
    expect(stations[0]!.schedule[1]).toEqual({
      title: 'Fixture Midday',
      host: 'Pat Example',
      days: 'weekdays',
      start: '09:00',
      end: '16:00',
    });
    expect(stations[0]!.accent).toBe('#1d4e89');
  });
});
