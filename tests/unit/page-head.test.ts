import { describe, expect, it } from 'vitest';
import { readHeadFacts } from '../../src/outputs/page-head';

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
});
