import { parse } from 'parse5';
import { describe, expect, it } from 'vitest';
import { escapeXml } from '../../src/lib/escape';
import { redirectFile, redirectPage } from '../../src/outputs/redirect-page';

describe('alias redirect pages', () => {
  it('sit at the old path exactly, as a directory index or a file', () => {
    expect(redirectFile('/news/2019/05/old-slug/')).toBe('news/2019/05/old-slug/index.html');
    expect(redirectFile('/2019/05/story.html')).toBe('2019/05/story.html');
  });

  it('are never written for an alias outside the grammar', () => {
    for (const alias of ['//stations/kxpr/', '/a/../../x/', '/x#y', '/*'])
      expect(() => redirectFile(alias), alias).toThrow('redirect page: the alias');
  });

  it('send readers on, tell search engines the canonical page, and escape the title', () => {
    const html = redirectPage({
      to: '/news/2026/11/20/x/',
      title: 'A "quoted" <b>story</b> & more',
      site: 'https://news.example.org',
      lang: 'en-US',
    });
    expect(html).toContain('<meta http-equiv="refresh" content="0; url=/news/2026/11/20/x/">');
    expect(html).toContain('<link rel="canonical" href="https://news.example.org/news/2026/11/20/x/">');
    expect(html).toContain('<meta name="robots" content="noindex">');
    expect(html).toContain('<a href="/news/2026/11/20/x/">A &quot;quoted&quot; &lt;b&gt;story&lt;/b&gt; &amp; more</a>');
    expect(html).not.toContain('<b>');
  });

  it('escape as every other output does: an apostrophe stays itself, and a browser reads the title back whole', () => {
    const title = `It's "Bob's" <cafe> & bar`;
    const html = redirectPage({ to: "/news/it's/", title, site: 'https://news.example.org', lang: 'en-US' });
    expect(html).toContain(`<title>Moved: ${escapeXml(title)}</title>`);
    expect(html).not.toContain('&#39;');
    const texts: string[] = [];
    const walk = (n: { nodeName: string; value?: string; childNodes?: unknown[] }) => {
      if (n.nodeName === '#text') texts.push(n.value!);
      for (const c of n.childNodes ?? []) walk(c as typeof n);
    };
    walk(parse(html) as unknown as Parameters<typeof walk>[0]);
    expect(texts).toContain(`Moved: ${title}`);
    expect(texts).toContain(title);
  });
});
