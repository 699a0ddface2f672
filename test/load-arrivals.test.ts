// Arrival schedules of the open-loop engine: Poisson gaps average 1/rate and are seeded; constant gaps are exact.

import { describe, expect, it } from 'vitest';
import { createArrivals } from '../src/load/arrivals.js';

const take = (n: number, next: () => number) => Array.from({ length: n }, next);

describe('arrival schedules', () => {
  it('Poisson: increasing, mean gap 1/rate, coefficient of variation about 1', () => {
    const s = createArrivals(200, 'poisson', 7);
    const t = take(20_000, () => s.next());
    const gaps = t.slice(1).map((x, i) => x - t[i]!);
    expect(gaps.every((g) => g >= 0)).toBe(true);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(mean).toBeGreaterThan(5 * 0.95);
    expect(mean).toBeLessThan(5 * 1.05);
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
    expect(sd / mean).toBeGreaterThan(0.9);
    expect(sd / mean).toBeLessThan(1.1);
  });

  it('Poisson: the same seed gives the same schedule, another seed another', () => {
    const a = createArrivals(50, 'poisson', 1);
    const b = createArrivals(50, 'poisson', 1);
    const c = createArrivals(50, 'poisson', 2);
    const xa = take(100, () => a.next());
    expect(take(100, () => b.next())).toEqual(xa);
    expect(take(100, () => c.next())).not.toEqual(xa);
  });

  it('constant: exactly 1/rate apart from 0, without drift', () => {
    const s = createArrivals(3, 'constant', 0);
    const t = take(30_001, () => s.next());
    expect(t[0]).toBe(0);
    expect(t[1]).toBeCloseTo(1000 / 3, 9);
    expect(t[30_000]).toBeCloseTo(10_000_000, 6);
  });

  it('rejects a rate that is not positive', () => {
    expect(() => createArrivals(0, 'poisson', 1)).toThrow(/positive/);
    expect(() => createArrivals(Number.NaN, 'constant', 1)).toThrow(/positive/);
  });
});
