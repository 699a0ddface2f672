// The autoscale experiment (seed 002), as an emulation of the HorizontalPodAutoscaler's algorithm (there is
// no Kubernetes here): an open loop whose arrival rate ramps up, holds, then drops, against the model
// servers with the autoscaling controller, and against the same system held at a fixed replica count.
// Each run is a LoadRun (rps, latency, failures, validity); beside it, per second, the offered load, rps,
// latency, failures and every model service's replicas (asked for and serving), and the controller's
// decisions with the utilization it saw (autoscale-timeline.ts).

import { performance } from 'node:perf_hooks';
import { toErrorInfo } from '../errors.js';
import { profileDurationMs, rateProfileEngine } from '../load/engines/rate-profile.js';
import { runStep } from '../load/runner.js';
import { isAborted } from '../load/settings.js';
import { markSkipped, markStartFailure, scoringTarget } from '../load/systems.js';
import { progress, warn } from '../progress.js';
import type { AutoscaleConfigResult, AutoscaleDecisionData, AutoscaleResult, RatePhase, ReplicaEventData } from '../results/experiments.js';
import type { LoadConfiguration, LoadRun } from '../results/load.js';
import { startAutoscaledSystemProcess, type AutoscaledSystemView } from '../serving/autoscale/remote.js';
import { AUTOSCALE_EMULATION_NOTE, autoscaleAvailability } from '../serving/autoscale/system.js';
import { round1, round3 } from '../stats/index.js';
import { buildConfigResult, emptyConfig, holdComparison } from './autoscale-timeline.js';
import { WindowSampler, type ExperimentContext } from './context.js';
import type { AutoscaleScenario } from './types.js';

/** The profile, scaled so that its peak is `peakRps` when one is given (--rate). */
export function scaledProfile(profile: readonly RatePhase[], peakRps: number | undefined): RatePhase[] {
  if (peakRps === undefined) return profile.map((p) => ({ ...p }));
  const peak = Math.max(...profile.map((p) => Math.max(p.fromRps, p.toRps)));
  const f = peakRps / peak;
  return profile.map((p) => ({ ...p, fromRps: round1(p.fromRps * f), toRps: round1(p.toRps * f) }));
}

type Controller = AutoscaleScenario['controller']['default'];

/** One system of the comparison: autoscaled from its minimum, or held at a fixed replica count. */
interface AutoscalePlan {
  mode: 'autoscaled' | 'fixed';
  id: string;
  replicas: number;
}

/** What every turn of the experiment shares. */
interface AutoscaleTurn {
  def: AutoscaleScenario;
  ctx: ExperimentContext;
  profile: RatePhase[];
  controller: Controller;
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
  const plans: AutoscalePlan[] = [
    { mode: 'autoscaled', id: `autoscale/hpa/${def.predict}`, replicas: controller.minReplicas },
    { mode: 'fixed', id: `autoscale/fixed-${def.fixedReplicas}/${def.predict}`, replicas: def.fixedReplicas },
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
  const phases = profile.map((p) => `${p.name} ${p.fromRps}->${p.toRps}/s for ${p.durationMs / 1000} s`).join(', ');
  progress('load', `autoscale (${AUTOSCALE_EMULATION_NOTE.split(':')[0]}): ${phases}; autoscaled vs ${def.fixedReplicas} fixed replica(s)`);
  const turn: AutoscaleTurn = { def, ctx, profile, controller };
  for (let round = 1; round <= rounds; round++) {
    for (let i = 0; i < plans.length; i++) {
      if (isAborted(ctx.signal)) break;
      const c = configs[i]!;
      if (c.state !== 'completed') continue;
      progress('load', `round ${round}/${rounds}: starting ${c.id}`);
      result.configurations.push(await runAutoscaleTurn(turn, plans[i]!, c, round));
    }
  }
  result.hold = holdComparison(result.configurations);
  return result;
}

/** Start one system of the comparison, in a control-plane process of its own; a failure is its result. */
async function startAutoscaleSystem(t: AutoscaleTurn, plan: AutoscalePlan, c: LoadConfiguration): Promise<AutoscaledSystemView | AutoscaleConfigResult> {
  const t0 = performance.now();
  let sys: AutoscaledSystemView;
  try {
    // In a control-plane process of its own: spawning replicas must not stall this load generator.
    sys = await startAutoscaledSystemProcess({
      autoscale: plan.mode === 'autoscaled',
      replicas: plan.replicas,
      autoscaler: t.controller,
      predict: t.def.predict,
      entities: t.ctx.entities,
      seed: t.ctx.seed,
      metricsIntervalMs: t.def.metricsIntervalMs,
    });
  } catch (err) {
    const flag = markStartFailure(c, err);
    t.ctx.addFlag(flag);
    const info = toErrorInfo(err);
    return emptyConfig(c.id, plan.mode, plan.replicas, flag.kind === 'skipped' ? 'skipped' : 'errored', info.message, info.code);
  }
  (c.startupMs ??= []).push(Math.round(performance.now() - t0));
  c.url = sys.scoringUrl;
  c.processes = sys.processes.map((p) => ({ role: p.role, pid: p.pid, name: p.name }));
  c.store = { kind: 'memory', detail: 'embedded in-process store' };
  c.notes = sys.notes;
  return sys;
}

/** One system's turn in a round: started, loaded with the whole profile while its replicas are followed, stopped. */
async function runAutoscaleTurn(t: AutoscaleTurn, plan: AutoscalePlan, c: LoadConfiguration, round: number): Promise<AutoscaleConfigResult> {
  const { def, ctx, profile } = t;
  const sys = await startAutoscaleSystem(t, plan, c);
  if (!('scoringUrl' in sys)) return sys;
  const events: ReplicaEventData[] = [];
  const decisions: AutoscaleDecisionData[] = [];
  const sampler = new WindowSampler(c.processes ?? [], (l) => sys.onMetrics(l));
  // Copies: their times are made relative to the window below.
  const offEvents = sys.onReplicaEvent((e) => events.push({ ...e }));
  const offDecisions = sys.onDecision((d) => {
    const { perReplica: _per, ...rest } = d;
    decisions.push({ ...rest, utilization: d.utilization === null ? null : round3(d.utilization) });
  });
  const engine = rateProfileEngine(profile);
  const peak = Math.max(...profile.map((p) => Math.max(p.fromRps, p.toRps)));
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
      timeoutMs: ctx.settings.timeoutMs,
      limits: ctx.settings.limits,
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
  for (const e of events) e.atMs = Math.round(e.atMs - sampler.windowStartEpochMs);
  for (const d of decisions) d.atMs = Math.round(d.atMs - sampler.windowStartEpochMs);
  if (run.state === 'completed') annotate(run, profile);
  ctx.onRun(run);
  const autoscaler = plan.mode === 'autoscaled' ? { ...t.controller } : null;
  return buildConfigResult(c.id, plan.mode, plan.replicas, run, profile, engine.offeredSeries(), events, decisions, autoscaler);
}

function annotate(run: Extract<LoadRun, { state: 'completed' }>, profile: RatePhase[]): void {
  run.rateProfile = profile;
  run.notes.push(AUTOSCALE_EMULATION_NOTE);
  if (run.servers.length > 0)
    run.notes.push(
      'servers[] holds the processes at the start and, sampled from when they were found, the replicas and nginx workers started later ' +
        '(role control-plane-child or nginx-child); every replica change is in the autoscale timeline',
    );
}
