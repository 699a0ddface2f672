// The data a comparison of two results files is: plain, serializable objects (what `compare --format json`
// prints), so renderers and CI tools read one shape. Changes are fractions (new / base - 1), never percent.

import type { ResultKind } from '../vocab.js';

/**
 * What the figures say about one compared figure:
 * - faster / slower: a speed figure (latency, throughput, ns per call) changed beyond the noise, significantly;
 * - larger / smaller: an amount that is not a speed (capacity's max n, a profile group's share) did;
 * - no-significant-change: the test did not reject "no change", or the change is within the noise floor;
 * - not-comparable: the two figures cannot be compared (see `reasons`).
 */
export const VERDICTS = ['faster', 'slower', 'larger', 'smaller', 'no-significant-change', 'not-comparable'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** Why two figures cannot be compared. */
export const NOT_COMPARABLE_REASONS = ['different-host', 'different-settings', 'too-few-repeats', 'invalid-run', 'errored', 'missing'] as const;
export type NotComparableReason = (typeof NOT_COMPARABLE_REASONS)[number];

/** Which way a figure improves: 'neither' for figures that are neither better nor worse when they move. */
export type Better = 'higher' | 'lower' | 'neither';

/** How significance was decided, and on what. */
export interface SignificanceTest {
  /**
   * 'mann-whitney-exact' / 'mann-whitney-normal' on the samples; 'bootstrap-ratio' (the percentile bootstrap
   * CI of the ratio of medians excludes 1) when the exact test cannot reach the level with so few samples;
   * 'quantile-intervals' (the order-statistic intervals of a percentile of the pooled histograms do not
   * overlap); 'bracket' (capacity: the searches' [max n, first failing n) brackets do not overlap);
   * 'two-proportions' (a profile group's share, z test on the sample counts).
   */
  method: 'mann-whitney-exact' | 'mann-whitney-normal' | 'bootstrap-ratio' | 'quantile-intervals' | 'bracket' | 'two-proportions';
  /** What the samples are, e.g. '3 vs 3 per-process medians', '15 vs 15 per-second rps (3 repeats pooled)'. */
  samples: string;
  sampleCounts: [number, number];
  /** Two-sided p-value, when the method gives one. */
  p: number | null;
  significant: boolean;
}

/** One figure of the baseline beside the same figure of the new run. */
export interface FigureComparison {
  /** What the figure belongs to, e.g. 'native@1e6', 'async/single/io sustained c=64', 'sync-io-0x scoring'. */
  subject: string;
  /** e.g. 'nsPerCall', 'rps', 'p50', 'p99', 'maxN', 'share:app'. */
  metric: string;
  unit: string;
  better: Better;
  base: number | null;
  new: number | null;
  /**
   * new / base - 1 (a fraction); for shares the difference in fraction points (new - base). null when a side
   * is missing.
   */
  change: number | null;
  /** Whether `change` is a relative change or a difference of fractions (shares). */
  changeKind: 'relative' | 'points';
  /** Confidence interval of the change, same kind as `change` (null when it cannot be had). */
  interval: { low: number; high: number; confidence: number } | null;
  test: SignificanceTest | null;
  /**
   * The change up to which no verdict is faster or slower: the larger of --noise-floor and the measured
   * spread. A relative change is held to it as the larger figure over the smaller, minus 1 (so -50% and
   * +100% go equally far); a difference of shares as it is.
   */
  noiseFloor: number | null;
  /** Where the measured part of the noise floor comes from, e.g. 'per-second rps spread 8%'. */
  noiseSource: string | null;
  verdict: Verdict;
  /** What the figures alone would say when the verdict is not-comparable (e.g. because the host changed). */
  figuresSay?: Verdict;
  /** A significant change in the worse direction (slower, or smaller capacity). */
  regression: boolean;
  reasons: { kind: NotComparableReason; message: string }[];
  /** Caveats that do not stop the comparison (an invalid repeat left out, a missing histogram...). */
  notes: string[];
}

/** One suite's figures, as a section of the comparison. */
export interface ComparisonSection {
  suite: 'kernels' | 'load' | 'experiments' | 'capacity' | 'profile';
  figures: FigureComparison[];
  /** Differences of settings or content worth knowing before reading the figures. */
  notes: string[];
}

/** A difference of the two runs' environments. */
export interface EnvDifference {
  /** e.g. 'CPU model', 'logical cores', 'kernel', 'Node', 'native build', 'noise check'. */
  fact: string;
  base: string;
  new: string;
  /** True when it means another host: every verdict then says not comparable. */
  hostChange: boolean;
}

export interface CompareOptions {
  /** The two-sided significance level of the tests. @default 0.05 */
  significance: number;
  /** Changes at or below this fraction are never called faster or slower, whatever the test says. @default 0.02 */
  noiseFloor: number;
  /** Seed of the bootstrap resampling (results are reproducible). @default 0x5eed */
  seed: number;
}

export const DEFAULT_COMPARE_OPTIONS: CompareOptions = { significance: 0.05, noiseFloor: 0.02, seed: 0x5eed };

/** Which file a side of the comparison is. */
export interface ComparedRun {
  /** The path given, when the comparison was made from files. */
  file?: string;
  kind: ResultKind;
  createdAt: string;
  hostname: string;
  gitCommit?: string;
}

export interface Comparison {
  base: ComparedRun;
  new: ComparedRun;
  options: CompareOptions;
  /** Differences of environment, listed first by every renderer. */
  environment: EnvDifference[];
  /** False when the CPU, the cores or the memory differ: every figure is then not comparable. */
  sameHost: boolean;
  sections: ComparisonSection[];
  /** Figures by verdict, over every section. */
  counts: Record<Verdict, number>;
}
