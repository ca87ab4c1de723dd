import { describe, expect, it } from 'vitest';
import { cdnUrl } from '../../src/images/cdn';
import { absolutizeHtml } from '../../src/outputs/absolute-urls';
import { formatSrcset, parseSrcset } from '../../src/lib/srcset';

describe('parseSrcset', () => {
  it('reads width and density descriptors', () => {
    expect(parseSrcset('/a.webp 480w, /b.webp 800w')).toEqual([
      { url: '/a.webp', width: 480 },
      { url: '/b.webp', width: 800 },
    ]);
    expect(parseSrcset('a.png, b.png 2x')).toEqual([{ url: 'a.png' }, { url: 'b.png', density: 2 }]);
  });

  it('keeps commas inside a URL, as browsers do (Cloudflare resize URLs)', () => {
    const a = cdnUrl('cloudflare', { path: '/_astro/p.jpg', width: 480 });
    const b = cdnUrl('cloudflare', { path: '/_astro/p.jpg', width: 800 });
    expect(a).toBe('/cdn-cgi/image/width=480,fit=scale-down,quality=80,format=auto/_astro/p.jpg');
    expect(parseSrcset(`${a} 480w, ${b} 800w`)).toEqual([
      { url: a, width: 480 },
      { url: b, width: 800 },
    ]);
    expect(formatSrcset(parseSrcset(`${a} 480w,${b} 800w`))).toBe(`${a} 480w, ${b} 800w`);
  });

  it('lets feeds make CDN srcsets absolute without breaking them', () => {
    const a = cdnUrl('cloudflare', { path: '/_astro/p.jpg', width: 480 });
    expect(absolutizeHtml(`<img srcset="${a} 480w">`, 'https://news.example.org/')).toBe(
      `<img srcset="https://news.example.org${a} 480w">`,
    );
  });
});

describe('cdnUrl', () => {
  it('writes Netlify Image CDN URLs with the path readable and crops exact', () => {
    expect(cdnUrl('netlify', { path: '/_astro/p.jpg', width: 800 })).toBe('/.netlify/images?url=/_astro/p.jpg&w=800&q=80');
    expect(cdnUrl('netlify', { path: '/_astro/p.jpg', width: 1200, height: 630, crop: true, format: 'jpeg' })).toBe(
      '/.netlify/images?url=/_astro/p.jpg&w=1200&h=630&fit=cover&q=80&fm=jpg',
    );
  });

  it('refuses a source that is not a root-relative path', () => {
    expect(() => cdnUrl('cloudflare', { path: 'https://elsewhere.example/p.jpg' })).toThrow(/root-relative/);
    expect(() => cdnUrl('netlify', { path: '//elsewhere.example/p.jpg' })).toThrow(/root-relative/);
  });
});
