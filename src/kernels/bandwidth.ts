// The memory-read bandwidth probe: a read of n doubles at the best speed the hardware allows, so kernel
// figures can be reported as a fraction of it (the roofline).
// PLACEHOLDER: the foundation issue replaces the body; the exported names and types are the contract.

import type { Availability } from './types.js';

export interface BandwidthResult {
  /** Doubles read per pass. */
  n: number;
  threads: number;
  /** Median over repeats, bytes read per second / 1e9. */
  gbPerSec: number;
  /** Per-repeat figures, GB/s. */
  samplesGbPerSec: number[];
}

/** Measure the read bandwidth over n doubles with `threads` threads (1 by default). */
export function probeBandwidth(_options: { n: number; threads?: number; repeats?: number }): BandwidthResult | (Availability & { available: false }) {
  return { available: false, reason: 'native addon not built yet' };
}
