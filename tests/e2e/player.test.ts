import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { mediaRoute, missingRoute, type Route, serveDist, SHOTS, useBrowser } from '../helpers/browser';
import { SITES } from '../helpers/sites';
import { sineWav } from '../helpers/wav';

const ARTICLE = '/news/2026/11/20/local-story-with-photo/';
const AUDIO_STORY = '/news/2026/11/17/audio-story-with-transcript/';

// Two "live streams" made here: long enough to outlast any test, different tones per station.
const KFIX_STREAM = mediaRoute(sineWav({ seconds: 180, hz: 440 }), 'audio/wav');
const WFIX_STREAM = mediaRoute(sineWav({ seconds: 180, hz: 660 }), 'audio/wav');
const routes: Record<string, Route> = {
  // KFIX lists HLS first; its playlist is gone, so the player must fall back to the WAV.
  '/test-audio/kfix.m3u8': missingRoute,
  '/test-audio/kfix.wav': KFIX_STREAM,
  '/test-audio/wfix.wav': WFIX_STREAM,
};

const e2e = useBrowser({ fixtures: () => serveDist(SITES.fixtures.outDir, routes) });

interface Session {
  context: BrowserContext;
  page: Page;
  /** Page errors and console errors, except failed loads of the streams a test breaks on purpose. */
  errors: string[];
}

/** `clock`: the page runs on Playwright's fake clock (installed before it loads), for timers a test must not wait out. */
async function open(path: string, options: BrowserContextOptions = {}, { clock = false } = {}): Promise<Session> {
  const context = await e2e.browser.newContext({ viewport: { width: 1366, height: 900 }, timezoneId: 'America/Chicago', ...options });
  const page = await context.newPage();
  if (clock) await page.clock.install();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !/status of 404/.test(m.text()) && errors.push(m.text()));
  await page.goto(e2e.servers.fixtures.origin + path);
  return { context, page, errors };
}

const liveAudio = (page: Page) => page.locator('audio[data-live-audio]');
const playerState = (page: Page) => page.locator('live-player').getAttribute('data-state');
const currentTime = (page: Page) => liveAudio(page).evaluate((a: HTMLAudioElement) => a.currentTime);
const streamFile = (page: Page) => liveAudio(page).evaluate((a: HTMLAudioElement) => new URL(a.currentSrc || 'about:blank').pathname);

/** Waits until the bar plays and the audio clock moves on from `after`. */
async function expectPlaying(page: Page, after = 0) {
  await expect.poll(() => playerState(page), { timeout: 15_000 }).toBe('playing');
  await expect.poll(() => currentTime(page), { timeout: 15_000 }).toBeGreaterThan(after + 0.3);
  expect(await liveAudio(page).evaluate((a: HTMLAudioElement) => a.paused)).toBe(false);
}

describe('the live player', () => {
  it('Play Live Radio starts the station in the bar, past a dead first source', async () => {
    const { context, page, errors } = await open(ARTICLE);
    const stream404s: string[] = [];
    page.on('response', (r) => r.status() === 404 && stream404s.push(new URL(r.url()).pathname));

    // No autoplay: nothing plays or even loads until the listener asks.
    expect(await playerState(page)).toBe('idle');
    expect(await liveAudio(page).evaluate((a: HTMLAudioElement) => a.paused && a.networkState !== a.NETWORK_LOADING)).toBe(true);

    await page.getByRole('link', { name: 'Play Live Radio', exact: true }).click();
    await expectPlaying(page);
    expect(await streamFile(page)).toBe('/test-audio/kfix.wav');
    expect(stream404s).toContain('/test-audio/kfix.m3u8');
    expect(new URL(page.url()).pathname + new URL(page.url()).hash).toBe(ARTICLE); // played in place, no jump to #live-player

    // Announced, and the control now pauses.
    expect(await page.getByRole('status').textContent()).toBe('Playing KFIX 90.1 live');
    expect(await page.getByRole('button', { name: 'Pause KFIX 90.1' }).isVisible()).toBe(true);

    // The lock screen shows the station and the program on now.
    const onNow = (await page.locator('[data-on-now]').textContent())!;
    const session = await page.evaluate(() => ({
      title: navigator.mediaSession.metadata?.title,
      artist: navigator.mediaSession.metadata?.artist,
      state: navigator.mediaSession.playbackState,
    }));
    expect(session).toEqual({ title: onNow, artist: 'KFIX 90.1', state: 'playing' });

    for (const viewport of [
      { name: 'desktop', width: 1366, height: 900 },
      { name: 'phone', width: 390, height: 844 },
    ]) {
      await page.setViewportSize(viewport);
      await page.screenshot({ path: `${SHOTS}/player-playing-${viewport.name}.png` });
      await page.locator('live-player').screenshot({ path: `${SHOTS}/player-bar-playing-${viewport.name}.png` });
      // The bar fits the screen and sits at the bottom of it.
      const box = (await page.locator('live-player').boundingBox())!;
      expect(box.width).toBeLessThanOrEqual(viewport.width);
      expect(Math.round(box.y + box.height)).toBe(viewport.height);
    }
    expect(errors).toEqual([]);
    await context.close();
  });

  it('keeps the same <audio> playing through three link navigations and back', async () => {
    const { context, page, errors } = await open(ARTICLE);
    await page.getByRole('link', { name: 'Play Live Radio', exact: true }).click();
    await expectPlaying(page);
    // Marks that only survive if neither the element nor the document is replaced.
    await liveAudio(page).evaluate((a) => Object.assign(a, { mastheadMark: 'first page' }));
    await page.evaluate(() => Object.assign(window, { mastheadDocument: 'first load' }));

    let last = await currentTime(page);
    const stillTheSamePlayer = async (path: string) => {
      await page.waitForURL(e2e.servers.fixtures.origin + path);
      await expect.poll(() => page.evaluate(() => document.querySelector('main h1')?.textContent?.length ?? 0)).toBeGreaterThan(0);
      expect(await page.evaluate(() => (window as unknown as { mastheadDocument?: string }).mastheadDocument)).toBe('first load');
      expect(await page.locator('audio[data-live-audio]').count()).toBe(1);
      expect(await liveAudio(page).evaluate((a) => (a as unknown as { mastheadMark?: string }).mastheadMark)).toBe('first page');
      await expectPlaying(page, last); // never restarted: the clock only moves forward
      last = await currentTime(page);
    };

    const visited = [ARTICLE];
    const follow = async (link: ReturnType<Page['locator']>) => {
      const href = (await link.getAttribute('href'))!;
      await link.click();
      visited.push(href);
      await stillTheSamePlayer(href);
    };
    await follow(page.locator('nav.site-nav a', { hasText: 'Education' }).first());
    await follow(page.locator('main .headline a').nth(1));
    await follow(page.locator('nav.site-nav a', { hasText: 'WFIX 88.3' }).first());
    expect(new Set(visited).size).toBe(4);

    for (const path of visited.slice(0, -1).reverse()) {
      await page.goBack();
      await stillTheSamePlayer(path);
    }
    expect(errors).toEqual([]);
    await context.close();
  });

  it('prints no error when the reader goes Back while the page is still changing', async () => {
    // Astro's router skips a view transition that has not started animating when another navigation
    // begins; the browser rejects that transition's `ready`, which went unhandled (an uncaught
    // AbortError on 1 or 2 of these 12 round trips before the player's handler).
    const { context, page, errors } = await open('/');
    const origin = e2e.servers.fixtures.origin;
    for (let i = 0; i < 12; i++) {
      const link = page.locator('main .headline a').nth(i % 4);
      const href = (await link.getAttribute('href'))!;
      await link.click();
      await page.waitForURL(origin + href);
      await page.goBack();
      await page.waitForURL(origin + '/');
      await page.waitForFunction(() => document.querySelectorAll('main .headline a').length > 4);
    }
    await page.waitForTimeout(500);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('switches station, and remembers the choice across a reload without autoplaying', async () => {
    const { context, page, errors } = await open('/');
    await page.getByRole('button', { name: 'Play KFIX 90.1 live' }).click();
    await expectPlaying(page);

    await page.getByRole('combobox', { name: 'Station' }).selectOption('wfix');
    await expect.poll(() => streamFile(page)).toBe('/test-audio/wfix.wav');
    await expectPlaying(page);
    expect(await page.getByRole('status').textContent()).toBe('Playing WFIX 88.3 live');
    expect(await page.locator('[data-station-name]').textContent()).toBe('WFIX 88.3');

    // On the page's clock from the reload on: its timers are run on, not waited out.
    await page.clock.install();
    await page.reload();
    expect(await page.getByRole('combobox', { name: 'Station' }).inputValue()).toBe('wfix');
    expect(await page.locator('[data-station-name]').textContent()).toBe('WFIX 88.3');
    await page.clock.runFor(5_000); // anything it would start by itself, it has started
    expect(await playerState(page)).toBe('idle');
    expect(await liveAudio(page).evaluate((a: HTMLAudioElement) => a.paused)).toBe(true);

    await page.getByRole('button', { name: 'Play WFIX 88.3 live' }).click();
    await expectPlaying(page);
    expect(await streamFile(page)).toBe('/test-audio/wfix.wav');

    // Play Live Radio in a station's header plays that station.
    await page.getByRole('link', { name: 'Play Live Radio', exact: true }).click();
    await expect.poll(() => streamFile(page)).toBe('/test-audio/kfix.wav');
    await expectPlaying(page);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says so when the stream fails, and Retry recovers', async () => {
    routes['/test-audio/wfix.wav'] = missingRoute;
    try {
      const { context, page, errors } = await open('/');
      await page.getByRole('combobox', { name: 'Station' }).selectOption('wfix');
      await page.getByRole('button', { name: 'Play WFIX 88.3 live' }).click();
      await expect.poll(() => playerState(page), { timeout: 20_000 }).toBe('error');
      const message = "The WFIX 88.3 stream isn't responding.";
      expect(await page.locator('[data-error]').textContent()).toBe(message);
      expect(await page.locator('[data-error]').isVisible()).toBe(true);
      expect(await page.getByRole('status').textContent()).toBe(message);
      const retry = page.getByRole('button', { name: 'Retry', exact: true });
      expect(await retry.isVisible()).toBe(true);
      expect(await page.getByRole('button', { name: 'Retry WFIX 88.3' }).isVisible()).toBe(true);

      for (const viewport of [
        { name: 'desktop', width: 1366, height: 900 },
        { name: 'phone', width: 390, height: 844 },
      ]) {
        await page.setViewportSize(viewport);
        await page.screenshot({ path: `${SHOTS}/player-error-${viewport.name}.png` });
        await page.locator('live-player').screenshot({ path: `${SHOTS}/player-bar-error-${viewport.name}.png` });
      }

      routes['/test-audio/wfix.wav'] = WFIX_STREAM;
      await retry.click();
      await expectPlaying(page);
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Pause WFIX 88.3');
      expect(await page.locator('[data-error]').isVisible()).toBe(false);
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      routes['/test-audio/wfix.wav'] = WFIX_STREAM;
    }
  });

  it("tries each of a station's sources before giving up", async () => {
    routes['/test-audio/kfix.wav'] = missingRoute; // and the HLS playlist is gone too
    try {
      const { context, page, errors } = await open('/');
      const failed: string[] = [];
      page.on('response', (r) => r.status() === 404 && failed.push(new URL(r.url()).pathname));
      await page.getByRole('link', { name: 'Play Live Radio', exact: true }).click();
      await expect.poll(() => playerState(page), { timeout: 20_000 }).toBe('error');
      expect(await page.getByRole('status').textContent()).toBe("The KFIX 90.1 stream isn't responding.");
      expect(failed).toEqual(expect.arrayContaining(['/test-audio/kfix.m3u8', '/test-audio/kfix.wav']));
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      routes['/test-audio/kfix.wav'] = KFIX_STREAM;
    }
  });

  it('never hangs silently: a stream that does not answer ends in the error state', async () => {
    const held: import('node:http').ServerResponse[] = [];
    routes['/test-audio/wfix.wav'] = (_req, res) => void held.push(res); // accepts, never answers
    try {
      const { context, page, errors } = await open('/', {}, { clock: true });
      await page.getByRole('combobox', { name: 'Station' }).selectOption('wfix');
      await page.getByRole('button', { name: 'Play WFIX 88.3 live' }).click();
      expect(await playerState(page)).toBe('loading');
      expect(await page.getByRole('status').textContent()).toBe('Connecting to WFIX 88.3…');
      await expect.poll(() => held.length).toBe(1); // the request is out, and held
      // The player gives a silent stream 15 s (STALL_MS in src/client/live-player/player.ts), on the page's clock.
      await page.clock.runFor(14_000);
      expect(await playerState(page)).toBe('loading');
      await page.clock.runFor(1_000);
      await expect.poll(() => playerState(page)).toBe('error');
      expect(await page.locator('[data-error]').textContent()).toBe("The WFIX 88.3 stream isn't responding.");
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      routes['/test-audio/wfix.wav'] = WFIX_STREAM;
      for (const res of held) res.destroy();
    }
  });

  it('is operable from the keyboard', async () => {
    const { context, page, errors } = await open(ARTICLE);
    await page.getByRole('button', { name: 'Play KFIX 90.1 live' }).focus();
    await page.keyboard.press('Enter');
    await expectPlaying(page);
    await page.keyboard.press('Space');
    await expect.poll(() => playerState(page)).toBe('paused');
    expect(await page.getByRole('status').textContent()).toBe('KFIX 90.1 paused');
    expect(await liveAudio(page).evaluate((a: HTMLAudioElement) => a.paused && !a.hasAttribute('src'))).toBe(true); // disconnected, not buffering

    await page.keyboard.press('Tab'); // to the station picker
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Station');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('[data-station-name]').textContent()).toBe('WFIX 88.3');
    expect(await playerState(page)).toBe('idle'); // choosing a station does not start it

    const mute = page.getByRole('button', { name: 'Mute' });
    await mute.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => mute.getAttribute('aria-pressed')).toBe('true');
    expect(await liveAudio(page).evaluate((a: HTMLAudioElement) => a.muted)).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows On Now and Next Up for the clock, and moves on when the program changes', async () => {
    const context = await e2e.browser.newContext({ viewport: { width: 1366, height: 900 }, timezoneId: 'America/Chicago' });
    const page = await context.newPage();
    // Wednesday 2026-11-25, 08:59 in Fixture Falls (CST).
    await page.clock.install({ time: new Date('2026-11-25T14:59:00Z') });
    await page.goto(e2e.servers.fixtures.origin + ARTICLE);
    await expect.poll(() => page.locator('[data-on-now]').textContent()).toBe('Morning Edition');
    expect(await page.locator('[data-next-up-bar]').textContent()).toBe('Fixture Midday · 9:00 AM');
    expect(await page.locator('header [data-next-up-program]').textContent()).toBe('Fixture Midday · 9:00 AM');

    await page.clock.runFor(2 * 60_000);
    await expect.poll(() => page.locator('[data-on-now]').textContent()).toBe('Fixture Midday with Pat Example');
    expect(await page.locator('[data-next-up-bar]').textContent()).toBe('All Things Considered · 4:00 PM');
    expect(await page.locator('header [data-next-up-program]').textContent()).toBe('All Things Considered · 4:00 PM');
    await context.close();
  });

  it('without JavaScript, still offers the stream in a native player', async () => {
    const { context, page } = await open(ARTICLE, { javaScriptEnabled: false });
    const audio = page.locator('#live-player audio[controls]');
    expect(await audio.isVisible()).toBe(true);
    expect(await audio.locator('source').evaluateAll((s) => s.map((e) => e.getAttribute('src')))).toEqual([
      '/test-audio/kfix.m3u8',
      '/test-audio/kfix.wav',
    ]);
    // The enhanced controls need JS, so they are not shown.
    expect(await page.locator('live-player button[data-action="toggle"]').isVisible()).toBe(false);
    await page.getByRole('link', { name: 'Play Live Radio', exact: true }).click();
    expect(new URL(page.url()).hash).toBe('#live-player');
    expect(await audio.isVisible()).toBe(true);
    await page.locator('live-player').screenshot({ path: `${SHOTS}/player-bar-no-js-desktop.png` });
    await context.close();
  });
});

describe('an audio story', () => {
  it('has its own player and transcript, and never plays over the live stream', async () => {
    const { context, page, errors } = await open(AUDIO_STORY);
    const story = page.locator('audio[data-story-audio]');
    expect(await story.isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'Transcript' }).isVisible()).toBe(true);

    await page.getByRole('link', { name: 'Play Live Radio', exact: true }).click();
    await expectPlaying(page);

    // Starting the story stops the live stream...
    await story.evaluate((a: HTMLAudioElement) => a.play());
    await expect.poll(() => story.evaluate((a: HTMLAudioElement) => a.currentTime)).toBeGreaterThan(0.2);
    await expect.poll(() => playerState(page)).toBe('paused');
    expect(await liveAudio(page).evaluate((a: HTMLAudioElement) => a.paused)).toBe(true);

    // ...and starting live radio stops the story.
    await page.getByRole('button', { name: 'Play KFIX 90.1 live' }).click();
    await expectPlaying(page);
    expect(await story.evaluate((a: HTMLAudioElement) => a.paused)).toBe(true);

    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${SHOTS}/audio-story-phone.png`, fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});
