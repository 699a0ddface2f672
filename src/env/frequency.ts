// A CPU frequency measured with a calibrated loop, for hosts whose OS reports none (VMs, containers) and to
// show what the core really runs at (a VM's /proc/cpuinfo gives the nominal TSC rate, not the boost clock).
//
// Method: a chain of dependent 32-bit add/xor operations, each waiting for the previous one, runs at one
// operation per cycle on every core made in the last twenty years (1-cycle latency). Two loops differ only
// in the chain length per iteration (20 vs 4 operations); timing both and dividing the 16 extra operations
// by the extra time cancels the loop overhead (counter, compare, branch, V8's interrupt check).

import type { MaybeKnown, MeasuredFrequency } from '../results/env.js';
import { relativeSpread } from '../stats/index.js';
import { unknown } from './parse.js';

function chain4(n: number, a: number, b: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) {
    x = (x + a) | 0;
    x ^= b;
    x = (x + a) | 0;
    x ^= b;
  }
  return x;
}

function chain20(n: number, a: number, b: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) {
    x = (x + a) | 0;
    x ^= b;
    x = (x + a) | 0;
    x ^= b;
    x = (x + a) | 0;
    x ^= b;
    x = (x + a) | 0;
    x ^= b;
    x = (x + a) | 0;
    x ^= b;
    x = (x + a) | 0;
    x ^= b;
    x = (x + a) | 0;
    x ^= b;
    x = (x + a) | 0;
    x ^= b;
    x = (x + a) | 0;
    x ^= b;
    x = (x + a) | 0;
    x ^= b;
  }
  return x;
}

const FREQUENCY_METHOD = 'dependent 32-bit add/xor chain (1 op per cycle); fastest 20-op minus fastest 4-op loop run cancels the loop overhead';

export interface FrequencyOptions {
  /** Timed pairs. @default 15 */
  repeats?: number;
  /** Loop iterations per timed run. @default 250_000 (about 1.5 ms for the 20-op loop at 3 GHz) */
  iterations?: number;
}

/**
 * Measure the frequency of the core this thread runs on, in MHz. Blocks the thread for ~2 ms per repeat.
 * Runs are short (well under a scheduler time slice) and the fastest run of each loop is used, because a
 * run can only be slowed by preemption or interrupts, never sped up; the per-repeat figures are kept too,
 * so their spread shows how disturbed the host was.
 */
export function measureFrequency(options: FrequencyOptions = {}): MaybeKnown<MeasuredFrequency> {
  const repeats = options.repeats ?? 15;
  const n = options.iterations ?? 250_000;
  // Operands the compiler cannot see as constants, so the chain cannot be folded.
  const a = (Date.now() & 1) + 3;
  const b = (Date.now() & 2) + 5;
  let sink = 0;
  const time = (f: typeof chain4, iterations: number) => {
    const t0 = process.hrtime.bigint();
    sink ^= f(iterations, a, b);
    return Number(process.hrtime.bigint() - t0);
  };
  // warm-up: let V8 optimise both loops before anything is timed
  for (let w = 0; w < 5; w++) {
    time(chain4, 100_000);
    time(chain20, 100_000);
  }
  const t4s: number[] = [];
  const t20s: number[] = [];
  const samples: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t4 = time(chain4, n);
    const t20 = time(chain20, n);
    t4s.push(t4);
    t20s.push(t20);
    // extra ops / extra ns = ops per ns = GHz; a non-positive difference means the pair was disturbed
    if (t20 > t4) samples.push(((16 * n) / (t20 - t4)) * 1000);
  }
  if (sink === 0.5) samples.push(0); // never true; keeps the results observable so the loops cannot be dropped
  const fast4 = Math.min(...t4s);
  const fast20 = Math.min(...t20s);
  if (!(fast20 > fast4) || samples.length === 0) return unknown('the runs were too disturbed to measure (the short loop was not faster than the long one)');
  return {
    label: 'measured',
    mhz: Math.round(((16 * n) / (fast20 - fast4)) * 1000),
    samplesMhz: samples.map((x) => Math.round(x)),
    relativeSpread: relativeSpread(samples),
    method: FREQUENCY_METHOD,
  };
}
