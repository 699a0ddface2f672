// Checking thresholds against a load, kernels or bench result: per threshold, every figure it applied to,
// the measured value and whether it passed. Load percentiles come from the pooled histograms of a step's
// valid repeats; rps is the median of the repeats; errors the pooled failure share. Unscoped load thresholds
// skip the scenarios that overload on purpose (ramp, stress) and the experiments: a scope names them.

import type { BenchData } from '../bench.js';
import type { ResultEnvelope, ResultKind } from '../envelope.js';
import { pooledLatency } from '../histogram.js';
import type { KernelsData } from '../kernels.js';
import type { LoadData, LoadRun } from '../load.js';
import { median } from '../../stats/index.js';
import { kernelSubject } from './kernels.js';
import { meets, type Threshold } from './thresholds.js';

/** One figure a threshold applied to. */
export interface ThresholdCheck {
  /** e.g. 'async/single/io sustained c=64', 'native@1e6', or a goal's id. */
  subject: string;
  /** In the threshold's unit; null when the figure was not measured (then it neither passes nor fails). */
  value: number | null;
  passed: boolean | null;
  note?: string;
}

export interface ThresholdVerdict {
  expression: string;
  threshold: Threshold;
  /** False when a check failed, or when nothing in the result could be checked. */
  passed: boolean;
  checks: ThresholdCheck[];
  /** Why it failed without a failing check (no figure in scope), or what was left out. */
  note?: string;
}

type CompletedRun = Extract<LoadRun, { state: 'completed' }>;
type MetricThreshold = Extract<Threshold, { kind: 'metric' }>;

/** Scenarios an unscoped load threshold applies to: those that do not overload the service on purpose. */
const UNSCOPED_SCENARIOS: readonly string[] = ['response-time', 'sustained', 'request-paths'];

function loadSections(r: ResultEnvelope<ResultKind, unknown>): LoadData[] {
  if (r.kind === 'load') return [r.data as LoadData];
  if (r.kind !== 'bench') return [];
  const s = (r.data as BenchData).sections;
  return [s.load, s.experiments].filter((d): d is LoadData => d !== undefined);
}

function kernelsSection(r: ResultEnvelope<ResultKind, unknown>): KernelsData | undefined {
  if (r.kind === 'kernels') return r.data as KernelsData;
  return r.kind === 'bench' ? (r.data as BenchData).sections.kernels : undefined;
}

const escapeRegExp = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** Whether a run's `configId/scenario/step` contains the scope's segments in a row ('*' is any one). */
function inScope(r: LoadRun, scope: readonly string[] | undefined): boolean {
  if (scope === undefined) return UNSCOPED_SCENARIOS.includes(r.scenario);
  const id = `${r.configId}/${r.scenario}/${r.step.label}`;
  const pattern = scope.map((s) => (s === '*' ? '[^/]+' : escapeRegExp(s))).join('/');
  return new RegExp(`(^|/)${pattern}(/|$)`).test(id);
}

/** A step's figure over its repeats (the valid ones; every completed one when none is valid). */
function stepValue(runs: CompletedRun[], t: MetricThreshold): { value: number | null; note?: string } {
  const valid = runs.filter((r) => r.valid);
  const basis = valid.length > 0 ? valid : runs;
  const note = valid.length === 0 ? 'from invalid runs' : undefined;
  const withNote = (value: number | null, extra?: string) => {
    const text = [note, extra].filter((x) => x !== undefined).join('; ');
    return text === '' ? { value } : { value, note: text };
  };
  if (t.metric === 'rps') return withNote(median(basis.map((r) => r.rps)));
  if (t.metric === 'errors') {
    const failed = basis.reduce((s, r) => s + r.failures.total, 0);
    const attempted = basis.reduce((s, r) => s + r.failures.total + r.requests.successes, 0);
    return withNote(attempted === 0 ? null : failed / attempted);
  }
  const key = t.metric as 'p50' | 'p90' | 'p99' | 'p999';
  const hists = basis.map((r) => r.latencyHistogramUs);
  if (hists.every((h): h is string => h !== undefined)) return withNote(pooledLatency(hists)?.[key] ?? null);
  // No histogram (autocannon worker mode): the worst repeat, which a bound from above cannot understate.
  return withNote(Math.max(...basis.map((r) => r.latencyUs[key])), 'worst repeat (no histogram to pool)');
}

function loadChecks(sections: LoadData[], t: MetricThreshold): ThresholdCheck[] {
  const checks: ThresholdCheck[] = [];
  for (const d of sections) {
    const steps = new Map<string, LoadRun[]>();
    for (const r of d.runs)
      if (inScope(r, t.loadScope))
        steps.set(`${r.configId} ${r.scenario} ${r.step.label}`, [...(steps.get(`${r.configId} ${r.scenario} ${r.step.label}`) ?? []), r]);
    for (const [subject, runs] of steps) {
      const completed = runs.filter((r): r is CompletedRun => r.state === 'completed');
      if (completed.length === 0) {
        checks.push({ subject, value: null, passed: null, note: 'not measured (errored or skipped)' });
        continue;
      }
      const { value, note } = stepValue(completed, t);
      checks.push({ subject, value, passed: value === null ? null : meets(value, t.op, t.value), ...(note === undefined ? {} : { note }) });
    }
  }
  return checks;
}

function kernelChecks(data: KernelsData | undefined, t: MetricThreshold): ThresholdCheck[] {
  if (data === undefined) return [];
  const scope = t.kernelScope;
  const entries = data.entries.filter((e) =>
    scope === undefined ? true : (scope.kernel === '*' || scope.kernel === e.kernel) && (scope.n === undefined || scope.n === e.n),
  );
  return entries.map((e) => {
    const subject = kernelSubject(e.kernel, e.n);
    if (e.state !== 'completed')
      return { subject, value: null, passed: null, note: e.state === 'errored' ? `errored: ${e.error.message}` : `skipped: ${e.reason}` };
    const value = t.metric === 'gbPerSec' ? e.gbPerSec : e.nsPerCall;
    return { subject, value, passed: meets(value, t.op, t.value), ...(e.noisy ? { note: 'noisy' } : {}) };
  });
}

function goalChecks(r: ResultEnvelope<ResultKind, unknown>): ThresholdCheck[] {
  const checks: ThresholdCheck[] = [];
  for (const g of kernelsSection(r)?.goals ?? []) {
    const passed = g.state === 'not-measured' ? null : g.state === 'met';
    checks.push({ subject: `${g.id}: ${g.description}`, value: g.value, passed, ...(g.noisy ? { note: 'noisy' } : {}) });
  }
  for (const d of loadSections(r)) {
    for (const g of d.goals)
      checks.push({ subject: `${g.id}: ${g.description}`, value: g.measured?.median ?? null, passed: g.met, note: `target ${g.target}` });
  }
  return checks;
}

function verdict(t: Threshold, checks: ThresholdCheck[], what: string): ThresholdVerdict {
  const checked = checks.filter((c) => c.passed !== null);
  if (checked.length === 0)
    return { expression: t.expression, threshold: t, passed: false, checks, note: `nothing to check: no ${what} measured in this result` };
  return { expression: t.expression, threshold: t, passed: checked.every((c) => c.passed === true), checks };
}

/** Check every threshold against a results envelope (load, kernels or bench). */
export function checkThresholds(result: ResultEnvelope<ResultKind, unknown>, thresholds: readonly Threshold[]): ThresholdVerdict[] {
  return thresholds.map((t) => {
    if (t.kind === 'goals') return verdict(t, goalChecks(result), 'goal');
    if (t.suite === 'kernels') return verdict(t, kernelChecks(kernelsSection(result), t), `kernel figure${t.kernelScope ? ` in scope` : ''}`);
    const scoped = t.loadScope === undefined ? ' (unscoped: ramp, stress and experiments left out)' : ` in scope ${t.loadScope.join('/')}`;
    return verdict(t, loadChecks(loadSections(result), t), `load step${scoped}`);
  });
}

/** Whether every threshold passed. */
export function thresholdsPassed(verdicts: readonly ThresholdVerdict[]): boolean {
  return verdicts.every((v) => v.passed);
}
