// The autoscale experiment (seed 002), as an emulation of the HorizontalPodAutoscaler's algorithm (there is
// no Kubernetes here): an open loop whose arrival rate ramps up, holds, then drops, against the model
// servers with the autoscaling controller, and against the same system held at a fixed replica count.
// Each run is a LoadRun (rps, latency, failures, validity); beside it, per second, the offered load, rps,
// latency, failures and every model service's replicas (asked for and serving), and the controller's
// decisions with the utilization it saw.

import { performance } from 'node:perf_hooks';
import { toErrorInfo } from '../errors.js';
import { progress, warn } from '../progress.js';
import type { LoadConfiguration, LoadRun } from '../results/load.js';
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
import { startAutoscaledSystemProcess, type AutoscaledSystemView } from '../serving/autoscale/remote.js';
import { AUTOSCALE_EMULATION_NOTE, autoscaleAvailability } from '../serving/autoscale/system.js';
import { mean, median } from '../stats/index.js';
import { rateAt, rateProfileEngine, profileDurationMs } from './engines/rate-profile.js';
import { isAborted, WindowSampler, type ExperimentContext } from './experiment-context.js';
import type { AutoscaleScenario } from './experiment-types.js';
import { runStep } from './runner.js';
import { markSkipped, markStartFailure, scoringTarget } from './systems.js';

const SERVICES = ['model-a', 'model-b'] as const;

/** The profile, scaled so that its peak is `peakRps` when one is given (--rate). */
export function scaledProfile(profile: readonly RatePhase[], peakRps: number | undefined): RatePhase[] {
  if (peakRps === undefined) return profile.map((p) => ({ ...p }));
  const peak = Math.max(...profile.map((p) => Math.max(p.fromRps, p.toRps)));
  const f = peakRps / peak;
  return profile.map((p) => ({ ...p, fromRps: Math.round(p.fromRps * f * 10) / 10, toRps: Math.round(p.toRps * f * 10) / 10 }));
}

export async function runAutoscale(def: AutoscaleScenario, ctx: ExperimentContext): Promise<AutoscaleResult> {
  const s = ctx.settings;
  const profile = scaledProfile(s.quick ? def.profile.quick : def.profile.default, s.rateRps);
  const controller = s.quick ? def.controller.quick : def.controller.default;
  const rounds = ctx.repeats ?? 1;
  const result: AutoscaleResult = {
    emulation: AUTOSCALE_EMULATION_NOTE,
    description: def.description,
    profile,
    binMs: def.binMs,
    configurations: [],
    hold: null,
  };
  const plans = [
    { mode: 'autoscaled' as const, id: `autoscale/hpa/${def.predict}`, replicas: controller.minReplicas },
    { mode: 'fixed' as const, id: `autoscale/fixed-${def.fixedReplicas}/${def.predict}`, replicas: def.fixedReplicas },
  ];
  const configs: LoadConfiguration[] = plans.map((p) =>
    ctx.addConfiguration({
      id: p.id,
      path: 'sync',
      topology: 'nginx',
      predict: def.predict,
      workers: p.replicas,
      state: 'completed',
      notes: [AUTOSCALE_EMULATION_NOTE],
    }),
  );
  const avail = await autoscaleAvailability();
  if (!avail.available) {
    for (const c of configs) ctx.addFlag(markSkipped(c, avail.reason));
    result.skipped = avail.reason;
    warn('load', `autoscale skipped: ${avail.reason}`);
    return result;
  }
  const peak = Math.max(...profile.map((p) => Math.max(p.fromRps, p.toRps)));
  progress(
    'load',
    `autoscale (${AUTOSCALE_EMULATION_NOTE.split(':')[0]}): ${profile.map((p) => `${p.name} ${p.fromRps}->${p.toRps}/s for ${p.durationMs / 1000} s`).join(', ')}; autoscaled vs ${def.fixedReplicas} fixed replica(s)`,
  );
  for (let round = 1; round <= rounds; round++) {
    for (let i = 0; i < plans.length; i++) {
      if (isAborted(ctx.signal)) break;
      const plan = plans[i]!;
      const c = configs[i]!;
      if (c.state !== 'completed') continue;
      progress('load', `round ${round}/${rounds}: starting ${c.id}`);
      const t0 = performance.now();
      let sys: AutoscaledSystemView;
      try {
        // In a control-plane process of its own: spawning replicas must not stall this load generator.
        sys = await startAutoscaledSystemProcess({
          autoscale: plan.mode === 'autoscaled',
          replicas: plan.replicas,
          autoscaler: controller,
          predict: def.predict,
          entities: ctx.entities,
          seed: ctx.seed,
          metricsIntervalMs: def.metricsIntervalMs,
        });
      } catch (err) {
        const flag = markStartFailure(c, err);
        ctx.addFlag(flag);
        const info = toErrorInfo(err);
        result.configurations.push(emptyConfig(c.id, plan.mode, plan.replicas, flag.kind === 'skipped' ? 'skipped' : 'errored', info.message, info.code));
        continue;
      }
      (c.startupMs ??= []).push(Math.round(performance.now() - t0));
      c.url = sys.scoringUrl;
      c.processes = sys.processes.map((p) => ({ role: p.role, pid: p.pid, name: p.name }));
      c.store = { kind: 'memory', detail: 'embedded in-process store' };
      c.notes = sys.notes;
      const events: ReplicaEventData[] = [];
      const decisions: AutoscaleDecisionData[] = [];
      const sampler = new WindowSampler(c.processes, (l) => sys.onMetrics(l));
      const rel = (atMs: number) => Math.round(atMs - sampler.windowStartEpochMs);
      // Copies: their times are made relative to the window below.
      const offEvents = sys.onReplicaEvent((e) => events.push({ ...e }));
      const offDecisions = sys.onDecision((d) => {
        const { perReplica: _per, ...rest } = d;
        decisions.push({ ...rest, utilization: d.utilization === null ? null : Math.round(d.utilization * 1000) / 1000 });
      });
      const engine = rateProfileEngine(profile);
      let run: LoadRun;
      try {
        run = await runStep({
          configId: c.id,
          scenario: 'autoscale',
          step: { index: 0, label: 'profile', load: peak, loadUnit: 'rps' },
          repeat: round,
          load: { kind: 'open', engine: 'open', rateRps: peak, arrivals: 'poisson', maxInFlight: def.maxInFlight, seed: ctx.seed + round },
          target: scoringTarget(sys.scoringUrl, ctx.entities, ctx.seed),
          warmupMs: 0,
          durationMs: profileDurationMs(profile),
          timeoutMs: s.timeoutMs,
          limits: s.limits,
          binMs: def.binMs,
          sampler,
          engine,
          // The profile's start is part of what is measured, and failures are the answer for the fixed system.
          skipRules: ['warm-up-excluded', 'error-budget'],
          ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
        });
      } finally {
        offEvents();
        offDecisions();
        sampler.close();
        await sys.stop();
      }
      for (const e of events) e.atMs = rel(e.atMs);
      for (const d of decisions) d.atMs = rel(d.atMs);
      if (run.state === 'completed') {
        run.rateProfile = profile;
        run.notes.push(AUTOSCALE_EMULATION_NOTE);
        if (run.servers.length > 0)
          run.notes.push(
            'servers[] holds the processes at the start and, sampled from when they were found, the replicas and nginx workers started later (role control-plane-child or nginx-child); every replica change is in the autoscale timeline',
          );
      }
      ctx.onRun(run);
      result.configurations.push(
        buildConfigResult(
          c.id,
          plan.mode,
          plan.replicas,
          run,
          profile,
          engine.offeredSeries(),
          events,
          decisions,
          plan.mode === 'autoscaled' ? { ...controller } : null,
        ),
      );
    }
  }
  result.hold = holdComparison(result.configurations);
  return result;
}

function emptyConfig(
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
export function replicasAt(
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
      reps[svc] = { mean: Math.round(mean(ready) * 10) / 10, max: Math.max(...ready) };
    }
    phases.push({
      phase: p.name,
      durationMs: p.durationMs,
      offeredRps: Math.round(mean(rows.map((r) => r.offered)) * 10) / 10,
      rps: Math.round(mean(rows.map((r) => r.rps)) * 10) / 10,
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
    p99Ratio: fh.p99Us > 0 && ah.p99Us > 0 ? Math.round((ah.p99Us / fh.p99Us) * 1000) / 1000 : null,
    failures: { [a.configId]: ah.failures, [f.configId]: fh.failures },
  };
}
