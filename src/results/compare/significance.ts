// Is a change real? The tests behind every verdict, on plain numbers: the exact Mann-Whitney on repeats when
// it can reach the significance level with that many, else the bootstrap interval of the ratio of medians;
// percentiles from the order-statistic intervals of pooled HDR histograms; and the noise floor, the measured
// spread below which no change is called one, however significant.

import { quantileInterval } from '../histogram.js';
import { createRng, mannWhitney, median, normalCdf, quantileSorted, relativeSpread, sortedCopy } from '../../stats/index.js';
import type { SignificanceTest } from './types.js';

/** The enumeration limit of stats' exact Mann-Whitney (C(20, 10): ten repeats a side). */
const MAX_EXACT_SPLITS = 200_000;

/** What the test found, before the noise floor and the verdict. */
export interface Evidence {
  base: number;
  new: number;
  /** new / base - 1 */
  change: number;
  interval: { low: number; high: number; confidence: number } | null;
  test: SignificanceTest;
}

function choose(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

/**
 * The smallest two-sided p the exact Mann-Whitney can give with n1 and n2 samples (all of one side above the
 * other): 2 / C(n1 + n2, n1). 3 vs 3 gives 0.1, so three repeats a side can never be significant at 0.05.
 */
export function smallestExactP(n1: number, n2: number): number {
  return Math.min(1, 2 / choose(n1 + n2, n1));
}

/** Whether the Mann-Whitney test can reach `alpha` at all with these sample sizes. */
export function rankTestCanReach(n1: number, n2: number, alpha: number): boolean {
  if (choose(n1 + n2, n1) > MAX_EXACT_SPLITS) return true;
  return smallestExactP(n1, n2) <= alpha;
}

/**
 * How much the samples move on their own, as a fraction of their median: (max - min) / median for fewer
 * than ten samples (the spread the results report for repeats), else the 10th-90th percentile range over
 * the median, so one stalled second out of many does not set the floor alone.
 */
export function measuredSpread(samples: readonly number[]): number {
  const xs = sortedCopy(samples);
  if (xs.length < 10) return relativeSpread(xs);
  const med = quantileSorted(xs, 0.5);
  return med === 0 ? 0 : (quantileSorted(xs, 0.9) - quantileSorted(xs, 0.1)) / Math.abs(med);
}

/** z of a two-sided interval at level 1 - alpha (1.96 for 0.05), by bisection on the normal CDF. */
export function zFor(alpha: number): number {
  let lo = 0;
  let hi = 10;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < 1 - alpha / 2) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Percentile-bootstrap interval of median(b) / median(a) - 1: each side resampled on its own (seeded, so
 * the same samples always give the same interval).
 */
function ratioOfMediansInterval(a: readonly number[], b: readonly number[], confidence: number, seed: number, iterations = 2000) {
  const rng = createRng(seed);
  const ra = new Array<number>(a.length);
  const rb = new Array<number>(b.length);
  const ratios = new Array<number>(iterations);
  for (let i = 0; i < iterations; i++) {
    for (let j = 0; j < a.length; j++) ra[j] = a[Math.floor(rng() * a.length)]!;
    for (let j = 0; j < b.length; j++) rb[j] = b[Math.floor(rng() * b.length)]!;
    ratios[i] = median(rb) / median(ra);
  }
  ratios.sort((x, y) => x - y);
  const tail = (1 - confidence) / 2;
  return { low: quantileSorted(ratios, tail) - 1, high: quantileSorted(ratios, 1 - tail) - 1, confidence };
}

/**
 * Two sets of repeat figures (per-process medians, per-repeat or per-second rps): the change of medians with
 * its bootstrap interval, and significance from the exact Mann-Whitney, or from the bootstrap interval when
 * the rank test cannot reach `alpha` with so few samples. Needs two samples a side (undefined otherwise).
 */
export function compareSamples(base: readonly number[], next: readonly number[], alpha: number, seed: number, what: string): Evidence | undefined {
  const a = sortedCopy(base);
  const b = sortedCopy(next);
  if (a.length < 2 || b.length < 2) return undefined;
  const mBase = median(a);
  const mNew = median(b);
  const interval = ratioOfMediansInterval(a, b, 1 - alpha, seed);
  const counts: [number, number] = [a.length, b.length];
  const samples = `${a.length} vs ${b.length} ${what}`;
  if (rankTestCanReach(a.length, b.length, alpha)) {
    const t = mannWhitney(a, b);
    const method = t.method === 'exact' ? 'mann-whitney-exact' : 'mann-whitney-normal';
    return { base: mBase, new: mNew, change: mNew / mBase - 1, interval, test: { method, samples, sampleCounts: counts, p: t.p, significant: t.p <= alpha } };
  }
  const significant = interval.low > 0 || interval.high < 0;
  return {
    base: mBase,
    new: mNew,
    change: mNew / mBase - 1,
    interval,
    test: { method: 'bootstrap-ratio', samples, sampleCounts: counts, p: null, significant },
  };
}

/**
 * A percentile of every sample of the repeats (their HDR histograms merged exactly) on each side: the change
 * of the pooled percentiles, significant when their order-statistic intervals do not overlap (conservative:
 * two non-overlapping 95% intervals are stronger evidence than p < 0.05). undefined when a side has none.
 */
export function comparePooledQuantile(base: readonly string[], next: readonly string[], q: number, alpha: number): Evidence | undefined {
  const z = zFor(alpha);
  const a = quantileInterval(base, q, z);
  const b = quantileInterval(next, q, z);
  if (a === undefined || b === undefined || a.value <= 0) return undefined;
  const interval = { low: b.low / a.high - 1, high: b.high / a.low - 1, confidence: 1 - alpha };
  const significant = b.low > a.high || b.high < a.low;
  const samples = `${a.count} vs ${b.count} latencies (pooled histograms of ${base.length} vs ${next.length} repeats)`;
  return {
    base: a.value,
    new: b.value,
    change: b.value / a.value - 1,
    interval,
    test: { method: 'quantile-intervals', samples, sampleCounts: [a.count, b.count], p: null, significant },
  };
}
