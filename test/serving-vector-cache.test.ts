// The model API's cache of prepared kernel inputs: requests at one n share one input; a large input is let
// go before the next large one is built, so what fits alone in memory fits; a few small ones are kept.
import { describe, expect, it } from 'vitest';
import { VectorCache } from '../src/serving/predict.js';

describe('VectorCache', () => {
  it('returns the same input for the same kernel and n, a fresh one otherwise', () => {
    const cache = new VectorCache(1);
    const a = cache.get('typed', 100);
    expect(cache.get('typed', 100)).toBe(a);
    expect(cache.get('naive', 100)).not.toBe(a);
    expect(Array.isArray(cache.get('naive', 100))).toBe(true);
    expect(cache.size).toBe(2);
  });

  it('keeps one large input: a new large one replaces it', () => {
    const cache = new VectorCache(1, 8 * 100);
    const a = cache.get('typed', 500);
    cache.get('typed', 600);
    expect(cache.size).toBe(1);
    expect(cache.get('typed', 500)).not.toBe(a);
  });

  it('keeps small inputs beside the large one, at most four, least recently used dropped first', () => {
    const cache = new VectorCache(1, 8 * 100);
    const s10 = cache.get('typed', 10);
    const big = cache.get('typed', 500);
    for (const n of [20, 30, 40]) cache.get('typed', n);
    expect(cache.size).toBe(5);
    expect(cache.get('typed', 10)).toBe(s10); // now the most recently used small input
    cache.get('typed', 50); // a fifth small one: 20, the least recently used, goes
    expect(cache.size).toBe(5);
    expect(cache.get('typed', 500)).toBe(big);
    expect(cache.get('typed', 10)).toBe(s10);
    const s20 = cache.get('typed', 20);
    expect(cache.size).toBe(5);
    expect(cache.get('typed', 20)).toBe(s20);
  });
});
