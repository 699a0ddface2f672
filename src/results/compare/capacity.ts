// The capacity suite compared: per kernel, the largest n that fits the memory budget. A search brackets the
// capacity between the largest n that succeeded and the smallest that failed; two brackets that do not
// overlap are a change (the new run failed where the baseline succeeded, or the reverse), with no test needed.

import type { CapacityData, CapacityKernelResult } from '../capacity.js';
import { figure } from './figure.js';
import type { Evidence } from './significance.js';
import type { ComparisonSection, NotComparableReason } from './types.js';
import type { SectionContext } from './context.js';

type Reason = { kind: NotComparableReason; message: string };
type Completed = Extract<CapacityKernelResult, { state: 'completed' }>;

function reasonOf(k: CapacityKernelResult | undefined, where: string): Reason | undefined {
  if (k === undefined) return { kind: 'missing', message: `not measured in the ${where}` };
  if (k.state === 'unavailable') return { kind: 'missing', message: `unavailable in the ${where}: ${k.reason}` };
  if (k.state === 'errored') return { kind: 'errored', message: `errored in the ${where}: ${k.error.message}` };
  return undefined;
}

const bracket = (k: Completed) => `[${k.maxN ?? 0}, ${k.firstFailN ?? 'none failed'})`;

/** The capacity change and whether the brackets [maxN, firstFailN) of the two searches overlap. */
function bracketEvidence(a: Completed, b: Completed): Evidence | undefined {
  if (a.maxN === null || b.maxN === null || a.maxN === 0) return undefined;
  const smaller = b.firstFailN !== null && b.firstFailN <= a.maxN;
  const larger = a.firstFailN !== null && b.maxN >= a.firstFailN;
  const interval = a.firstFailN === null || b.firstFailN === null ? null : { low: b.maxN / a.firstFailN - 1, high: b.firstFailN / a.maxN - 1, confidence: 1 };
  return {
    base: a.maxN,
    new: b.maxN,
    change: b.maxN / a.maxN - 1,
    interval,
    test: {
      method: 'bracket',
      samples: `search brackets ${bracket(a)} vs ${bracket(b)}`,
      sampleCounts: [a.probes.length, b.probes.length],
      p: null,
      significant: smaller || larger,
    },
  };
}

function settingsReason(a: CapacityData, b: CapacityData): Reason | undefined {
  const diffs: string[] = [];
  if (a.settings.budgetBytes !== b.settings.budgetBytes) diffs.push(`budget ${a.settings.budgetBytes} vs ${b.settings.budgetBytes} bytes`);
  const ma = a.mechanism;
  const mb = b.mechanism;
  if (ma !== null && mb !== null && ma.v8MaxOldSpaceMiB !== mb.v8MaxOldSpaceMiB)
    diffs.push(`V8 old space ${ma.v8MaxOldSpaceMiB} vs ${mb.v8MaxOldSpaceMiB} MiB`);
  if ((ma === null) !== (mb === null)) diffs.push('memory limit enforced on one side only');
  return diffs.length === 0 ? undefined : { kind: 'different-settings', message: `different settings (${diffs.join(', ')})` };
}

/** Every kernel's capacity (max n under the budget) of the two runs. */
export function compareCapacity(base: CapacityData, next: CapacityData, ctx: SectionContext): ComparisonSection {
  const a = new Map(base.kernels.map((k) => [k.kernel, k]));
  const b = new Map(next.kernels.map((k) => [k.kernel, k]));
  const settings = settingsReason(base, next);
  const figures = [...new Set([...a.keys(), ...b.keys()])].map((kernel) => {
    const ka = a.get(kernel);
    const kb = b.get(kernel);
    const reasons = [...ctx.hostReasons, ...(settings === undefined ? [] : [settings])];
    for (const r of [reasonOf(ka, 'baseline'), reasonOf(kb, 'new run')]) if (r !== undefined) reasons.push(r);
    const ca = ka?.state === 'completed' ? ka : undefined;
    const cb = kb?.state === 'completed' ? kb : undefined;
    const evidence = ca !== undefined && cb !== undefined ? bracketEvidence(ca, cb) : undefined;
    if (ca !== undefined && cb !== undefined && evidence === undefined)
      reasons.push({ kind: 'invalid-run', message: 'no n fitted the budget in one of the runs' });
    const notes = [ca, cb].some((k) => k !== undefined && !k.converged) ? ['a search did not converge: its bracket is wide'] : [];
    const spec = { subject: kernel, metric: 'maxN', unit: 'values', better: 'higher' as const, speed: false, base: ca?.maxN ?? null, new: cb?.maxN ?? null };
    return figure(spec, evidence, { minimum: ctx.options.noiseFloor }, reasons, notes);
  });
  const notes = base.quick !== next.quick ? [`quick: ${base.quick} vs ${next.quick}`] : [];
  return { suite: 'capacity', figures, notes };
}
