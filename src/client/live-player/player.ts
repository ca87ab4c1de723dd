/**
 * <live-player>: the docked live-radio bar. It enhances the native <audio controls> that
 * LivePlayer.astro renders (which is the whole player without JS) with a play button, On Now
 * and Next Up, a station picker and volume. The element is persisted across ClientRouter
 * navigations, so this module runs once per full page load: listeners on the audio element
 * are added once, and per-page work happens on `astro:page-load`.
 */
import hlsLightUrl from 'hls.js/dist/hls.light.min.mjs?url';
import type { Program } from '../../schemas/station';
import { formatStartTime, nextChangeAt, onAirAt, type OnAir } from './schedule';
import { playbackPlan, type Playback, type StreamSource } from './stream';

/** One station as the page's JSON gives it to the player. */
export interface PlayerStation {
  id: string;
  name: string;
  timezone: string;
  accent?: string;
  schedulePath: string;
  stream: StreamSource[];
  schedule: Program[];
}

type State = 'idle' | 'loading' | 'playing' | 'paused' | 'error';

const STATION_KEY = 'masthead:station';
const VOLUME_KEY = 'masthead:volume';
/** How long "connecting" or "buffering" may last before the listener is told. */
const STALL_MS = 15_000;
/** Re-check the schedule at least this often (a sleeping laptop misses timers). */
const MAX_TICK_MS = 60_000;

const store = {
  get: (key: string) => {
    try {
      return localStorage.getItem(key);
    } catch {
      return null; // storage can be disabled; the player works without memory
    }
  },
  set: (key: string, value: string) => {
    try {
      localStorage.setItem(key, value);
    } catch {
      /* as above */
    }
  },
};

const viewerTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

interface HlsLike {
  destroy(): void;
}

export class LivePlayer extends HTMLElement {
  private audio!: HTMLAudioElement;
  private stations = new Map<string, PlayerStation>();
  private station!: PlayerStation;
  private state: State = 'idle';
  private plan: Playback[] = [];
  private attempt = 0;
  private hls?: HlsLike;
  private stallTimer?: number;
  private tickTimer?: number;
  private playingSince = 0;

  connectedCallback() {
    if (this.audio) return; // moved by the ClientRouter without connectedMoveCallback support
    const data = this.querySelector('script[data-stations]')?.textContent;
    const audio = this.querySelector<HTMLAudioElement>('audio[data-live-audio]');
    if (!data || !audio) return;
    this.audio = audio;
    for (const s of JSON.parse(data) as PlayerStation[]) this.stations.set(s.id, s);

    // The picker (labelled "Station") announces the name; the drawn name would repeat it.
    this.querySelector('[data-station-name]')?.setAttribute('aria-hidden', 'true');
    // From here on the player chooses the stream; the no-JS <source>s would compete.
    audio.controls = false;
    audio.querySelectorAll('source').forEach((s) => s.remove());
    audio.preload = 'none';

    audio.addEventListener('playing', () => {
      this.playingSince ||= Date.now();
      this.setState('playing');
    });
    audio.addEventListener('waiting', () => this.state === 'playing' && this.setState('loading'));
    audio.addEventListener('pause', () => this.onPause());
    // `error` is null again once a newer load has started: a late event from a source we left.
    audio.addEventListener('error', () => audio.error && this.onStreamFailure());
    // A live stream that "ends" has dropped.
    audio.addEventListener('ended', () => this.onStreamFailure());
    audio.addEventListener('volumechange', () => this.renderVolume());

    this.addEventListener('click', (e) => {
      const action = (e.target as Element).closest<HTMLElement>('[data-action]')?.dataset.action;
      if (action === 'toggle') this.toggle();
      else if (action === 'retry') {
        this.play();
        // The Retry button hides once retrying; keep keyboard focus in the bar.
        this.querySelector<HTMLButtonElement>('button[data-action="toggle"]')!.focus();
      } else if (action === 'mute') audio.muted = !audio.muted;
    });
    this.picker.addEventListener('change', () => this.choose(this.picker.value));
    this.volumeInput.addEventListener('input', () => {
      audio.volume = Number(this.volumeInput.value);
      audio.muted = audio.volume === 0;
      store.set(VOLUME_KEY, String(audio.volume));
    });
    const volume = Number(store.get(VOLUME_KEY) ?? 1);
    if (volume >= 0 && volume <= 1) audio.volume = volume;

    const remembered = store.get(STATION_KEY);
    this.station = this.stations.get(remembered ?? '') ?? this.stations.get(this.dataset.station ?? '') ?? [...this.stations.values()][0]!;
    this.renderVolume();
    this.setupMediaSession();
    this.setState('idle');
    this.pageChanged();
  }

  /** Moved by `moveBefore` on navigation: keep playing, change nothing. */
  connectedMoveCallback() {}

  private get picker() {
    return this.querySelector<HTMLSelectElement>('select[data-picker]')!;
  }
  private get volumeInput() {
    return this.querySelector<HTMLInputElement>('input[data-volume]')!;
  }
  private get isActive() {
    return this.state === 'playing' || this.state === 'loading';
  }

  /** After each navigation: a new header to fill in, and maybe a new page station. */
  pageChanged() {
    const pageStation = this.stations.get(document.body.dataset.station ?? '');
    // Until the listener picks or plays a station, the bar follows the page's station.
    if (pageStation && !this.isActive && !store.get(STATION_KEY) && pageStation !== this.station) this.station = pageStation;
    this.render();
  }

  /** Play Live Radio: this station, from a user gesture. */
  playStation(id: string | undefined) {
    const station = this.stations.get(id ?? '') ?? this.station;
    if (station === this.station && this.isActive) return;
    this.station = station;
    this.play();
  }

  private choose(id: string) {
    const station = this.stations.get(id);
    if (!station) return;
    const wasActive = this.isActive;
    this.station = station;
    store.set(STATION_KEY, station.id);
    if (wasActive) this.play();
    else {
      this.unload();
      this.setState('idle');
    }
  }

  private toggle() {
    if (this.isActive) this.stop();
    else this.play();
  }

  /** Live radio pauses by disconnecting, so play resumes at live, not minutes behind. */
  stop() {
    if (!this.isActive) return;
    this.audio.pause();
    this.unload();
    this.setState('paused');
  }

  /** (Re)connect to the station's live stream from the first source the browser can play. */
  play() {
    store.set(STATION_KEY, this.station.id); // playing a station chooses it
    this.unload();
    const canPlay = (type: string) => this.audio.canPlayType(type) !== '';
    this.plan = playbackPlan(this.station.stream, canPlay, 'MediaSource' in window);
    this.attempt = 0;
    this.setState('loading');
    this.tryAttempt();
  }

  private tryAttempt() {
    const step = this.plan[this.attempt];
    if (!step) return this.fail(`${this.station.name} can't be played in this browser.`);
    const station = this.station;
    this.playingSince = 0;
    this.armStallTimer();
    if (step.via === 'native') {
      this.audio.src = step.source.url;
      this.audio.play().catch((e: DOMException) => this.onPlayRejected(e));
      return;
    }
    // A plain URL import keeps Vite's preload helper out of this bundle; hls.js ships as one ES module.
    (import(/* @vite-ignore */ hlsLightUrl) as Promise<typeof import('hls.js')>).then(
      ({ default: Hls }) => {
        if (this.station !== station || this.state !== 'loading') return; // the listener moved on
        // No worker: the ES module build has no inline worker to start (it would need a published
        // hls.worker.js), and transmuxing an audio-only stream is light work. The CSP's worker-src
        // grants no blob: for it (tests/unit/player-csp.test.ts ties the two together).
        const hls = new Hls({ enableWorker: false });
        this.hls = hls;
        hls.on(Hls.Events.ERROR, (_event, data) => data.fatal && this.onStreamFailure());
        hls.loadSource(step.source.url);
        hls.attachMedia(this.audio);
        this.audio.play().catch((e: DOMException) => this.onPlayRejected(e));
      },
      () => this.onStreamFailure(),
    );
  }

  private onPlayRejected(e: DOMException) {
    // Other rejections (a newer load, a source that fails) also fire `error` or stall, which report.
    if (e.name === 'NotAllowedError') this.fail('Your browser blocked playback. Press play to listen.');
  }

  /** A source failed: try the next one, then say so. */
  private onStreamFailure() {
    if (!this.isActive) return;
    // A stream that drops after playing a while reconnects, as a radio would.
    if (this.playingSince && Date.now() - this.playingSince > 10_000) return this.play();
    this.attempt++;
    if (this.attempt < this.plan.length) {
      this.unload();
      this.setState('loading');
      this.tryAttempt();
    } else this.fail(`The ${this.station.name} stream isn't responding.`);
  }

  /** Paused from outside the bar: media keys, the OS, or other audio starting on the page. */
  private onPause() {
    if (this.isActive) this.stop();
  }

  private fail(message: string) {
    this.unload();
    this.setState('error', message);
  }

  /** Stop downloading the stream. */
  private unload() {
    window.clearTimeout(this.stallTimer);
    this.hls?.destroy();
    this.hls = undefined;
    // A late `error` from the source left behind is ignored (see the listener); load() fires no `pause`.
    if (this.audio.hasAttribute('src')) {
      this.audio.removeAttribute('src');
      this.audio.load();
    }
  }

  private armStallTimer() {
    window.clearTimeout(this.stallTimer);
    this.stallTimer = window.setTimeout(() => {
      if (this.state === 'loading') this.onStreamFailure();
    }, STALL_MS);
  }

  private setState(state: State, error = '') {
    this.state = state;
    if (state === 'loading') this.armStallTimer();
    else window.clearTimeout(this.stallTimer);
    this.dataset.state = state;
    const name = this.station.name;
    const button = this.querySelector<HTMLButtonElement>('button[data-action="toggle"]')!;
    button.setAttribute(
      'aria-label',
      state === 'playing'
        ? `Pause ${name}`
        : state === 'loading'
          ? `Stop connecting to ${name}`
          : state === 'error'
            ? `Retry ${name}`
            : `Play ${name} live`,
    );
    const badge = { idle: 'Live', loading: 'Connecting…', playing: 'Live', paused: 'Paused', error: 'Off air' }[state];
    this.querySelector('[data-badge]')!.textContent = badge;
    this.querySelector('[data-error]')!.textContent = error;
    const status = {
      idle: '',
      loading: `Connecting to ${name}…`,
      playing: `Playing ${name} live`,
      paused: `${name} paused`,
      error,
    }[state];
    const live = this.querySelector('[data-status]')!;
    if (live.textContent !== status) live.textContent = status;
    if ('mediaSession' in navigator)
      navigator.mediaSession.playbackState = state === 'playing' ? 'playing' : state === 'paused' ? 'paused' : 'none';
    this.render();
  }

  /** Station, On Now and Next Up in the bar and the page header, then a timer for the next change. */
  private render() {
    const now = new Date();
    const s = this.station;
    if (s.accent) this.style.setProperty('--mh-color-accent', s.accent);
    else this.style.removeProperty('--mh-color-accent');
    if (this.picker.value !== s.id) this.picker.value = s.id;
    this.querySelector('[data-station-name]')!.textContent = s.name;
    const air = onAirAt(s.schedule, s.timezone, now);
    const onNow = this.querySelector<HTMLAnchorElement>('[data-on-now]')!;
    onNow.textContent = air.current ? withHost(air.current.program) : s.name;
    onNow.href = s.schedulePath;
    const next = this.querySelector<HTMLElement>('[data-next-up-bar]')!;
    next.textContent = nextUpText(air, s, now);
    next.parentElement!.hidden = !next.textContent; // a show that runs around the clock has no Next Up
    this.updateMediaMetadata(air);

    const pageStation = this.stations.get(document.body.dataset.station ?? '');
    const header = document.querySelector<HTMLElement>('[data-next-up]');
    const headerLink = header?.querySelector<HTMLAnchorElement>('[data-next-up-program]');
    if (pageStation && headerLink) {
      const pageAir = pageStation === s ? air : onAirAt(pageStation.schedule, pageStation.timezone, now);
      headerLink.textContent = nextUpText(pageAir, pageStation, now) || `See the ${pageStation.name} schedule`;
    }

    window.clearTimeout(this.tickTimer);
    const change = nextChangeAt(air);
    const wait = change ? Math.min(MAX_TICK_MS, change.getTime() - now.getTime() + 500) : MAX_TICK_MS;
    this.tickTimer = window.setTimeout(() => this.render(), Math.max(1000, wait));
  }

  private renderVolume() {
    this.volumeInput.value = String(this.audio.muted ? 0 : this.audio.volume);
    const mute = this.querySelector<HTMLButtonElement>('button[data-action="mute"]')!;
    mute.setAttribute('aria-pressed', String(this.audio.muted));
  }

  private setupMediaSession() {
    if (!('mediaSession' in navigator)) return;
    const handlers: [MediaSessionAction, () => void][] = [
      ['play', () => this.play()],
      ['pause', () => this.stop()],
      ['stop', () => this.stop()],
    ];
    for (const [action, handler] of handlers) {
      try {
        navigator.mediaSession.setActionHandler(action, handler);
      } catch {
        /* an action this browser does not know */
      }
    }
  }

  private updateMediaMetadata(air: OnAir) {
    if (!('mediaSession' in navigator) || !('MediaMetadata' in window) || !this.isActive) return;
    const title = air.current ? withHost(air.current.program) : `${this.station.name} live`;
    const current = navigator.mediaSession.metadata;
    if (current?.title === title && current.artist === this.station.name) return;
    navigator.mediaSession.metadata = new MediaMetadata({ title, artist: this.station.name, album: 'Live radio' });
  }
}

const withHost = (p: Program) => (p.host ? `${p.title} with ${p.host}` : p.title);

function nextUpText(air: OnAir, station: PlayerStation, now: Date) {
  if (!air.next) return '';
  return `${air.next.program.title} · ${formatStartTime(air.next.start, station.timezone, now, viewerTimeZone())}`;
}

customElements.define('live-player', LivePlayer);

const player = () => document.querySelector<LivePlayer>('live-player');

// Play Live Radio in the station header: with JS it plays in the bar instead of jumping to
// it. Capture phase, so the ClientRouter does not treat the #live-player link as navigation.
document.addEventListener(
  'click',
  (e) => {
    const link = (e.target as Element | null)?.closest?.('[data-play-live]');
    const bar = player();
    if (!link || !bar || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    bar.playStation(document.body.dataset.station);
  },
  { capture: true },
);

// Live and on-demand audio never play at once: whatever starts pauses the rest.
document.addEventListener(
  'play',
  (e) => {
    for (const media of document.querySelectorAll<HTMLMediaElement>('audio, video')) {
      if (media !== e.target && !media.paused) media.pause();
    }
  },
  { capture: true },
);

document.addEventListener('astro:page-load', () => player()?.pageChanged());

// Astro's router skips a view transition that has not started animating when the reader navigates
// again (a quick Back), and the browser then rejects that transition's `ready` promise, which the
// router never awaits: each quick navigation printed an uncaught AbortError. Skipping is intended.
document.addEventListener('astro:before-swap', (e) => {
  (e as Event & { viewTransition?: { ready: Promise<void> } }).viewTransition?.ready.catch(() => {});
});
