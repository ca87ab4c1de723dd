import { describe, expect, it } from 'vitest';
import { belowThreshold, pickPages } from '../../scripts/lighthouse';
import { SITES } from '../helpers/sites';

describe('the Lighthouse run', () => {
  it('audits the home page, the newest story with a lead photo and the topic with the most stories', () => {
    // Water has four published fixture stories, Local Government three, the others fewer.
    expect(pickPages(SITES.fixtures.outDir)).toEqual(['/', '/news/2026/11/20/local-story-with-photo/', '/topics/water/']);
  });

  it('fails a page below any threshold, and only then', () => {
    const perfect = { performance: 1, accessibility: 1, 'best-practices': 1, seo: 1 };
    expect(belowThreshold(perfect)).toEqual([]);
    expect(belowThreshold({ ...perfect, performance: 0.95 })).toEqual([]);
    expect(belowThreshold({ ...perfect, performance: 0.94, seo: 0.92 })).toEqual(['performance 0.94 < 0.95', 'seo 0.92 < 1']);
  });
});
