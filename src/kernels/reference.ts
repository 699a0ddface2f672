// The reference mean every kernel is checked against: Neumaier's compensated summation, whose error does
// not grow with n, plus the tolerance a kernel's result must meet.
//
// Results of every kernel and of the reference (docs/kernels.md):
// - n = 0 gives NaN (0 / 0);
// - any NaN gives NaN;
// - +Infinity (without -Infinity) gives +Infinity, -Infinity likewise; both together give NaN;
// - a sum of finite values that overflows gives +-Infinity or NaN, depending on the order of the adds.

/** Unit roundoff of a double: 2^-53. */
export const UNIT_ROUNDOFF = 2 ** -53;

/**
 * Mean by Neumaier's compensated summation (Kahan-Babuska). Exact to about one rounding of the result for
 * any n, unlike a plain loop, whose error can grow with n.
 */
export function referenceMean(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  let s = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    const t = s + x;
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    s = t;
  }
  // With NaN, an infinity or an overflow, s follows IEEE rules but c is NaN (Inf - Inf): return s.
  if (!Number.isFinite(s)) return s / n;
  return (s + c) / n;
}

/**
 * The largest |kernel - reference| allowed for a mean of `values`: (n + 2) * 2^-53 * mean(|x|).
 *
 * Every summation order (a plain loop, independent accumulators, chunks summed on threads) has an error of
 * at most (n - 1) * 2^-53 * sum(|x|) (Higham, Accuracy and Stability of Numerical Algorithms, 4.2), and the
 * division adds one more rounding, so this bound is rigorous for every kernel. It is relative to the mean
 * of |x|, not to the mean itself, because with cancelling inputs the mean can be ~0 while the rounding
 * errors of the adds are not. In practice kernels land far inside it (about sqrt(n) * 2^-53 * mean(|x|)).
 */
export function parityTolerance(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return 0;
  let abs = 0;
  for (let i = 0; i < n; i++) abs += Math.abs(values[i]!);
  return (n + 2) * UNIT_ROUNDOFF * (abs / n);
}

/** Whether a kernel's result agrees with the reference: same NaN/Infinity outcome, or within the tolerance. */
export function agreesWithReference(result: number, reference: number, tolerance: number): boolean {
  if (Number.isNaN(reference)) return Number.isNaN(result);
  if (!Number.isFinite(reference)) return result === reference;
  return Number.isFinite(result) && Math.abs(result - reference) <= tolerance;
}
