// Result types of the hardware suite (src/env/suite.ts): the figures `servebench hw` measures on top of the
// environment block (which every results file carries in its envelope).

import type { Flag, Outcome, Spread } from './common.js';
import type { MaybeKnown, MeasuredFrequency, NoiseCheck } from './env.js';

/** One memory-read bandwidth probe: a read of `bytes` with `threads` threads, repeated. */
export interface BandwidthFigure {
  /** Why this size: 'in L2' or 'past L3'. */
  label: string;
  /** Bytes read per pass (n doubles x 8). */
  bytes: number;
  /** Doubles per pass. */
  n: number;
  threads: number;
  /** Median over repeats, GB/s (1e9 bytes per second). */
  gbPerSec: number;
  samplesGbPerSec: number[];
  spread: Spread;
  /** The probe's read loop: 'avx512', 'avx2' or 'baseline'. */
  isa: MaybeKnown<string>;
  /** Full passes over the buffer per repeat (a small buffer is read many times, from cache). */
  passesPerRepeat: MaybeKnown<number>;
}

export type BandwidthCase = Outcome<BandwidthFigure> & { label: string; bytes: number; threads: number };

/** Resolution and cost of one clock, so timings shorter than a few resolutions are read with care. */
export interface TimerFigure {
  clock: 'process.hrtime.bigint' | 'performance.now' | 'Date.now';
  /** Smallest non-zero step seen between two successive readings, ns. */
  resolutionNs: MaybeKnown<number>;
  /** Median non-zero step between successive readings, ns. */
  medianStepNs: MaybeKnown<number>;
  /** Mean cost of one reading, ns (wall time of a tight loop of readings / readings). */
  overheadNsPerCall: number;
  calls: number;
}

export interface HardwareData {
  /** How long the suite took, ms. */
  durationMs: number;
  /** CPU frequency measured with a calibrated loop (unknown with the reason when it could not be). */
  frequency: MaybeKnown<MeasuredFrequency>;
  timers: TimerFigure[];
  /** The native probe's figures; unknown with the reason when the addon or probe is unavailable. */
  bandwidth: MaybeKnown<BandwidthCase[]>;
  /** Noise check over the suite's (longer) window. */
  noise: NoiseCheck;
  /** Doubtful figures and skipped parts, never hidden. */
  flags: Flag[];
}
