// The Mann-Whitney U test: do two sets of repeats differ? No assumption of normality. With few repeats (the
// usual case here: 2 to 10 a side) the p-value is exact, by enumerating every way the pooled values could
// have been split between the two samples; the normal approximation is used only for large samples.

import { normalCdf } from './normal.js';

/** At most this many splits are enumerated (C(20, 10) = 184,756: ten repeats a side). */
const MAX_EXACT_SPLITS = 200_000;

export interface RankTest {
  /** Mann-Whitney U of the first sample. */
  u: number;
  /** Two-sided p-value. */
  p: number;
  /** Probability that a value of a exceeds one of b, ties counting half (common-language effect size). */
  effect: number;
  /** How p was found: exact enumeration, or the normal approximation with tie correction. */
  method: 'exact' | 'normal';
}

function finite(samples: readonly number[]): number[] {
  return samples.filter((x) => Number.isFinite(x));
}

/** Mid-ranks (1-based, ties share their average rank) of the values, and the tie term sum(t^3 - t). */
function midRanks(values: readonly number[]): { ranks: number[]; tieTerm: number } {
  const order = values.map((v, i) => ({ v, i })).sort((p, q) => p.v - q.v);
  const ranks = new Array<number>(values.length);
  let tieTerm = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]!.v === order[i]!.v) j++;
    for (let k = i; k <= j; k++) ranks[order[k]!.i] = (i + j + 2) / 2;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  return { ranks, tieTerm };
}

function choose(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

/** Every split of the pooled ranks into n1 and the rest: the share whose |U - mu| reaches the observed one. */
function exactP(ranks: readonly number[], n1: number, uObserved: number): number {
  const n = ranks.length;
  const mu = (n1 * (n - n1)) / 2;
  const observed = Math.abs(uObserved - mu) - 1e-9;
  let extreme = 0;
  let total = 0;
  const walk = (start: number, left: number, rankSum: number): void => {
    if (left === 0) {
      total++;
      if (Math.abs(rankSum - (n1 * (n1 + 1)) / 2 - mu) >= observed) extreme++;
      return;
    }
    for (let i = start; i <= n - left; i++) walk(i + 1, left - 1, rankSum + ranks[i]!);
  };
  walk(0, n1, 0);
  return extreme / total;
}

function normalP(u: number, n1: number, n2: number, tieTerm: number): number {
  const n = n1 + n2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  const z = sigma === 0 ? 0 : (u - (n1 * n2) / 2) / sigma;
  return Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));
}

/**
 * Mann-Whitney U test of two samples (non-finite values are left out). Exact two-sided p when the splits
 * to enumerate are few enough (up to ten repeats a side), e.g. 3 vs 3 fully separated gives p = 0.1 and
 * 5 vs 5 gives p = 0.0079; otherwise the normal approximation with tie correction.
 */
export function mannWhitney(a: readonly number[], b: readonly number[]): RankTest {
  const xs = finite(a);
  const ys = finite(b);
  const n1 = xs.length;
  const n2 = ys.length;
  if (n1 === 0 || n2 === 0) return { u: Number.NaN, p: Number.NaN, effect: Number.NaN, method: 'exact' };
  const { ranks, tieTerm } = midRanks([...xs, ...ys]);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i]!;
  const u = r1 - (n1 * (n1 + 1)) / 2;
  const effect = u / (n1 * n2);
  if (choose(n1 + n2, n1) <= MAX_EXACT_SPLITS) return { u, p: exactP(ranks, n1, u), effect, method: 'exact' };
  return { u, p: normalP(u, n1, n2, tieTerm), effect, method: 'normal' };
}
