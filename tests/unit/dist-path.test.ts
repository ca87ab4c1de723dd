import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUrlPath, distFileOf, urlPathOf } from '../../src/lib/dist-path';

describe('URL path ⇄ file in dist/', () => {
  it.each([
    ['/', 'index.html'],
    ['/news/2026/11/20/a-story/', 'news/2026/11/20/a-story/index.html'],
    ['/rss.xml', 'rss.xml'],
    ['/2019/05/story.html', '2019/05/story.html'],
    ['/_astro/app.Ab12.js', '_astro/app.Ab12.js'],
  ])('serves %s from %s, and back', (path, file) => {
    expect(distFileOf(path)).toBe(file);
    expect(urlPathOf(file)).toBe(path);
  });

  it('reads a path without its leading slashes, and leaves escapes as written', () => {
    expect(distFileOf('')).toBe('index.html');
    expect(distFileOf('news/x/')).toBe('news/x/index.html');
    expect(distFileOf('//news/x/')).toBe('news/x/index.html');
    expect(distFileOf('/news/caf%C3%A9/')).toBe('news/caf%C3%A9/index.html');
  });

  it('round-trips every file name', () => {
    const segment = fc.stringMatching(/^[a-z0-9._-]{1,12}$/).filter((s) => s !== '.' && s !== '..');
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (parts) => {
        const file = parts.join('/');
        expect(distFileOf(urlPathOf(file))).toBe(file);
      }),
    );
  });

  it('decodes %-escapes as a host does, and refuses a broken one', () => {
    expect(decodeUrlPath('/news/caf%C3%A9/')).toBe('/news/café/');
    expect(decodeUrlPath('/news/100%/')).toBeUndefined();
  });
});
