// The one stats module: every suite summarises its samples here, so figures from different suites compare.

import { normalCdf } from './normal.js';
import { createRng } from './random.js';

export { createRng, uniform, exponential, randomVector } from './random.js';
export type { Rng } from './random.js';
export { round1, round3 } from './round.js';

/** A summary of one set of samples. Units are those of the samples; the caller names them. */
export interface Summary {
  /** Number of samples. */
  n: number;
  min: number;
  max: number;
  mean: number;
  median: number;
  p25: number;
  p75: number;
  /** Sample standard deviation (n - 1). */
  sd: number;
  /** Median absolute deviation (unscaled). */
  mad: number;
  /** Relative margin of error of the mean at 95% confidence, in percent (as tinybench reports it). */
  rme: number;
  /** Coefficient of variation: sd / mean, as a fraction. */
  cv: number;
}

function finite(samples: readonly number[]): number[] {
  return samples.filter((x) => Number.isFinite(x));
}

export function sortedCopy(samples: readonly number[]): number[] {
  return finite(samples).sort((a, b) => a - b);
}

/** Quantile of sorted data, linear interpolation between closest ranks (R type 7, numpy's default). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (q <= 0) return sorted[0]!;
  if (q >= 1) return sorted[sorted.length - 1]!;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (pos - lo);
}

export function quantile(samples: readonly number[], q: number): number {
  return quantileSorted(sortedCopy(samples), q);
}

export function median(samples: readonly number[]): number {
  return quantile(samples, 0.5);
}

export function mean(samples: readonly number[]): number {
  const xs = finite(samples);
  if (xs.length === 0) return Number.NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

export function sd(samples: readonly number[]): number {
  const xs = finite(samples);
  if (xs.length < 2) return 0;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return Math.sqrt(s / (xs.length - 1));
}

// Two-sided 97.5% quantiles of Student's t for df = 1..30; beyond, the normal value.
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069,
  2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** t value for a 95% two-sided interval with df degrees of freedom. */
export function tCritical95(df: number): number {
  if (df < 1) return Number.NaN;
  return T975[df - 1] ?? 1.96;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = sortedCopy(samples);
  const n = sorted.length;
  if (n === 0) {
    return { n: 0, min: NaN, max: NaN, mean: NaN, median: NaN, p25: NaN, p75: NaN, sd: NaN, mad: NaN, rme: NaN, cv: NaN };
  }
  const m = mean(sorted);
  const s = sd(sorted);
  const med = quantileSorted(sorted, 0.5);
  const dev = sorted.map((x) => Math.abs(x - med)).sort((a, b) => a - b);
  const sem = n > 1 ? s / Math.sqrt(n) : 0;
  const rme = n > 1 && m !== 0 ? ((tCritical95(n - 1) * sem) / Math.abs(m)) * 100 : 0;
  return {
    n,
    min: sorted[0]!,
    max: sorted[n - 1]!,
    mean: m,
    median: med,
    p25: quantileSorted(sorted, 0.25),
    p75: quantileSorted(sorted, 0.75),
    sd: s,
    mad: quantileSorted(dev, 0.5),
    rme,
    cv: m !== 0 ? s / Math.abs(m) : 0,
  };
}

/** Relative spread of a set of repeat figures: (max - min) / median, as a fraction. */
export function relativeSpread(samples: readonly number[]): number {
  const xs = sortedCopy(samples);
  if (xs.length < 2) return 0;
  const med = quantileSorted(xs, 0.5);
  return med === 0 ? 0 : (xs[xs.length - 1]! - xs[0]!) / Math.abs(med);
}

export interface Interval {
  low: number;
  high: number;
  /** Confidence level as a fraction, e.g. 0.95. */
  confidence: number;
}

/**
 * Percentile-bootstrap confidence interval of a statistic (the median by default).
 * Seeded, so the same samples always give the same interval.
 */
export function bootstrapCI(
  samples: readonly number[],
  options: { statistic?: (xs: readonly number[]) => number; iterations?: number; confidence?: number; seed?: number } = {},
): Interval {
  const xs = finite(samples);
  const confidence = options.confidence ?? 0.95;
  if (xs.length === 0) return { low: NaN, high: NaN, confidence };
  const stat = options.statistic ?? median;
  const iterations = options.iterations ?? 1000;
  const rng = createRng(options.seed ?? 0x5eed);
  const estimates: number[] = new Array<number>(iterations);
  const resample = new Array<number>(xs.length);
  for (let i = 0; i < iterations; i++) {
    for (let j = 0; j < xs.length; j++) resample[j] = xs[Math.floor(rng() * xs.length)]!;
    estimates[i] = stat(resample);
  }
  estimates.sort((a, b) => a - b);
  const alpha = (1 - confidence) / 2;
  return { low: quantileSorted(estimates, alpha), high: quantileSorted(estimates, 1 - alpha), confidence };
}

/**
 * Distribution-free confidence interval of the median from order statistics (the binomial approximation
 * of Hahn and Meeker): no resampling, no assumption of normality, O(n log n). With fewer than 6 samples
 * the interval is the whole range.
 */
export function medianCI(samples: readonly number[], confidence = 0.95): Interval {
  const xs = sortedCopy(samples);
  const n = xs.length;
  if (n === 0) return { low: NaN, high: NaN, confidence };
  // z for the two-sided level; 1.96 at 95%. Inverse normal by bisection on normalCdf (rarely called).
  let lo = 0;
  let hi = 10;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < 0.5 + confidence / 2) lo = mid;
    else hi = mid;
  }
  const half = (lo * Math.sqrt(n)) / 2;
  const j = Math.max(0, Math.floor(n / 2 - half) - 1);
  const k = Math.min(n - 1, Math.ceil(n / 2 + half));
  return { low: xs[j]!, high: xs[k]!, confidence };
}

export { mannWhitney, type RankTest } from './mann-whitney.js';
export { normalCdf } from './normal.js';
