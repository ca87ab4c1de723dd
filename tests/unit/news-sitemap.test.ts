import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { NEWS_WINDOW_MS, newsLanguage, newsSitemapStories, newsSitemapXml, type NewsSitemapStory } from '../../src/outputs/news-sitemap';
import { assertWellFormedXml } from '../helpers/xml';

const NOW = new Date('2026-06-15T12:00:00Z');
const at = (ms: number, over: Partial<NewsSitemapStory> = {}): NewsSitemapStory => {
  const publishedAt = new Date(NOW.getTime() + ms);
  return {
    url: `https://x.org/${ms}/`,
    title: `t${ms}`,
    publishedAt,
    published: publishedAt.toISOString(),
    isSelfCanonical: true,
    ...over,
  };
};

describe('newsSitemapStories', () => {
  it('keeps the 48 hours up to and including now, newest first', () => {
    const picked = newsSitemapStories([at(-NEWS_WINDOW_MS - 1), at(-NEWS_WINDOW_MS), at(-1000), at(0), at(1)], NOW);
    expect(picked.map((s) => s.url)).toEqual(['https://x.org/0/', 'https://x.org/-1000/', `https://x.org/${-NEWS_WINDOW_MS}/`]);
  });

  it('moves with the build time', () => {
    const stories = [at(-3 * 3600e3), at(-47 * 3600e3)];
    expect(newsSitemapStories(stories, NOW)).toHaveLength(2);
    expect(newsSitemapStories(stories, new Date(NOW.getTime() + 2 * 3600e3))).toHaveLength(1);
    expect(newsSitemapStories(stories, new Date(NOW.getTime() - 4 * 3600e3))).toHaveLength(1);
  });

  it('stops at 1,000 URLs, keeping the newest', () => {
    const stories = Array.from({ length: 1200 }, (_, i) => at(-i * 60_000));
    const picked = newsSitemapStories(stories, NOW);
    expect(picked).toHaveLength(1000);
    expect(picked.at(-1)!.url).toBe(`https://x.org/${-999 * 60_000}/`);
  });

  it('leaves out stories that are canonical elsewhere', () => {
    expect(newsSitemapStories([at(-1000, { isSelfCanonical: false })], NOW)).toEqual([]);
  });
});

describe('newsLanguage', () => {
  it('maps BCP 47 tags to the codes Google News takes', () => {
    expect(newsLanguage('en-US')).toBe('en');
    expect(newsLanguage('es')).toBe('es');
    expect(newsLanguage('zh-Hant-TW')).toBe('zh-tw');
    expect(newsLanguage('zh-CN')).toBe('zh-cn');
    expect(newsLanguage('zh-Hans')).toBe('zh-cn');
  });
});

describe('newsSitemapXml', () => {
  it('writes well-formed XML with escaped titles and the news fields', () => {
    const xml = newsSitemapXml([at(0, { title: 'Rates & "</news:title>" <b>', published: '2026-06-15T07:00:00-05:00' })], {
      name: 'Prairie & Peaks',
      language: 'en-US',
    });
    assertWellFormedXml(xml);
    const url = new XMLParser({ processEntities: true }).parse(xml).urlset.url;
    expect(url).toEqual({
      loc: 'https://x.org/0/',
      'news:news': {
        'news:publication': { 'news:name': 'Prairie & Peaks', 'news:language': 'en' },
        'news:publication_date': '2026-06-15T07:00:00-05:00',
        'news:title': 'Rates & "</news:title>" <b>',
      },
    });
  });
});
