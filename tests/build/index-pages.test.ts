import { describe, expect, it } from 'vitest';
import { hasPage, loadPage } from '../helpers/dist';
import { SITES } from '../helpers/sites';
import { all, attr, one, text, the } from '../helpers/html';

const dist = SITES.fixtures.outDir;
const headlines = (path: string) => {
  const $ = loadPage(dist, path);
  return all($, 'main .headline a').map((a) => attr(a, 'href'));
};

describe('index pages', () => {
  it('home leads with the newest story, then the latest', () => {
    const $ = loadPage(dist, '/');
    expect(attr(one($, '.lead .headline a'), 'href')).toBe('/news/2026/11/24/markup-characters-in-headline/');
    expect(headlines('/')).toEqual([
      '/news/2026/11/24/markup-characters-in-headline/',
      '/news/2026/11/23/syndicated-with-original-link/',
      '/news/2026/11/23/just-outside-news-window/',
      '/news/2026/11/21/wire-story/',
      '/news/2026/11/20/local-story-with-photo/',
      '/news/2026/11/19/multi-author/',
      '/news/2026/11/18/updated-with-correction/',
      '/news/2026/11/17/audio-story-with-transcript/',
      '/news/2026/10/02/slug-from-frontmatter/',
      '/news/2026/07/10/moved-story-with-aliases/',
      '/news/2026/07/04/naive-time-uses-station-zone/',
      '/news/2026/03/01/late-evening-local-time/',
    ]);
    expect(all($, 'h1').length).toBe(1);
  });

  it('station pages list their own stories and wear their own chrome', () => {
    const $ = loadPage(dist, '/stations/wfix/');
    expect(text(all($, '.station-header .name'))).toBe('WFIX 88.3');
    expect(headlines('/stations/wfix/')).toEqual([
      '/news/2026/11/21/wire-story/',
      '/news/2026/11/18/updated-with-correction/',
      '/news/2026/07/04/naive-time-uses-station-zone/',
    ]);
  });

  it('schedule pages list every day, with programs crossing midnight shown', () => {
    const $ = loadPage(dist, '/stations/kfix/schedule/');
    expect(all($, '.schedule h2').map((h) => text(h))).toEqual([
      'Monday',
      'Tuesday',
      'Wednesday',
      'Thursday',
      'Friday',
      'Saturday',
      'Sunday',
    ]);
    expect(text(the($, ':has(> #day-mon)'))).toContain('Morning Edition');
    expect(text(the($, ':has(> #day-sat)'))).not.toContain('Morning Edition');
  });

  it('author pages show the bio and the stories', () => {
    const $ = loadPage(dist, '/authors/ben-editor/');
    expect(text(all($, 'h1'))).toBe('Ben Editor');
    expect(text(all($, '.intro'))).toBe('Ben Editor leads the WFIX newsroom.');
    expect(headlines('/authors/ben-editor/')).toEqual([
      '/news/2026/11/19/multi-author/',
      '/news/2026/11/18/updated-with-correction/',
      '/news/2026/07/04/naive-time-uses-station-zone/',
    ]);
  });

  it('author photos show on the author page and in story bios', () => {
    const page = loadPage(dist, '/authors/ada-reporter/');
    expect(attr(one(page, 'img.portrait'), 'alt')).toBe('Portrait of Ada Reporter');
    expect(attr(one(page, 'picture:has(img.portrait) source[type="image/avif"]'), 'srcset')).toMatch(/ada-reporter\..+\.avif 160w/);
    const story = loadPage(dist, '/news/2026/11/20/local-story-with-photo/');
    expect(attr(one(story, '.author-bio img.photo'), 'width')).toBe('72');
    expect(all(loadPage(dist, '/authors/ben-editor/'), 'img.portrait').length).toBe(0);
  });

  it('topic pages and the topic list', () => {
    expect(headlines('/topics/local-government/')).toEqual([
      '/news/2026/11/20/local-story-with-photo/',
      '/news/2026/11/19/multi-author/',
      '/news/2026/03/01/late-evening-local-time/',
    ]);
    const $ = loadPage(dist, '/topics/');
    expect(all($, 'main li a').map((a) => text(a))).toEqual(['Education', 'Local Government', 'Politics', 'Water']);
  });

  it('the archive has a page per month, dated in the station time zone', () => {
    const $ = loadPage(dist, '/archive/');
    expect(all($, 'main li a').map((a) => attr(a, 'href'))).toEqual([
      '/archive/2026/11/',
      '/archive/2026/10/',
      '/archive/2026/07/',
      '/archive/2026/03/',
    ]);
    expect(headlines('/archive/2026/03/')).toEqual(['/news/2026/03/01/late-evening-local-time/']);
  });

  it('has a 404 page and listing pages for stations and authors', () => {
    expect(hasPage(dist, '/404.html')).toBe(true);
    expect(attr(one(loadPage(dist, '/404.html'), 'meta[name="robots"]'), 'content')).toBe('noindex');
    expect(hasPage(dist, '/stations/')).toBe(true);
    expect(hasPage(dist, '/authors/')).toBe(true);
  });
});
