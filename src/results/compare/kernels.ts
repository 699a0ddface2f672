// The kernels suite compared: figures paired by (kernel, n); the samples are the per-process medians of ns
// per call (each a fresh process, so their spread is the JIT and placement noise), and that spread is the
// noise floor.

import type { KernelEntry, KernelsData, KernelsSettings } from '../kernels.js';
import { type Floor, figure, pct } from './figure.js';
import { compareSamples, measuredSpread } from './significance.js';
import type { ComparisonSection, FigureComparison, NotComparableReason } from './types.js';
import type { SectionContext } from './context.js';

type Reason = { kind: NotComparableReason; message: string };

/** The settings that change how a figure is measured (more processes only add repeats). */
const MEASUREMENT_SETTINGS = ['timePerKernelMs', 'warmupMs', 'minSamples', 'targetSampleNs', 'seed'] as const satisfies readonly (keyof KernelsSettings)[];

function settingsReason(a: KernelsSettings, b: KernelsSettings): Reason | undefined {
  const diffs = MEASUREMENT_SETTINGS.filter((k) => a[k] !== b[k]).map((k) => `${k} ${a[k]} vs ${b[k]}`);
  return diffs.length === 0 ? undefined : { kind: 'different-settings', message: `different settings (${diffs.join(', ')})` };
}

const keyOf = (e: { kernel: string; n: number }) => `${e.kernel}@${e.n}`;

/** `native@1e6`-style subject: n in exponent form for powers of ten from 1000, as the tables write it. */
export function kernelSubject(kernel: string, n: number): string {
  const exp = Math.round(Math.log10(n));
  return `${kernel}@${n >= 1000 && 10 ** exp === n ? `1e${exp}` : n}`;
}

function entryReason(e: KernelEntry | undefined, side: string): Reason | undefined {
  if (e === undefined) return { kind: 'missing', message: `not measured in the ${side}` };
  if (e.state === 'errored') return { kind: 'errored', message: `errored in the ${side}: ${e.error.message}` };
  if (e.state === 'skipped') return { kind: 'missing', message: `skipped in the ${side}: ${e.reason}` };
  return undefined;
}

function samplesOf(e: KernelEntry | undefined): number[] {
  return e?.state === 'completed' ? e.perProcess.map((p) => p.nsPerCall) : [];
}

function compareEntry(a: KernelEntry | undefined, b: KernelEntry | undefined, shared: Reason[], ctx: SectionContext): FigureComparison {
  const id = (a ?? b)!;
  const spec = {
    subject: kernelSubject(id.kernel, id.n),
    metric: 'nsPerCall',
    unit: 'ns',
    better: 'lower' as const,
    speed: true,
    base: a?.state === 'completed' ? a.nsPerCall : null,
    new: b?.state === 'completed' ? b.nsPerCall : null,
  };
  const reasons = [...shared, ...[entryReason(a, 'baseline'), entryReason(b, 'new run')].filter((r): r is Reason => r !== undefined)];
  const sa = samplesOf(a);
  const sb = samplesOf(b);
  const evidence = compareSamples(sa, sb, ctx.options.significance, ctx.options.seed, 'per-process medians');
  if (evidence === undefined && a?.state === 'completed' && b?.state === 'completed') {
    reasons.push({ kind: 'too-few-repeats', message: `too few repeats (${sa.length} vs ${sb.length} processes; two a side at least)` });
  }
  const spread = Math.max(measuredSpread(sa), measuredSpread(sb));
  const floor: Floor = { minimum: ctx.options.noiseFloor, measured: { spread, source: `per-process spread ${pct(spread)}` } };
  const notes = [a, b].some((e) => e?.state === 'completed' && e.noisy) ? ['flagged noisy in its run'] : [];
  return figure(spec, evidence, floor, reasons, notes);
}

/** Pair every (kernel, n) of the two runs, in the baseline's order, then those only the new run has. */
export function compareKernels(base: KernelsData, next: KernelsData, ctx: SectionContext): ComparisonSection {
  const shared: Reason[] = [...ctx.hostReasons];
  const settings = settingsReason(base.settings, next.settings);
  if (settings !== undefined) shared.push(settings);
  const a = new Map(base.entries.map((e) => [keyOf(e), e]));
  const b = new Map(next.entries.map((e) => [keyOf(e), e]));
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  const notes: string[] = [];
  if (base.interrupted || next.interrupted) notes.push(`interrupted run (${base.interrupted ? 'baseline' : 'new'}): only what finished is compared`);
  if (base.settings.processesPerCase !== next.settings.processesPerCase) {
    notes.push(`processes per case: ${base.settings.processesPerCase} vs ${next.settings.processesPerCase}`);
  }
  return { suite: 'kernels', figures: keys.map((k) => compareEntry(a.get(k), b.get(k), shared, ctx)), notes };
}
