// The memory-read bandwidth probe: a read of n doubles at the best speed the hardware allows (the
// addon's vector read loop over a buffer of its own), so kernel figures can be reported as a fraction of
// it: the roofline. Used by the kernels suite (same n as each kernel) and by the hardware report.

import { checkInteger } from '../options.js';
import { median } from '../stats/index.js';
import { loadNative } from './native-binding.js';
import type { Availability } from './types.js';

export interface BandwidthResult {
  /** Always true when present (the probe sets it; optional so older fakes of this type still fit). */
  available?: true;
  /** Doubles read per pass. */
  n: number;
  /** Threads that read, each its own contiguous share (fewer than asked when n is tiny). */
  threads: number;
  /** Median over repeats, bytes read per second / 1e9. */
  gbPerSec: number;
  /** Best repeat, GB/s: the roofline figure (as STREAM reports the best of its repeats). */
  bestGbPerSec?: number;
  /** Per-repeat figures, GB/s. */
  samplesGbPerSec: number[];
  /** Full passes over the buffer per repeat (small buffers are read many times, from cache). */
  passesPerRepeat?: number;
  /** Code path of the read loop: 'avx512', 'avx2' or 'baseline'. */
  isa?: string;
}

export interface BandwidthOptions {
  /** Doubles to read per pass, 1 to 2^40 (memory permitting). */
  n: number;
  /** Reading threads, 1 to 256. @default 1 */
  threads?: number;
  /** Figures to take (one per repeat), 1 to 1000. @default 5 */
  repeats?: number;
}

/**
 * Measure the read bandwidth over n doubles with `threads` threads. Blocks the calling thread (about
 * 30 ms per repeat at n = 1e8, plus allocating and filling the buffer). Returns `{ available: false, reason }`
 * when the addon is unavailable; throws OptionError on out-of-range options.
 */
export function probeBandwidth(options: BandwidthOptions): BandwidthResult | (Availability & { available: false }) {
  const threads = options.threads ?? 1;
  const repeats = options.repeats ?? 5;
  checkInteger('n', options.n, 1, 2 ** 40);
  checkInteger('threads', threads, 1, 256);
  checkInteger('repeats', repeats, 1, 1000);
  const load = loadNative();
  if (!('binding' in load)) return { available: false, reason: load.status.reason };
  const raw = load.binding.bandwidthProbe(options.n, threads, repeats);
  return {
    available: true,
    n: raw.n,
    threads: raw.threads,
    gbPerSec: median(raw.gbPerSec),
    bestGbPerSec: Math.max(...raw.gbPerSec),
    samplesGbPerSec: raw.gbPerSec,
    passesPerRepeat: raw.passesPerRepeat,
    isa: raw.isa,
  };
}
