// Arrival schedules for the open-loop engine: when each request is due, decided in advance of (and
// independently from) the responses, so a slow server cannot slow the arrivals down (no coordinated omission).

import { createRng, exponential } from '../stats/index.js';
import type { ArrivalProcess } from '../results/load.js';

/** An increasing sequence of send times, in ms from the start of the schedule. */
export interface ArrivalSchedule {
  /** The next send time, ms from the start (Infinity once a finite schedule has run out). */
  next(): number;
}

/**
 * Poisson arrivals (exponential gaps with mean 1/rate, seeded) or constant ones (exactly 1/rate apart).
 * The first arrival is at 0 for constant arrivals and one random gap in for Poisson ones.
 */
export function createArrivals(rateRps: number, process: ArrivalProcess, seed: number): ArrivalSchedule {
  if (!(rateRps > 0) || !Number.isFinite(rateRps)) throw new RangeError(`arrival rate must be a positive number of requests per second, got ${rateRps}`);
  const gapMs = 1000 / rateRps;
  if (process === 'constant') {
    let i = 0;
    // Multiplying (not adding) keeps rounding errors from accumulating over long runs.
    return { next: () => i++ * gapMs };
  }
  const rng = createRng(seed);
  let t = 0;
  return {
    next: () => {
      t += exponential(rng, gapMs);
      return t;
    },
  };
}
