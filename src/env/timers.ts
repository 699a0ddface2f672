// Resolution and overhead of the clocks benchmarks read: a timing shorter than a few resolution steps, or
// not much longer than the cost of reading the clock, cannot be trusted.

import type { TimerFigure } from '../results/hardware.js';
import { median } from '../stats/index.js';
import { unknown } from './parse.js';

type Clock = TimerFigure['clock'];

/** Successive readings of one clock, in ns, as a tight loop of `calls` readings. */
function sample(clock: Clock, calls: number): { steps: number[]; totalNs: number; calls: number } {
  const steps: number[] = [];
  const made = calls;
  const start = process.hrtime.bigint();
  if (clock === 'process.hrtime.bigint') {
    let prev = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) {
      const now = process.hrtime.bigint();
      if (now !== prev) steps.push(Number(now - prev));
      prev = now;
    }
  } else if (clock === 'performance.now') {
    let prev = performance.now();
    for (let i = 0; i < calls; i++) {
      const now = performance.now();
      if (now !== prev) steps.push((now - prev) * 1e6);
      prev = now;
    }
  } else {
    let prev = Date.now();
    // Date.now steps once a millisecond: read on until two steps are seen (bounded)
    for (let i = 0; i < calls || (steps.length < 2 && i < calls * 100); i++) {
      const now = Date.now();
      if (now !== prev) steps.push((now - prev) * 1e6);
      prev = now;
    }
  }
  return { steps, totalNs: Number(process.hrtime.bigint() - start), calls: made };
}

/** Measure each clock: ~100k readings each, a few ms in all. */
export function measureTimers(calls = 100_000): TimerFigure[] {
  const clocks: Clock[] = ['process.hrtime.bigint', 'performance.now', 'Date.now'];
  for (const c of clocks) sample(c, 10_000); // warm-up
  return clocks.map((clock) => {
    const { steps, totalNs, calls: made } = sample(clock, calls);
    const positive = steps.filter((s) => s > 0);
    const none = unknown(`the clock never advanced in ${made} readings`);
    return {
      clock,
      resolutionNs: positive.length === 0 ? none : Math.min(...positive),
      medianStepNs: positive.length === 0 ? none : median(positive),
      overheadNsPerCall: totalNs / made,
      calls: made,
    };
  });
}
