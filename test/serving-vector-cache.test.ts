// The model API's cache of prepared kernel inputs: least recently used dropped first, and never a new
// vector made beside old ones that would not fit in the budget with it.
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

  it('drops the least recently used inputs until the new one fits in the budget beside the rest', () => {
    const cache = new VectorCache(1, 8 * 100);
    const a = cache.get('typed', 50);
    const b = cache.get('typed', 40);
    expect(cache.size).toBe(2);
    cache.get('typed', 50); // a is now the most recently used
    cache.get('typed', 30); // 50 + 40 + 30 > 100: b (the least recently used) goes, 50 + 30 fits
    expect(cache.size).toBe(2);
    expect(cache.get('typed', 50)).toBe(a);
    expect(cache.get('typed', 40)).not.toBe(b);
  });

  it('keeps a vector larger than the budget alone', () => {
    const cache = new VectorCache(1, 8 * 100);
    cache.get('typed', 10);
    cache.get('typed', 20);
    const big = cache.get('typed', 500);
    expect(cache.size).toBe(1);
    expect(cache.get('typed', 500)).toBe(big);
  });

  it('keeps at most four inputs however small', () => {
    const cache = new VectorCache(1);
    for (let n = 1; n <= 10; n++) cache.get('typed', n);
    expect(cache.size).toBe(4);
  });
});
