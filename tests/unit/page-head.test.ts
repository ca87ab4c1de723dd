import { describe, expect, it } from 'vitest';
import { readHeadFacts } from '../../src/outputs/page-head';
import { readPageFacts } from '../../src/integrations/host-files/page-facts';
import { scanHtml, plainScan } from '../../src/integrations/host-files/scan';

describe('readHeadFacts', () => {
  it('reads canonical, modified time and robots in any attribute order', () => {
    const html =
      '<html><head><link rel="canonical" href="https://x.org/a/?q=1&amp;b=2">' +
      '<meta content="2026-11-20T09:30:00-06:00" property="article:modified_time">' +
      '<meta name="robots" content="noindex, follow"></head><body><meta property="article:modified_time" content="late"></body></html>';
    expect(readHeadFacts(html)).toEqual({ canonical: 'https://x.org/a/?q=1&b=2', modified: '2026-11-20T09:30:00-06:00', noindex: true });
  });

  it('reads tags as a browser does: not from comments or scripts, and rel as a token list', () => {
    const html =
      '<html><head><!-- <link rel="canonical" href="https://x.org/old/"> --><script>"<meta name=robots content=noindex>"</script>' +
      '<link rel="Canonical alternate" href="https://x.org/new/"></head><body></body></html>';
    expect(readHeadFacts(html)).toEqual({ canonical: 'https://x.org/new/', noindex: false });
  });

  it('is empty for a page without them', () => {
    expect(readHeadFacts('<html><head><title>x</title></head></html>')).toEqual({ noindex: false });
  });

  it('reads the same facts from the whole page as the page scan parses it (one parse for the sitemap and _headers)', () => {
    const pages = [
      '<!doctype html><html><head><link rel="canonical" href="https://x.org/a/"><meta property="article:modified_time" content="2026-01-02T03:04:05Z">' +
        '<style>a{}</style></head><body><p style="color:red">x</p><link rel="canonical" href="https://x.org/late/"></body></html>',
      '<!doctype html><html><head><template><meta name="robots" content="noindex"></template><title>t</title></head><body></body></html>',
      '<!doctype html><html><head><noscript><meta name="robots" content="noindex"></noscript></head><body><img src="https://img.example.org/a.jpg"></body></html>',
      '<html><head><meta name="ROBOTS" content="NOINDEX"></head></html>',
      '<p>no head at all</p><link rel="canonical" href="https://x.org/body/">',
    ];
    for (const html of pages) {
      const facts = readPageFacts(html);
      expect(facts.head, html).toEqual(readHeadFacts(html));
      expect(plainScan(facts.scan), html).toEqual(plainScan(scanHtml(html)));
    }
  });
});

