// The Mann-Whitney test is exact for small samples (2-10 repeats a side), as the published tables give it:
// 3 vs 3 fully separated is p = 0.1 (the normal approximation said 0.0495), 5 vs 5 is p = 0.0079.

import { describe, expect, it } from 'vitest';
import { mannWhitney } from '../src/stats/index.js';

describe('exact Mann-Whitney', () => {
  it('3 vs 3 fully separated: p = 2/20 = 0.1', () => {
    const r = mannWhitney([1, 2, 3], [4, 5, 6]);
    expect(r.method).toBe('exact');
    expect(r.u).toBe(0);
    expect(r.p).toBeCloseTo(0.1, 10);
  });

  it('5 vs 5 fully separated: p = 2/252 = 0.0079', () => {
    const r = mannWhitney([10, 11, 12, 13, 14], [1, 2, 3, 4, 5]);
    expect(r.u).toBe(25);
    expect(r.p).toBeCloseTo(2 / 252, 10);
    expect(r.p.toFixed(4)).toBe('0.0079');
  });

  it('2 vs 2 can never reach 0.05 (p = 1/3 at best)', () => {
    expect(mannWhitney([1, 2], [3, 4]).p).toBeCloseTo(1 / 3, 10);
  });

  it('matches the table for 4 vs 4 with one overlap: U = 1, p = 4/70', () => {
    // splits with U <= 1 or U >= 15: U = 0 (1), U = 1 (1) and their mirrors: 4 of 70
    expect(mannWhitney([1, 2, 3, 5], [4, 6, 7, 8]).p).toBeCloseTo(4 / 70, 10);
  });

  it('identical samples: p = 1; ties are enumerated with their mid-ranks', () => {
    expect(mannWhitney([5, 5, 5], [5, 5, 5]).p).toBe(1);
    const tied = mannWhitney([1, 2, 2], [2, 3, 4]);
    expect(tied.method).toBe('exact');
    expect(tied.p).toBeGreaterThan(0.1);
  });

  it('large samples use the normal approximation', () => {
    const a = Array.from({ length: 20 }, (_, i) => i);
    const r = mannWhitney(
      a,
      a.map((x) => x + 30),
    );
    expect(r.method).toBe('normal');
    expect(r.p).toBeLessThan(0.001);
  });
});
