import { describe, expect, it } from 'vitest';
import { belowThreshold, medianDecided, pickPages } from '../../scripts/lighthouse';
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

  it('stops a page once a majority of its runs settles the median Performance, and not before', () => {
    const run = (performance: number) => ({ scores: { performance, accessibility: 1, 'best-practices': 1, seo: 1 } });
    const [pass, fail] = [run(0.99), run(0.9)];
    expect(medianDecided([pass, pass], 5)).toBe(false);
    expect(medianDecided([pass, pass, pass], 5)).toBe(true); // 3 of 5 pass whatever runs 4 and 5 score
    expect(medianDecided([pass, fail, pass], 5)).toBe(false);
    expect(medianDecided([pass, fail, pass, fail], 5)).toBe(false);
    expect(medianDecided([fail, fail, pass, fail], 5)).toBe(true);
    expect(medianDecided([pass], 1)).toBe(true);
    // Every order of five runs: stopping early never changes the verdict of the median of all five.
    for (let mask = 0; mask < 32; mask++) {
      const five = [0, 1, 2, 3, 4].map((i) => (mask & (1 << i) ? pass : fail));
      let n = 0;
      while (n < 5 && !medianDecided(five.slice(0, n), 5)) n++;
      const median = (runs: typeof five) =>
        [...runs].sort((a, b) => a.scores.performance - b.scores.performance)[Math.floor(runs.length / 2)]!;
      expect(belowThreshold(median(five.slice(0, n)).scores), mask.toString(2)).toEqual(belowThreshold(median(five).scores));
    }
  });
});
