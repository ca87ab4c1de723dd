import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toMarkdown } from '../../src/import/html-to-markdown';
import { PageError, readPage, splitByline } from '../../src/import/page';
import { siteConfig } from '../../src/site.config';
import { ROOT } from '../helpers/sites';

const PAGES = join(ROOT, 'tests/fixtures/import/pages');
const read = (name: string, url?: string) =>
  readPage(readFileSync(join(PAGES, name), 'utf8').replaceAll('{{MEDIA}}', 'https://media.example.org'), {
    url,
    localBase: pathToFileURL(`${PAGES}/`).href,
    embedHosts: siteConfig.embedHosts,
    timeZone: 'America/Chicago',
  });
const markdown = (p: ReturnType<typeof read>) => toMarkdown(p.body.tree, (src) => src.split('/').pop());

describe('a public-radio page (JSON-LD, og:, article:, dateline, wire line, bio)', () => {
  const page = read('npr-astana.html');

  it('reads the metadata from JSON-LD first', () => {
    expect(page.title).toBe('Kazakhstan’s Capital Braces For A Record Winter');
    expect(page.dek).toBe('Temperatures in Astana fell to minus 40 this week. The city runs on coal heat, and the plants are straining.');
    expect(page.byline).toEqual(['Lucy Ash', 'Ada Reporter']);
    expect(page.date?.toISOString()).toBe('2020-01-14T10:00:00.000Z');
    expect(page.updated?.toISOString()).toBe('2020-01-14T14:12:00.000Z');
    expect(page.tags).toEqual(['World', 'Kazakhstan', 'Energy']);
    expect(page.leadPhoto).toEqual({
      src: 'https://media.example.org/astana-lead.jpg',
      alt: 'People in heavy coats cross a snowy square in front of glass towers.',
      caption: "Commuters cross Astana's central square on Monday.",
      credit: 'Lucy Ash/NPR',
    });
    expect(page.canonical).toBe('https://www.npr.org/2020/01/14/795551234/kazakhstans-capital-braces-for-a-record-winter');
  });

  it('turns the dateline, the wire line and the bio line into fields, out of the body', () => {
    expect(page.dateline).toBe('ASTANA, Kazakhstan');
    expect(page.copyright).toBe('Copyright 2020 NPR');
    expect(page.source).toEqual({ name: 'NPR', url: 'https://www.npr.org' });
    expect(page.bio).toEqual({
      name: 'Lucy Ash',
      text: "Lucy Ash is NPR's correspondent in Central Asia, based in Almaty. She has reported from the region since 2015.",
    });
    const md = markdown(page);
    expect(md.startsWith('The thermometer outside the city’s main train station read minus 40')).toBe(true);
    expect(md).not.toMatch(/ASTANA|Copyright 2020|To see more|correspondent in Central Asia/);
    // The lead photo is the frontmatter's image, not shown again in the body.
    expect(md).not.toContain('astana-lead.jpg');
    expect(md).toContain('## A city built for the cold');
  });

  it('leaves out the page around the article, and never runs its scripts', () => {
    const md = markdown(page);
    expect(md).not.toMatch(/Donate|Facebook|Sign up|SCRIPT-MARKER|© 2020 npr|By Lucy Ash/);
    expect(page.body.dropped).toMatchObject({ script: 1, style: 1, form: 1, 'tracking pixel': 1 });
  });
});

describe('a Drupal page with only og: meta and <time>', () => {
  const page = read('drupal-bridge.html');

  it('falls back to og:, the author meta and <time>', () => {
    expect(page.title).toBe('Old mill bridge gets a second life');
    expect(page.byline).toEqual(['Sam Field']);
    expect(page.date?.toISOString()).toBe('2019-08-30T16:20:00.000Z');
    expect(page.dateline).toBeUndefined();
    expect(page.copyright).toBeUndefined();
    expect(page.leadPhoto).toBeUndefined();
  });

  it('keeps the story, saved photos and allowed embeds; the byline line and share links go', () => {
    const md = markdown(page);
    expect(md).toBe(
      [
        'For most of a century, the iron truss bridge over Mill Creek carried wagons, then tractors, then nobody at all. It was closed in 1988 and left to rust.',
        '![A green iron truss bridge over a shallow creek](./bridge.jpg)',
        '## Three summers of work',
        'A group of retired machinists and high-school students took it apart bolt by bolt in 2017, sand-blasted each piece, and put it back together. The county paid for the paint.',
        "### What's next",
        'The bridge reopens to walkers and cyclists on Saturday. A ribbon cutting is planned at noon.',
        '<iframe src="https://player.vimeo.com/video/76979871" title="Vimeo video" width="640" height="360"></iframe>',
      ].join('\n\n') + '\n',
    );
    expect(page.body.images[0]!.src).toBe(pathToFileURL(join(PAGES, 'drupal-story_files/bridge.jpg')).href);
    expect(page.body.dropped).toMatchObject({ script: 1, 'iframe outside the article': 1 });
  });
});

it('refuses a page with no article in it', () => {
  expect(() => readPage('<html><body><div>\u0001 nothing</div></body></html>', { embedHosts: [], timeZone: 'UTC' })).toThrow(PageError);
});

it('splits bylines', () => {
  expect(splitByline('By Jane Doe and John Roe')).toEqual(['Jane Doe', 'John Roe']);
  expect(splitByline('BY A. One, B. Two, and C. Three')).toEqual(['A. One', 'B. Two', 'C. Three']);
  expect(splitByline('Ana & Bo')).toEqual(['Ana', 'Bo']);
  expect(splitByline('https://www.facebook.com/someone')).toEqual([]);
});
