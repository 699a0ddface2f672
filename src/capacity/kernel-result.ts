// A kernel's capacity from its probes: the largest n that fitted, the first that failed, the bytes per value
// each needed, and the capacity derived from them at C concurrent requests.

import type { KernelName } from '../kernels/types.js';
import type { CapacityKernelResult, CapacityProbe, DerivedCapacity } from '../results/capacity.js';

/**
 * Capacity at C concurrent requests each holding its own values (as seed 003's predict built its array per
 * request), derived from the budget bytes per value: one process, one baseline, C requests' memory.
 */
function deriveCapacity(
  budgetBytes: number,
  baselineDataBytes: number | null,
  budgetBytesPerValue: number | null,
  concurrency: readonly number[],
): DerivedCapacity[] {
  return concurrency.map((c) => {
    if (budgetBytesPerValue === null || baselineDataBytes === null || budgetBytesPerValue <= 0)
      return { concurrency: c, maxN: null, inputBytes: null, derived: true };
    // A tiny epsilon: at C = 1 the formula gives back max n exactly, not one value less by rounding.
    const maxN = Math.max(0, Math.floor((budgetBytes - baselineDataBytes) / (c * budgetBytesPerValue) + 1e-9));
    return { concurrency: c, maxN, inputBytes: 8 * maxN, derived: true };
  });
}

/** A kernel's result from its probes and the search's bracket. */
export function summarizeKernel(
  kernel: KernelName,
  description: string,
  probes: CapacityProbe[],
  bracket: { lo: number | null; hi: number | null; converged: boolean },
  budgetBytes: number,
  concurrency: readonly number[],
): CapacityKernelResult {
  const at = (n: number | null) => (n === null ? undefined : probes.find((p) => p.n === n));
  const ok = at(bracket.lo);
  const fail = at(bracket.hi);
  const mem = ok?.memory ?? null;
  const bytesPerValue = mem !== null && bracket.lo !== null && bracket.lo > 0 ? mem.growthRssBytes / bracket.lo : null;
  const baselineRssBytes = mem?.baselineRssBytes ?? null;
  const baselineDataBytes = mem?.baselineDataBytes ?? null;
  const budgetBytesPerValue = baselineDataBytes !== null && bracket.lo !== null && bracket.lo > 0 ? (budgetBytes - baselineDataBytes) / bracket.lo : null;
  return {
    kernel,
    description,
    probes,
    state: 'completed',
    maxN: bracket.lo,
    firstFailN: bracket.hi,
    failure: fail?.outcome ?? null,
    failureDetail: fail?.detail ?? null,
    precision: bracket.lo !== null && bracket.hi !== null ? (bracket.hi - bracket.lo) / bracket.lo : null,
    converged: bracket.converged,
    bytesPerValue,
    budgetBytesPerValue,
    baselineRssBytes,
    baselineDataBytes,
    peakRssBytes: mem?.peakRssBytes ?? null,
    derived: deriveCapacity(budgetBytes, baselineDataBytes, budgetBytesPerValue, concurrency),
    derivedCheck: null,
  };
}

/** The two n of the derived check at C: margin below and above the derived capacity. */
export function derivedCheckSizes(derivedMaxN: number, margin: number): { below: number; above: number } {
  return { below: Math.max(1, Math.floor(derivedMaxN * (1 - margin))), above: Math.max(2, Math.ceil(derivedMaxN * (1 + margin))) };
}
