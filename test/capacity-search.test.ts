// The search: grows from the start n while it fits, shrinks while it fails, then bisects to the tolerance;
// stops at the probe limit, when nothing fits, when the ceiling fits, or when a probe says stop.

import { describe, expect, it } from 'vitest';
import { midpoint, searchCapacity, type ProbeVerdict } from '../src/capacity/search.js';

/** A fake kernel that fits up to `capacity` values; records every n tried. */
function fake(capacity: number, stopAt?: number) {
  const tried: [number, string][] = [];
  const probe = async (n: number, step: string): Promise<ProbeVerdict> => {
    tried.push([n, step]);
    if (stopAt !== undefined && tried.length === stopAt) return 'stop';
    return n <= capacity ? 'fits' : 'fails';
  };
  return { tried, probe };
}

const settings = { startN: 1e6, minN: 1000, maxN: 1e9, tolerance: 0.05, maxProbes: 30 };

describe('searchCapacity', () => {
  it('grows, then bisects until the bracket is within the tolerance', async () => {
    const f = fake(7_300_000);
    const r = await searchCapacity(settings, f.probe);
    expect(r.converged).toBe(true);
    expect(r.lo).toBeLessThanOrEqual(7_300_000);
    expect(r.hi).toBeGreaterThan(7_300_000);
    expect((r.hi! - r.lo!) / r.lo!).toBeLessThanOrEqual(0.05);
    expect(f.tried.slice(0, 4)).toEqual([
      [1e6, 'grow'],
      [2e6, 'grow'],
      [4e6, 'grow'],
      [8e6, 'grow'],
    ]);
    expect(f.tried.slice(4).every(([, s]) => s === 'bisect')).toBe(true);
    expect(r.probes).toBe(f.tried.length);
  });

  it('shrinks when the start already fails', async () => {
    const f = fake(300_000);
    const r = await searchCapacity(settings, f.probe);
    expect(f.tried.slice(0, 3)).toEqual([
      [1e6, 'grow'],
      [5e5, 'shrink'],
      [2.5e5, 'shrink'],
    ]);
    expect(r.converged).toBe(true);
    expect(r.lo).toBeLessThanOrEqual(300_000);
  });

  it('stops at the probe limit, when nothing fits, when the ceiling fits, and on stop', async () => {
    expect(await searchCapacity({ ...settings, maxProbes: 5 }, fake(7_300_000).probe)).toMatchObject({ reason: 'probe-limit', converged: false, probes: 5 });
    expect(await searchCapacity(settings, fake(10).probe)).toMatchObject({ reason: 'nothing-fits', lo: null, hi: 1000 });
    expect(await searchCapacity({ ...settings, maxN: 3e6 }, fake(1e12).probe)).toMatchObject({ reason: 'ceiling-fits', lo: 3e6, hi: null });
    expect(await searchCapacity(settings, fake(7_300_000, 3).probe)).toMatchObject({ reason: 'stopped', converged: false });
  });

  it('bisects at readable numbers strictly inside the bracket', () => {
    expect(midpoint(40_000_000, 80_000_000, 0.05)).toBe(60_000_000);
    expect(midpoint(75_000_000, 80_000_000, 0.05)).toBe(77_500_000);
    const m = midpoint(1000, 1002, 0.05);
    expect(m).toBe(1001);
  });
});
