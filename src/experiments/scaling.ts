// The scaling experiment (seeds 001 and 002: "how does throughput grow with model servers?"): sweeps over the
// number of model servers, each count a configuration started fresh for its turn, in interleaved rounds (w1 w2
// w4 r1 r2 r4, then again), every step the same closed load with the server processes sampled (CPU per
// process). The queue sweep runs the queue path with k model workers behind the Redis list; the replicas sweep
// runs k model-server replicas of each model service behind nginx (the autoscale experiment's replica sets,
// held fixed, so only the model servers change: the scoring handler stays one process). scaling-finding.ts
// turns the runs into each step's efficiency against linear, and the finding.

import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { runStep } from '../load/runner.js';
import type { MetricsSource, SampledProcess } from '../load/sampler.js';
import { isAborted, type StepSettings } from '../load/settings.js';
import { markSkipped, markStartFailure, scoringTarget } from '../load/systems.js';
import { progress, warn } from '../progress.js';
import type { LoadConfiguration, LoadRun, LoadShape } from '../results/load.js';
import type { ScalingResult, ScalingSweepKind } from '../results/scaling.js';
import { autoscaleAvailability, queueAvailability, startAutoscaledSystemProcess, startSystem } from '../serving/index.js';
import { WindowSampler, type ExperimentContext } from './context.js';
import { HostCpuWindow } from './host-cpu.js';
import { scalingConfigId, scalingResult, type SweepPlan } from './scaling-finding.js';
import type { ScalingScenario } from './scaling-types.js';

/** One configuration of a sweep: k servers. */
interface Turn {
  kind: ScalingSweepKind;
  servers: number;
  config: LoadConfiguration;
}

/** A started system, as a step needs it. */
interface Started {
  url: string;
  processes: SampledProcess[];
  metrics: MetricsSource;
  stop(): Promise<void>;
}

const ascending = (xs: readonly number[]) => [...new Set(xs)].sort((a, b) => a - b);

/** The sweeps to run: those named by --model-workers and --replicas, else both with the definition's counts. */
function scalingSweeps(def: ScalingScenario, quick: boolean, given?: { modelWorkers?: number[]; replicas?: number[] }): SweepPlan[] {
  if (given?.modelWorkers !== undefined || given?.replicas !== undefined) {
    return [
      ...(given.modelWorkers === undefined ? [] : [{ kind: 'queue' as const, counts: ascending(given.modelWorkers) }]),
      ...(given.replicas === undefined ? [] : [{ kind: 'replicas' as const, counts: ascending(given.replicas) }]),
    ];
  }
  return [
    { kind: 'queue', counts: ascending(quick ? def.modelWorkers.quick : def.modelWorkers.default) },
    { kind: 'replicas', counts: ascending(quick ? def.replicas.quick : def.replicas.default) },
  ];
}

function describeConfig(kind: ScalingSweepKind, servers: number, def: ScalingScenario): LoadConfiguration {
  const id = scalingConfigId(kind, servers, def.predict);
  return kind === 'queue'
    ? { id, path: 'queue', topology: 'single', predict: def.predict, modelWorkers: servers, state: 'completed' }
    : { id, path: 'sync', topology: 'nginx', predict: def.predict, workers: servers, state: 'completed' };
}

/** Why a sweep cannot run here (no redis-server, no nginx), checked once; its configurations are marked skipped. */
async function unavailable(kind: ScalingSweepKind, ctx: ExperimentContext): Promise<string | undefined> {
  const a = kind === 'queue' ? await queueAvailability(ctx.redisUrl) : await autoscaleAvailability();
  return a.available ? undefined : a.reason;
}

export async function runScaling(def: ScalingScenario, ctx: ExperimentContext): Promise<ScalingResult> {
  const s = ctx.settings;
  const sweeps = scalingSweeps(def, s.quick, ctx.scaling);
  const connections = s.connections ?? def.connections;
  const rounds = ctx.repeats ?? (s.quick ? def.repeats.quick : def.repeats.default);
  const turns: Turn[] = sweeps.flatMap((sw) =>
    sw.counts.map((k) => ({ kind: sw.kind, servers: k, config: ctx.addConfiguration(describeConfig(sw.kind, k, def)) })),
  );
  const skipped = new Map<ScalingSweepKind, string>();
  for (const sw of sweeps) {
    const reason = await unavailable(sw.kind, ctx);
    if (reason === undefined) continue;
    skipped.set(sw.kind, reason);
    for (const t of turns) if (t.kind === sw.kind) ctx.addFlag(markSkipped(t.config, reason));
    warn('load', `scaling: the ${sw.kind} sweep is skipped: ${reason}`);
  }
  const what = sweeps.map((sw) => `${sw.kind === 'queue' ? 'model workers' : 'replicas'} ${sw.counts.join(', ')}`).join('; ');
  progress('load', `scaling: ${what}; ${def.predict} predict, ${connections} connections, ${rounds} interleaved round(s)`);
  const runs: LoadRun[] = [];
  const hostBusy = new Map<string, number>();
  outer: for (let round = 1; round <= rounds; round++) {
    for (const t of turns) {
      if (isAborted(ctx.signal)) break outer;
      if (t.config.state !== 'completed') continue;
      progress('load', `round ${round}/${rounds}: starting ${t.config.id}`);
      const measured = await runTurn(def, ctx, t, round, connections);
      if (measured === undefined) continue;
      runs.push(measured.run);
      if (measured.hostBusyCores !== null) hostBusy.set(measured.run.id, measured.hostBusyCores);
    }
  }
  return scalingResult(def, { sweeps, runs, hostBusy, connections, hostCores: availableParallelism(), skipped });
}

/** Start k servers: the queue path with k model workers, or k replicas of each model service behind nginx. */
async function startScalingSystem(def: ScalingScenario, ctx: ExperimentContext, t: Turn): Promise<Started & { notes: string[] }> {
  const common = { predict: def.predict, n: def.n, entities: ctx.entities, seed: ctx.seed, metricsIntervalMs: 250 };
  if (t.kind === 'queue') {
    const sys = await startSystem({
      ...common,
      path: 'queue',
      topology: 'single',
      modelWorkers: t.servers,
      store: ctx.store,
      ...(ctx.redisUrl === undefined ? {} : { redisUrl: ctx.redisUrl }),
      timeoutsMs: { queue: def.queueTimeoutMs },
    });
    const note = `${t.servers} model worker process(es) take the jobs (model A and model B of each request) off one Redis list, one at a time each`;
    return { url: sys.scoringUrl, processes: sys.processes, metrics: (l) => sys.onMetrics(l), notes: [...sys.notes, note], stop: () => sys.stop() };
  }
  // In a control-plane process of its own, as the autoscale experiment runs it: starting replicas must not stall this generator.
  const sys = await startAutoscaledSystemProcess({ ...common, autoscale: false, replicas: t.servers });
  const note = `${t.servers} replica(s) of each model service, one request at a time each, behind nginx; the scoring handler is one process (async path)`;
  return { url: sys.scoringUrl, processes: sys.processes, metrics: (l) => sys.onMetrics(l), notes: [...sys.notes, note], stop: () => sys.stop() };
}

function closedLoad(s: StepSettings, connections: number): LoadShape {
  const shape = { kind: 'closed', connections, pipelining: s.pipelining } as const;
  return s.closedEngine === 'native'
    ? { ...shape, engine: 'native', workers: 0, threads: s.generatorThreads }
    : { ...shape, engine: 'autocannon', workers: s.generatorWorkers };
}

/**
 * One configuration's turn in a round: started, its step measured with every server process sampled and the
 * whole host's busy cores over the window, stopped.
 */
async function runTurn(
  def: ScalingScenario,
  ctx: ExperimentContext,
  t: Turn,
  round: number,
  connections: number,
): Promise<{ run: LoadRun; hostBusyCores: number | null } | undefined> {
  const c = t.config;
  const t0 = performance.now();
  let sys: Started;
  try {
    const started = await startScalingSystem(def, ctx, t);
    c.notes = started.notes;
    sys = started;
  } catch (err) {
    ctx.addFlag(markStartFailure(c, err));
    return undefined;
  }
  (c.startupMs ??= []).push(Math.round(performance.now() - t0));
  c.url = sys.url;
  c.processes = sys.processes.map((p) => ({ role: p.role, pid: p.pid, name: p.name }));
  const host = new HostCpuWindow();
  const sampler = new WindowSampler(c.processes, sys.metrics, { onStart: () => host.start(), onEnd: () => host.end() });
  const s = ctx.settings;
  const timing = s.quick ? def.timing.quick : def.timing.default;
  let run: LoadRun;
  try {
    run = await runStep({
      configId: c.id,
      scenario: 'scaling',
      step: { index: 0, label: `c=${connections}`, load: connections, loadUnit: 'connections' },
      repeat: round,
      load: closedLoad(s, connections),
      target: scoringTarget(sys.url, ctx.entities, ctx.seed),
      warmupMs: s.warmupMs ?? timing.warmupMs,
      durationMs: s.durationMs ?? timing.durationMs,
      timeoutMs: s.timeoutMs,
      limits: s.limits,
      sampler,
      ...(s.amount === undefined ? {} : { amount: s.amount }),
      ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
      ...(s.generatorProcesses > 1 ? { generatorProcesses: s.generatorProcesses } : {}),
    });
  } finally {
    sampler.close();
    await sys.stop();
  }
  ctx.onRun(run);
  return { run, hostBusyCores: host.cores() };
}
