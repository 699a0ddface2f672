// The autoscale experiment's load: a rate profile (ramp, hold, drop) turned into seeded Poisson arrivals,
// scaled to a peak with --rate; options that do not fit an experiment are refused before anything starts.
import { describe, expect, it } from 'vitest';
import { scaledProfile } from '../src/experiments/autoscale.js';
import { profileArrivals, profileDurationMs, rateAt } from '../src/load/engines/rate-profile.js';
import { runLoadSuite } from '../src/load/suite.js';
import type { RatePhase } from '../src/results/experiments.js';
import { withDefinitions } from './load-definitions.js';

const profile: RatePhase[] = [
  { name: 'ramp', durationMs: 4000, fromRps: 10, toRps: 50 },
  { name: 'hold', durationMs: 4000, fromRps: 50, toRps: 50 },
  { name: 'drop', durationMs: 4000, fromRps: 5, toRps: 5 },
];

describe('rate profile', () => {
  it('gives the rate and phase at any time', () => {
    expect(profileDurationMs(profile)).toBe(12_000);
    expect(rateAt(profile, 0)).toEqual({ rps: 10, phase: 'ramp' });
    expect(rateAt(profile, 2000)).toEqual({ rps: 30, phase: 'ramp' });
    expect(rateAt(profile, 6000)).toEqual({ rps: 50, phase: 'hold' });
    expect(rateAt(profile, 11_999).phase).toBe('drop');
  });

  it('schedules seeded Poisson arrivals that follow it', () => {
    const a = profileArrivals(profile, 7);
    expect(profileArrivals(profile, 7)).toEqual(a);
    expect(profileArrivals(profile, 8)).not.toEqual(a);
    for (let i = 1; i < a.length; i++) expect(a[i]!).toBeGreaterThanOrEqual(a[i - 1]!);
    const inRange = (from: number, to: number) => a.filter((t) => t >= from && t < to).length;
    // Expected: ramp 120, hold 200, drop 20 (Poisson: wide margins).
    expect(inRange(0, 4000)).toBeGreaterThan(80);
    expect(inRange(0, 4000)).toBeLessThan(160);
    expect(inRange(4000, 8000)).toBeGreaterThan(150);
    expect(inRange(4000, 8000)).toBeLessThan(250);
    expect(inRange(8000, 12_000)).toBeLessThan(45);
    // The ramp rises: its last second holds more arrivals than its first.
    expect(inRange(3000, 4000)).toBeGreaterThan(inRange(0, 1000));
  });

  it('scales to a peak given with --rate', () => {
    const s = scaledProfile(profile, 100);
    expect(s.map((p) => [p.fromRps, p.toRps])).toEqual([
      [20, 100],
      [100, 100],
      [10, 10],
    ]);
    expect(scaledProfile(profile, undefined)).toEqual(profile);
  });
});

describe('experiment options', () => {
  it('refuses --connections for autoscale and an open loop for queue-workers', async () => {
    await expect(runLoadSuite(withDefinitions({ scenarios: ['autoscale'], connections: 10 }))).rejects.toThrow(
      /--connections: autoscale follows its arrival-rate profile/,
    );
    await expect(runLoadSuite(withDefinitions({ scenarios: ['queue-workers'], rateRps: 10 }))).rejects.toThrow(/--rate: queue-workers runs a closed loop/);
  });
});
