// Result aggregation: each configuration's step summarised over its interleaved repeats with src/stats
// (median and spread of the valid repeats), ratios of configurations paired within a round, the speed
// goals of issues 3 and 4 beside the real figures, and flags for everything doubtful.

import { median, relativeSpread } from '../stats/index.js';
import type { Flag, Spread } from '../results/common.js';
import type { LoadComparison, LoadGoal, LoadRun, LoadSummary, ScenarioName } from '../results/load.js';
import type { RequestPathsScenario } from './scenario-types.js';

export type CompletedRun = Extract<LoadRun, { state: 'completed' }>;
export const isCompleted = (r: LoadRun): r is CompletedRun => r.state === 'completed';

/** Median, min, max and relative spread of repeat figures, with their unit. */
export function spreadOf(values: readonly number[], unit: string): Spread {
  const xs = values.filter((v) => Number.isFinite(v));
  if (xs.length === 0) return { unit, median: Number.NaN, min: Number.NaN, max: Number.NaN, relativeSpread: 0, repeats: 0 };
  return {
    unit,
    median: round(median(xs)),
    min: round(Math.min(...xs)),
    max: round(Math.max(...xs)),
    relativeSpread: round(relativeSpread(xs)),
    repeats: xs.length,
  };
}

function round(x: number): number {
  return Math.abs(x) >= 100 ? Math.round(x * 10) / 10 : Math.round(x * 10000) / 10000;
}

export function failureRateOf(r: CompletedRun): number {
  const attempted = r.requests.successes + r.failures.total;
  return attempted === 0 ? 0 : r.failures.total / attempted;
}

/** One summary per (configuration, scenario, step label), in first-run order. */
export function summarise(runs: readonly LoadRun[]): LoadSummary[] {
  const groups = new Map<string, LoadRun[]>();
  for (const r of runs) {
    const key = `${r.configId}\u0000${r.scenario}\u0000${r.step.label}`;
    const g = groups.get(key) ?? [];
    g.push(r);
    groups.set(key, g);
  }
  const out: LoadSummary[] = [];
  for (const g of groups.values()) {
    const first = g[0]!;
    const completed = g.filter(isCompleted);
    const valid = completed.filter((r) => r.valid);
    const basis = valid.length > 0 ? valid : completed;
    const s: LoadSummary = {
      configId: first.configId,
      scenario: first.scenario,
      step: first.step.label,
      repeats: g.length,
      validRepeats: valid.length,
      fromInvalid: valid.length === 0 && completed.length > 0,
      rps: spreadOf(
        basis.map((r) => r.rps),
        'requests/s',
      ),
      latencyP50Us: spreadOf(
        basis.map((r) => r.latencyUs.p50),
        'us',
      ),
      latencyP99Us: spreadOf(
        basis.map((r) => r.latencyUs.p99),
        'us',
      ),
      failureRate: spreadOf(basis.map(failureRateOf), 'fraction'),
      generatorCpuCores: spreadOf(
        basis.map((r) => r.generator.cpuCores),
        'cores',
      ),
    };
    const ll = basis.flatMap((r) => (r.littlesLaw === undefined ? [] : [r.littlesLaw.ratio]));
    if (ll.length > 0) s.littlesLawRatio = spreadOf(ll, 'measured/expected');
    out.push(s);
  }
  return out;
}

/** Runs of one configuration's step, by repeat. */
function byRepeat(runs: readonly LoadRun[], configId: string, scenario: ScenarioName, step: string): Map<number, LoadRun> {
  const m = new Map<number, LoadRun>();
  for (const r of runs) if (r.configId === configId && r.scenario === scenario && r.step.label === step) m.set(r.repeat, r);
  return m;
}

/**
 * rps of `numerator` over rps of `denominator`, paired within each round (both measured minutes apart on
 * the same machine state), over the rounds where both runs are valid.
 */
export function compare(
  runs: readonly LoadRun[],
  id: string,
  description: string,
  num: { configId: string; scenario: ScenarioName; step: string },
  den: { configId: string; scenario: ScenarioName; step: string },
  target: LoadComparison['target'],
): LoadComparison {
  const a = byRepeat(runs, num.configId, num.scenario, num.step);
  const b = byRepeat(runs, den.configId, den.scenario, den.step);
  const ratios: number[] = [];
  let skipped = 0;
  for (const [repeat, ra] of a) {
    const rb = b.get(repeat);
    if (rb === undefined) continue;
    if (!isCompleted(ra) || !isCompleted(rb) || !ra.valid || !rb.valid || rb.rps <= 0) {
      skipped++;
      continue;
    }
    ratios.push(ra.rps / rb.rps);
  }
  const ratio = spreadOf(ratios, 'ratio');
  let met: boolean | null = null;
  if (ratios.length > 0) {
    if (target.min !== undefined) met = ratio.median >= target.min;
    if (target.approx !== undefined) met = Math.abs(ratio.median / target.approx - 1) <= (target.tolerance ?? 0.1);
  }
  const name = (x: { configId: string; step: string }) => `${x.configId} ${x.step}`;
  const note =
    ratios.length === 0
      ? `no round had both runs valid (${skipped} pairs skipped)`
      : `${ratios.length} paired round(s)${skipped > 0 ? `, ${skipped} skipped because a run was invalid` : ''}`;
  return { id, description, numerator: name(num), denominator: name(den), perRepeat: ratios.map((r) => round(r)), ratio, target, met, note };
}

/** The request-paths configurations compared (their ids, the cluster's workers) and the scenario's goals. */
export interface RequestPathsIds
  extends Pick<
    RequestPathsScenario,
    'connections' | 'littleConnections' | 'asyncOverSyncMin' | 'clusterTolerance' | 'littleShareMin' | 'syncServiceTolerance'
  > {
  syncSingle: string;
  asyncSingle: string;
  syncCluster: string;
  workers: number;
}

/** Issue 3's ratios and issue 4's Little's-law goals from the request-paths runs. */
export function requestPathsVerdicts(runs: readonly LoadRun[], ids: RequestPathsIds): { comparisons: LoadComparison[]; goals: LoadGoal[] } {
  const at = (configId: string, c: number) => ({ configId, scenario: 'request-paths' as const, step: `c=${c}` });
  const asyncVsSync = compare(
    runs,
    'async-vs-sync-single',
    `io predict, ${ids.connections} connections: async single process / sync single process (issue 3: >= ${ids.asyncOverSyncMin}x)`,
    at(ids.asyncSingle, ids.connections),
    at(ids.syncSingle, ids.connections),
    { min: ids.asyncOverSyncMin },
  );
  const clusterVsSingle = compare(
    runs,
    'sync-cluster-vs-single',
    `io predict, ${ids.connections} connections: sync cluster of ${ids.workers} workers / sync single process (issue 3: about ${ids.workers}x)`,
    at(ids.syncCluster, ids.connections),
    at(ids.syncSingle, ids.connections),
    { approx: ids.workers, tolerance: ids.clusterTolerance },
  );
  const comparisons = [asyncVsSync, clusterVsSingle];
  const goals: LoadGoal[] = [
    {
      id: 'issue3-async-over-sync',
      description: asyncVsSync.description,
      measured: asyncVsSync.perRepeat.length > 0 ? asyncVsSync.ratio : null,
      target: `>= ${ids.asyncOverSyncMin}x`,
      met: asyncVsSync.met,
      detail: asyncVsSync.note,
    },
    {
      id: 'issue3-cluster-over-single',
      description: clusterVsSingle.description,
      measured: clusterVsSingle.perRepeat.length > 0 ? clusterVsSingle.ratio : null,
      target: `${ids.workers}x +- ${Math.round(ids.clusterTolerance * 100)}%`,
      met: clusterVsSingle.met,
      detail: clusterVsSingle.note,
    },
  ];

  // Issue 4: async single at littleConnections vs concurrency / (one-connection mean latency).
  const little = [...byRepeat(runs, ids.asyncSingle, 'request-paths', `c=${ids.littleConnections}`).values()]
    .filter(isCompleted)
    .filter((r) => r.valid && r.littlesLaw !== undefined);
  const littleSpread = spreadOf(
    little.map((r) => r.littlesLaw!.ratio),
    'measured/expected',
  );
  goals.push({
    id: 'issue4-async-littles-law',
    description:
      `io predict, ${ids.littleConnections} connections, one async process: throughput / Little's-law expectation ` +
      `(issue 4: >= ${Math.round(ids.littleShareMin * 100)}%)`,
    measured: little.length > 0 ? littleSpread : null,
    target: `>= ${ids.littleShareMin}`,
    met: little.length > 0 ? littleSpread.median >= ids.littleShareMin : null,
    detail:
      little.length > 0
        ? `median ${littleSpread.median} over ${little.length} valid repeat(s); ` +
          `expected ${little.map((r) => r.littlesLaw!.expectedRps).join(', ')} rps, measured ${little.map((r) => r.rps).join(', ')} rps`
        : 'no valid run',
  });

  // Issue 4: sync single throughput vs 1 / service time (the one-connection mean latency of the same round).
  const base = byRepeat(runs, ids.syncSingle, 'request-paths', 'c=1');
  const loaded = byRepeat(runs, ids.syncSingle, 'request-paths', `c=${ids.connections}`);
  const ratios: number[] = [];
  const serverSide: number[] = [];
  for (const [repeat, r] of loaded) {
    const b = base.get(repeat);
    if (b === undefined || !isCompleted(b) || !isCompleted(r) || !r.valid || !b.valid || b.latencyUs.mean <= 0) continue;
    ratios.push(r.rps / (1e6 / b.latencyUs.mean));
    if (r.serverTimingUs !== undefined && r.serverTimingUs.total > 0) serverSide.push(r.rps / (1e6 / r.serverTimingUs.total));
  }
  const syncSpread = spreadOf(ratios, 'measured/(1/service time)');
  goals.push({
    id: 'issue4-sync-service-time',
    description:
      `io predict, ${ids.connections} connections, one sync process: throughput x service time ` +
      `(1 = one request at a time, no idle; issue 4: within ${Math.round(ids.syncServiceTolerance * 100)}%)`,
    measured: ratios.length > 0 ? syncSpread : null,
    target: `1 +- ${ids.syncServiceTolerance}`,
    met: ratios.length > 0 ? Math.abs(syncSpread.median - 1) <= ids.syncServiceTolerance : null,
    detail:
      ratios.length > 0
        ? 'service time = mean latency with one connection in the same round; ' +
          `with the scoring process's own mean handling time instead: ${serverSide.length > 0 ? spreadOf(serverSide, 'ratio').median : 'n/a'}`
        : 'no valid pair of runs',
  });
  return { comparisons, goals };
}

/** Flags for the reader: invalid runs (with the rules they failed), errored runs, noisy summaries. */
export function flagsFor(runs: readonly LoadRun[], summaries: readonly LoadSummary[], noisyAbove = 0.3): Flag[] {
  const flags: Flag[] = [];
  for (const r of runs) {
    if (r.state === 'errored') flags.push({ subject: `load:${r.id}`, kind: 'errored', message: r.error.message });
    else if (r.state === 'completed' && !r.valid) flags.push({ subject: `load:${r.id}`, kind: 'invalid', message: r.validity.reasons.join('; ') });
    if (r.state === 'completed') for (const n of r.notes) flags.push({ subject: `load:${r.id}`, kind: 'caveat', message: n });
  }
  for (const s of summaries) {
    if (s.rps.repeats >= 2 && s.rps.relativeSpread > noisyAbove) {
      flags.push({
        subject: `load:${s.configId}/${s.scenario}/${s.step}`,
        kind: 'noisy',
        message: `rps moved ${Math.round(s.rps.relativeSpread * 100)}% across ${s.rps.repeats} repeats (${s.rps.min}..${s.rps.max})`,
      });
    }
    if (s.fromInvalid)
      flags.push({ subject: `load:${s.configId}/${s.scenario}/${s.step}`, kind: 'invalid', message: 'no valid repeat: the summary is over invalid runs' });
  }
  return flags;
}
