import { describe, expect, it } from 'vitest';
import { absolutizeHtml } from '../../src/outputs/absolute-urls';

describe('absolutizeHtml', () => {
  it('makes root-relative URLs absolute and leaves the rest', () => {
    const html =
      '<p><a href="/stations/kfix/">s</a> <a href="https://x.org/">x</a> <a href="//cdn.example/a">c</a> <a href="#top">t</a></p>' +
      '<img src="/_astro/a.webp" srcset="/_astro/a-400.webp 400w, /_astro/a-800.webp 800w" alt="/not/a/url">';
    expect(absolutizeHtml(html, 'https://news.example.org/')).toBe(
      '<p><a href="https://news.example.org/stations/kfix/">s</a> <a href="https://x.org/">x</a> <a href="//cdn.example/a">c</a> <a href="#top">t</a></p>' +
        '<img src="https://news.example.org/_astro/a.webp" srcset="https://news.example.org/_astro/a-400.webp 400w, https://news.example.org/_astro/a-800.webp 800w" alt="/not/a/url">',
    );
  });

  it('rewrites attributes only, as a browser parses them, leaving every other byte as written', () => {
    const html =
      '<p>Write <code>&lt;a href="/x"&gt;</code> or href="/y"</p><a title=\'a\' href=/unquoted?a=1&amp;b=2>u</a>' +
      '<!-- <img src="/in-a-comment.png"> --><svg><a xlink:href="/chart/">c</a></svg>';
    expect(absolutizeHtml(html, 'https://news.example.org')).toBe(
      '<p>Write <code>&lt;a href="/x"&gt;</code> or href="/y"</p><a title=\'a\' href="https://news.example.org/unquoted?a=1&amp;b=2">u</a>' +
        '<!-- <img src="/in-a-comment.png"> --><svg><a xlink:href="https://news.example.org/chart/">c</a></svg>',
    );
  });
});
