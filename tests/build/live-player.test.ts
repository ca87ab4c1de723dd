import { describe, expect, it } from 'vitest';
import type { PlayerStation } from '../../src/client/live-player/player';
import { articlePaths, loadPage } from '../helpers/dist';
import { SITES } from '../helpers/sites';

const dist = SITES.fixtures.outDir;
const PAGES = ['/', '/stations/wfix/', '/topics/education/', '/404.html', ...articlePaths(dist)];

describe('the live player in every page', () => {
  it.each(PAGES)('%s has the persisted bar around a native player of its station', (path) => {
    const $ = loadPage(dist, path);
    const station = $('body').attr('data-station');
    const player = $('live-player#live-player');
    expect(player.length).toBe(1);
    expect(player.attr('data-astro-transition-persist')).toBe('live-player');
    expect(player.attr('data-station')).toBe(station);

    // Without JS this <audio> is the player: native controls, nothing loaded until asked.
    const audio = player.find('audio[data-live-audio]');
    expect(audio.attr('controls')).toBeDefined();
    expect(audio.attr('preload')).toBe('none');
    expect(audio.attr('autoplay')).toBeUndefined();
    const sources = audio
      .find('source')
      .map((_, s) => `${$(s).attr('src')} ${$(s).attr('type')}`)
      .get();
    expect(sources).toEqual(
      station === 'kfix'
        ? ['/test-audio/kfix.m3u8 application/vnd.apple.mpegurl', '/test-audio/kfix.wav audio/wav']
        : ['/test-audio/wfix.wav audio/wav'],
    );

    // Real buttons with names, a labelled picker with every station, a polite status.
    expect(player.find('button[data-action="toggle"]').attr('aria-label')).toMatch(/^Play (KFIX 90\.1|WFIX 88\.3) live$/);
    expect(player.find('button[data-action="retry"]').text()).toBe('Retry');
    expect(player.find('select[data-picker]').attr('aria-label')).toBe('Station');
    expect(
      player
        .find('select[data-picker] option')
        .map((_, o) => $(o).attr('value'))
        .get(),
    ).toEqual(['kfix', 'wfix']);
    expect(player.find('select[data-picker] option[selected]').attr('value')).toBe(station);
    expect(player.find('input[type="range"][data-volume]').attr('aria-label')).toBe('Volume');
    expect(player.find('[role="status"][aria-live="polite"]').length).toBe(1);

    // The header's Play Live Radio is a link to the bar, so it works without JS.
    expect($('header [data-play-live]').attr('href')).toBe('#live-player');
    expect($('meta[name="astro-view-transitions-enabled"]').attr('content')).toBe('true');
  });

  it('gives the browser every station, stream, zone and schedule as inert JSON', () => {
    const $ = loadPage(dist, '/');
    const json = $('live-player script[type="application/json"][data-stations]').text();
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
