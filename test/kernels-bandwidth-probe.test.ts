// probeBandwidth reads n doubles with one or more threads and returns one GB/s figure per repeat, their
// median and best; out-of-range options are OptionErrors naming the option.

import { describe, expect, it } from 'vitest';
import { probeBandwidth } from '../src/kernels/bandwidth.js';
import { OptionError } from '../src/errors.js';

describe('the bandwidth probe', () => {
  for (const threads of [1, 2]) {
    it(`gives a figure per repeat with ${threads} thread(s)`, () => {
      const r = probeBandwidth({ n: 50_000, threads, repeats: 3 });
      expect(r.available).toBe(true);
      if (r.available === false) return;
      expect(r.threads).toBe(threads);
      expect(r.n).toBe(50_000);
      expect(r.samplesGbPerSec).toHaveLength(3);
      for (const g of r.samplesGbPerSec) expect(g).toBeGreaterThan(0);
      expect(r.bestGbPerSec).toBe(Math.max(...r.samplesGbPerSec));
      expect(r.gbPerSec).toBeLessThanOrEqual(r.bestGbPerSec!);
      expect(r.passesPerRepeat).toBeGreaterThanOrEqual(1);
      expect(r.isa).toMatch(/^(avx512|avx2|baseline)$/);
    });
  }

  it('uses no more threads than values', () => {
    const r = probeBandwidth({ n: 1, threads: 4, repeats: 1 });
    expect(r.available === false ? 0 : r.threads).toBe(1);
  });

  it('rejects out-of-range options by name', () => {
    expect(() => probeBandwidth({ n: 0 })).toThrow(OptionError);
    expect(() => probeBandwidth({ n: 1.5 })).toThrow(/n: must be an integer between 1/);
    expect(() => probeBandwidth({ n: 10, threads: 0 })).toThrow(/threads: must be an integer between 1 and 256/);
    expect(() => probeBandwidth({ n: 10, repeats: 5000 })).toThrow(/repeats: must be an integer between 1 and 1000/);
  });
});
