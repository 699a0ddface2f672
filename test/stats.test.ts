import { describe, expect, it } from 'vitest';
import { bootstrapCI, mannWhitney, median, quantile, relativeSpread, summarize } from '../src/stats/index.js';

describe('stats', () => {
  it('median and quantiles interpolate like numpy', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.9)).toBeCloseTo(4.6);
    expect(Number.isNaN(median([]))).toBe(true);
  });

  it('summarize ignores non-finite samples and reports spread', () => {
    const s = summarize([10, 12, 11, Number.NaN, 13, 9]);
    expect(s.n).toBe(5);
    expect(s.median).toBe(11);
    expect(s.min).toBe(9);
    expect(s.max).toBe(13);
    expect(s.rme).toBeGreaterThan(0);
    expect(relativeSpread([9, 10, 11])).toBeCloseTo(0.2);
  });

  it('bootstrap CI brackets the median and is reproducible', () => {
    const xs = Array.from({ length: 50 }, (_, i) => i);
    const a = bootstrapCI(xs);
    expect(a.low).toBeLessThanOrEqual(median(xs));
    expect(a.high).toBeGreaterThanOrEqual(median(xs));
    expect(bootstrapCI(xs)).toEqual(a);
  });

  it('Mann-Whitney separates shifted samples and not identical ones', () => {
    const a = Array.from({ length: 20 }, (_, i) => i);
    const b = a.map((x) => x + 30);
    expect(mannWhitney(a, b).p).toBeLessThan(0.001);
    expect(mannWhitney(a, a).p).toBeGreaterThan(0.9);
  });
});
