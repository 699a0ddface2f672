// The autoscale experiment's figures from one run: the per-second timeline (offered load, rps, latency,
// failures, every model service's replicas asked for and serving, the utilization the controller saw),
// a summary per phase of the profile, replica-seconds, and autoscaled over fixed in the hold phase.

import { rateAt } from '../load/engines/rate-profile.js';
import type {
  AutoscaleConfigResult,
  AutoscaleDecisionData,
  AutoscalePhaseSummary,
  AutoscaleResult,
  AutoscaleTimelineRow,
  RatePhase,
  ReplicaCounts,
  ReplicaEventData,
} from '../results/experiments.js';
import type { LoadRun } from '../results/load.js';
import { mean, median, round1, round3 } from '../stats/index.js';

const SERVICES = ['model-a', 'model-b'] as const;

export function emptyConfig(
  configId: string,
  mode: 'autoscaled' | 'fixed',
  replicas: number,
  state: 'errored' | 'skipped',
  message: string,
  errorCode?: string,
): AutoscaleConfigResult {
  return {
    configId,
    mode,
    state,
    ...(state === 'skipped' ? { reason: message } : { error: { code: errorCode ?? 'SB_ERR_INTERNAL', message } }),
    runId: null,
    autoscaler: null,
    replicasAtStart: replicas,
    timeline: [],
    phases: [],
    decisions: [],
    replicaEvents: [],
    replicaSeconds: {},
  };
}

/** Replica counts per service at time `atMs` (from the window start), replaying decisions and replica events. */
function replicasAt(
  atMs: number,
  start: number,
  decisions: readonly AutoscaleDecisionData[],
  events: readonly ReplicaEventData[],
): Record<string, ReplicaCounts> {
  const out: Record<string, ReplicaCounts> = {};
  for (const svc of SERVICES) {
    let desired = start;
    let ready = start;
    for (const d of decisions) if (d.service === svc && d.atMs <= atMs) desired = d.desired;
    for (const e of events) if (e.service === svc && e.atMs <= atMs && e.kind !== 'failed') ready = e.ready;
    out[svc] = { desired, ready };
  }
  return out;
}

export function buildConfigResult(
  configId: string,
  mode: 'autoscaled' | 'fixed',
  replicas: number,
  run: LoadRun,
  profile: readonly RatePhase[],
  offered: readonly number[],
  events: ReplicaEventData[],
  decisions: AutoscaleDecisionData[],
  autoscaler: Record<string, unknown> | null,
): AutoscaleConfigResult {
  if (run.state !== 'completed') {
    return {
      ...emptyConfig(
        configId,
        mode,
        replicas,
        'errored',
        run.state === 'errored' ? run.error.message : run.reason,
        run.state === 'errored' ? run.error.code : undefined,
      ),
      runId: run.id,
      replicaEvents: events,
      decisions,
    };
  }
  const seconds = Math.max(run.rpsSeries.length, Math.round(run.windowMs / 1000));
  const timeline: AutoscaleTimelineRow[] = [];
  for (let i = 0; i < seconds; i++) {
    const bin = run.latencySeries[i];
    const end = (i + 1) * 1000;
    const utilization: Record<string, number | null> = {};
    for (const svc of SERVICES) {
      const last = [...decisions].reverse().find((d) => d.service === svc && d.atMs <= end && d.atMs > end - 1000);
      utilization[svc] = last?.utilization ?? null;
    }
    timeline.push({
      second: i,
      phase: rateAt(profile, i * 1000 + 500).phase,
      offered: offered[i] ?? 0,
      rps: run.rpsSeries[i] ?? 0,
      failures: bin?.failures ?? 0,
      p50Us: bin?.p50Us ?? 0,
      p99Us: bin?.p99Us ?? 0,
      replicas: replicasAt(end, replicas, decisions, events),
      utilization,
    });
  }
  const phases: AutoscalePhaseSummary[] = [];
  for (const p of profile) {
    const rows = timeline.filter((r) => r.phase === p.name);
    if (rows.length === 0) continue;
    const withLatency = rows.filter((r) => r.p50Us > 0);
    const reps: Record<string, { mean: number; max: number }> = {};
    for (const svc of SERVICES) {
      const ready = rows.map((r) => r.replicas[svc]!.ready);
      reps[svc] = { mean: round1(mean(ready)), max: Math.max(...ready) };
    }
    phases.push({
      phase: p.name,
      durationMs: p.durationMs,
      offeredRps: round1(mean(rows.map((r) => r.offered))),
      rps: round1(mean(rows.map((r) => r.rps))),
      p50Us: withLatency.length === 0 ? 0 : Math.round(median(withLatency.map((r) => r.p50Us))),
      p99Us: withLatency.length === 0 ? 0 : Math.max(...withLatency.map((r) => r.p99Us)),
      failures: rows.reduce((a, r) => a + r.failures, 0),
      replicas: reps,
    });
  }
  const replicaSeconds: Record<string, number> = {};
  for (const svc of SERVICES) replicaSeconds[svc] = timeline.reduce((a, r) => a + r.replicas[svc]!.ready, 0);
  return {
    configId,
    mode,
    state: 'completed',
    runId: run.id,
    autoscaler,
    replicasAtStart: replicas,
    timeline,
    phases,
    decisions,
    replicaEvents: events,
    replicaSeconds,
  };
}

/** Autoscaled over fixed in the hold phase (the load both had to carry at its peak). */
export function holdComparison(configs: readonly AutoscaleConfigResult[]): AutoscaleResult['hold'] {
  const a = configs.find((c) => c.mode === 'autoscaled' && c.state === 'completed');
  const f = configs.find((c) => c.mode === 'fixed' && c.state === 'completed');
  if (a === undefined || f === undefined) return null;
  const phase = 'hold';
  const ah = a.phases.find((p) => p.phase === phase);
  const fh = f.phases.find((p) => p.phase === phase);
  if (ah === undefined || fh === undefined) return null;
  return {
    phase,
    rpsRatio: fh.rps > 0 ? Math.round((ah.rps / fh.rps) * 100) / 100 : null,
    p99Ratio: fh.p99Us > 0 && ah.p99Us > 0 ? round3(ah.p99Us / fh.p99Us) : null,
    failures: { [a.configId]: ah.failures, [f.configId]: fh.failures },
  };
}
