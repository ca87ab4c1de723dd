import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { builtSites, useBrowser } from '../helpers/browser';
import { PAGE_TYPES, VIEWPORTS, waitForSearchResults } from '../helpers/page-types';
import type { SiteName } from '../helpers/sites';

const e2e = useBrowser(builtSites<SiteName>(['fixtures', 'demo']));

async function open(site: SiteName, path: string, viewport: { width: number; height: number } = VIEWPORTS[1]) {
  const context = await e2e.browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
  const page = await context.newPage();
  await page.goto(e2e.servers[site].origin + path);
  return { context, page };
}

/** What the test needs to know about the focused element, in page coordinates. */
interface FocusStop {
  label: string;
  /** Position in document order among all elements, to compare with tab order. */
  domIndex: number;
  top: number;
  bottom: number;
  left: number;
  right: number;
  indicator: string | null;
  /** Inside a `position: fixed` region (the docked player bar), which has no place in the page's flow. */
  docked: boolean;
}

/**
 * Where focus is, measured in the page at the keyup of every Tab (after the keydown moved focus,
 * the moment a separate evaluate after the press used to see): one stop per press, `null` when
 * focus is on no element. Installed once per page, so a run of presses needs no round trip each.
 */
function recordFocusStops() {
  // Installed already (a walk at another width): start a new list.
  const installed = (window as unknown as { focusStops?: unknown[] }).focusStops;
  if (installed) return void (installed.length = 0);
  const record = () => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const outline =
      style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 ? `outline ${style.outlineWidth} ${style.outlineStyle}` : null;
    const shadow = style.boxShadow !== 'none' ? `box-shadow ${style.boxShadow}` : null;
    // Where the element sits in the laid-out page, undoing any scrolling (the phone's
    // sideways-scrolling section list scrolls as focus moves along it).
    const r = el.getBoundingClientRect();
    let scrollX = 0;
    let scrollY = 0;
    for (let a = el.parentElement; a; a = a.parentElement) {
      scrollX += a.scrollLeft;
      scrollY += a.scrollTop;
    }
    let docked = false;
    for (let a: Element | null = el; a; a = a.parentElement) if (getComputedStyle(a).position === 'fixed') docked = true;
    const text = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return {
      label: `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}> ${text}`,
      domIndex: [...document.querySelectorAll('*')].indexOf(el),
      top: r.top + scrollY,
      bottom: r.bottom + scrollY,
      left: r.left + scrollX,
      right: r.right + scrollX,
      indicator: outline ?? shadow,
      docked,
    };
  };
  const stops: (ReturnType<typeof record> | null)[] = [];
  Object.assign(window, { focusStops: stops, focusStopNow: record });
  addEventListener('keyup', (e) => e.key === 'Tab' && stops.push(record()), true);
}

/** The stops recorded so far, then where focus is now: focus that left the page for the browser's
 * own UI sent it no keyup, and Tab inside native media controls sends none either. */
const recordedStops = () => {
  const w = window as unknown as { focusStops: (FocusStop | null)[]; focusStopNow: () => FocusStop | null };
  return [...w.focusStops, w.focusStopNow()];
};

/** Tab presses between two readings of the stops recorded so far: a page has up to ~90 stops. */
const PRESSES_PER_READ = 15;

/** Presses Tab until focus leaves the page or comes back round, collecting each stop. Every stop
 * is a real key press; the page records it (recordFocusStops), read back every PRESSES_PER_READ
 * presses. Presses past the end change nothing: the list is cut where the walk ends. (On all 42
 * pages and widths this gave the same stops, field for field, as an evaluate after each press.) */
async function tabThrough(page: Page): Promise<FocusStop[]> {
  await page.evaluate(recordFocusStops);
  let stops: FocusStop[] = [];
  for (let pressed = 0; pressed < 300; ) {
    for (let i = 0; i < PRESSES_PER_READ; i++, pressed++) await page.keyboard.press('Tab');
    const result = walk(await page.evaluate(recordedStops));
    stops = result.stops;
    if (result.ended) break;
  }
  return stops;
}

/** The stops of a run of presses, up to focus leaving the page or coming back round. */
function walk(recorded: (FocusStop | null)[]): { stops: FocusStop[]; ended: boolean } {
  const stops: FocusStop[] = [];
  for (const stop of recorded) {
    if (!stop) return { stops, ended: true };
    const previous = stops.at(-1);
    // Native media controls take several Tab presses inside one element.
    if (previous && previous.domIndex === stop.domIndex) continue;
    if (stops.some((s) => s.domIndex === stop.domIndex)) return { stops, ended: true };
    stops.push(stop);
  }
  return { stops, ended: false };
}

/** Reading order, left to right then down, with newspaper columns: moving up is fine only into a
 * column to the right; moving left is fine only onto a lower line. */
function outOfReadingOrder(stops: FocusStop[]): string[] {
  const TOLERANCE = 4;
  const problems: string[] = [];
  // The docked player bar sits over the page wherever it is scrolled, so it is read last, and
  // positions are compared only within the page's flow.
  const firstDocked = stops.findIndex((s) => s.docked);
  if (firstDocked >= 0 && stops.slice(firstDocked).some((s) => !s.docked)) {
    problems.push(`${stops[firstDocked]!.label} in the docked player is focused before the end of the page`);
  }
  for (let i = 1; i < stops.length; i++) {
    const a = stops[i - 1]!;
    const b = stops[i]!;
    if (a.docked || b.docked) continue;
    if (b.domIndex < a.domIndex) problems.push(`${b.label} comes before ${a.label} in the document but after it in tab order`);
    const sameLine = b.top < a.bottom - TOLERANCE && b.bottom > a.top + TOLERANCE;
    const above = b.bottom <= a.top + TOLERANCE;
    const newColumnToTheRight = b.left >= a.right - TOLERANCE;
    if (above && !newColumnToTheRight) problems.push(`${b.label} is above and left of ${a.label}, but focused after it`);
    if (sameLine && b.right <= a.left + TOLERANCE) problems.push(`${b.label} is left of ${a.label} on the same line, but focused after it`);
  }
  return problems;
}

/** Puts focus back where a reader tabbing into the page starts (before the skip link), with nothing
 * scrolled, as on a fresh load: for the next width's walk on the same load. */
async function startAtTheTop(page: Page) {
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    for (const el of document.querySelectorAll('*')) el.scrollTo(0, 0);
    scrollTo(0, 0);
    document.body.tabIndex = -1;
    document.body.focus();
    document.body.removeAttribute('tabindex');
  });
}

// One load per page, walked at each width: the site's only response to the width is CSS (no script
// reads it), so the walk after resizing meets the layout a load at that width has. Two pages at a time
// (the site project's maxConcurrency), each in its own browser context: much of a walk is waiting.
describe.concurrent('keyboard focus', () => {
  it.each(PAGE_TYPES)(
    `is always visible and follows reading order: $name on a ${VIEWPORTS.map((v) => v.name).join(' and ')}`,
    async ({ site, path, prepare }) => {
      const { context, page } = await open(site, path, VIEWPORTS[0]);
      try {
        await prepare?.(page);
        for (const [i, viewport] of VIEWPORTS.entries()) {
          await page.setViewportSize({ width: viewport.width, height: viewport.height });
          expect(await page.evaluate(() => innerWidth)).toBe(viewport.width);
          if (i > 0) await startAtTheTop(page);
          const stops = await tabThrough(page);
          const on = `on a ${viewport.name}`;
          expect(stops.length, on).toBeGreaterThan(8);
          expect(stops[0]!.label, on).toContain('Skip to main content');
          expect(
            stops.filter((s) => !s.indicator).map((s) => s.label),
            `stops without a focus indicator ${on}`,
          ).toEqual([]);
          expect(outOfReadingOrder(stops), on).toEqual([]);
        }
      } finally {
        await context.close();
      }
    },
  );
});

describe('the skip link', () => {
  it.each(['/', '/news/2026/11/20/local-story-with-photo/', '/search/'])(
    'on %s is the first stop, shows itself, and skips the chrome',
    async (path) => {
      const { context, page } = await open('fixtures', path);
      try {
        await page.keyboard.press('Tab');
        const skip = page.getByRole('link', { name: 'Skip to main content' });
        expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
        const box = (await skip.boundingBox())!;
        expect(box.y).toBeGreaterThanOrEqual(0);
        expect(box.height).toBeGreaterThan(10);

        await page.keyboard.press('Enter');
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
        // The next stop is inside the main content, past the header, navigation and search box.
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => document.activeElement?.closest('main') !== null)).toBe(true);
      } finally {
        await context.close();
      }
    },
  );
});

describe('search with the keyboard alone', () => {
  it('goes from the header box to results, narrows them by station and opens a story', async () => {
    const { context, page } = await open('fixtures', '/news/2026/11/21/wire-story/');
    try {
      // Tab to the header's search box, the way a keyboard user reaches it.
      let reached = false;
      for (let i = 0; i < 40 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = await page.evaluate(() => document.activeElement?.id === 'header-search-q');
      }
      expect(reached).toBe(true);
      await page.keyboard.type('story');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/search\/\?q=story$/);
      await waitForSearchResults(page);
      const everywhere = await page.locator('[data-search-results] li').count();

      // Into the page's own form: the query box, its button, then the station filter.
      await page.locator('#search-q').focus();
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Search');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('search-station');
      await page.keyboard.press('ArrowDown'); // the first station
      const station = await page.locator('#search-station').inputValue();
      expect(station).not.toBe('');
      await expect.poll(() => page.evaluate(() => new URL(location.href).searchParams.get('station'))).toBe(station);
      await expect
        .poll(async () => [...new Set(await page.locator('[data-search-results] .station').allTextContents())])
        .toEqual([station]);
      expect(await page.locator('[data-search-results] li').count()).toBeLessThan(everywhere);

      // On past the other filters to the first result, and open it.
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      const href = await page.evaluate(() => document.activeElement?.getAttribute('href'));
      expect(href).toMatch(/^\/news\//);
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.pathname === href);
      expect(await page.locator('h1').count()).toBe(1);
    } finally {
      await context.close();
    }
  });

  it('"Show more results" moves focus to the first new result', async () => {
    const { context, page } = await open('demo', '/search/?q=the');
    try {
      await waitForSearchResults(page);
      expect(await page.locator('[data-search-results] li').count()).toBe(10);
      const more = page.getByRole('button', { name: 'Show more results' });
      await more.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('[data-search-results] li').count()).toBeGreaterThan(10);
      expect(
        await page.evaluate(() => document.activeElement?.closest('li') === document.querySelectorAll('[data-search-results] li')[10]),
      ).toBe(true);
    } finally {
      await context.close();
    }
  });
});
