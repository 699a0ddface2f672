// The queue-workers experiment (a Redis queue in front of one vs two model workers): the queue
// path started with each model-worker count, closed-loop steps (1 connection, then the loaded ones) in
// interleaved rounds (w1 w2 w1 w2 ...), each run with the jobs list's depth sampled (LLEN) and the workers'
// own busy share, then the rps ratio of the most workers over the fewest as a LoadComparison.

import { performance } from 'node:perf_hooks';
import { compare, spreadOf, type CompletedRun } from '../load/aggregate.js';
import { runStep, type StepRequest } from '../load/runner.js';
import { isAborted } from '../load/settings.js';
import { markSkipped, markStartFailure, scoringTarget } from '../load/systems.js';
import { progress, warn } from '../progress.js';
import type { QueueDepthSeries, QueueWorkersResult, QueueWorkersView } from '../results/experiments.js';
import type { LoadComparison, LoadConfiguration, LoadRun } from '../results/load.js';
import type { QueueDepthSample } from '../results/serving.js';
import { queueAvailability, startSystem, type RunningSystem } from '../serving/index.js';
import { mean, median, round1, round3 } from '../stats/index.js';
import { WindowSampler, type ExperimentContext } from './context.js';
import type { QueueWorkersScenario } from './types.js';

function queueConfigId(workers: number, predict: string): string {
  return `queue/w${workers}/${predict}`;
}

/** The steps (connections) and the compared one, after --connections. */
export function queueSteps(def: QueueWorkersScenario, quick: boolean, connections: number | undefined): { steps: number[]; compareAt: number } {
  if (connections !== undefined) return { steps: connections === 1 ? [1] : [1, connections], compareAt: connections };
  const steps = quick ? def.connections.quick : def.connections.default;
  return { steps, compareAt: steps.includes(def.compareAt) ? def.compareAt : steps[steps.length - 1]! };
}

function depthSeries(samples: readonly QueueDepthSample[], startEpochMs: number, intervalMs: number): QueueDepthSeries | undefined {
  if (samples.length === 0) return undefined;
  const depths = samples.map((s) => s.depth);
  return {
    intervalMs,
    samples: samples.map((s) => ({ atMs: Math.round(s.atMs - startEpochMs), depth: s.depth })),
    mean: round1(mean(depths)),
    p50: median(depths),
    max: Math.max(...depths),
  };
}

/** Run the experiment; its runs and configurations go to the context as they happen. */
export async function runQueueWorkers(def: QueueWorkersScenario, ctx: ExperimentContext): Promise<QueueWorkersResult> {
  const s = ctx.settings;
  const { steps, compareAt } = queueSteps(def, s.quick, s.connections);
  const rounds = ctx.repeats ?? (s.quick ? def.repeats.quick : def.repeats.default);
  const result: QueueWorkersResult = {
    description: def.description,
    modelWorkers: def.modelWorkers,
    connections: steps,
    queueTimeoutMs: def.queueTimeoutMs,
    predict: def.predict,
    depth: [],
    comparisonIds: [],
  };
  const configs: LoadConfiguration[] = def.modelWorkers.map((w) =>
    ctx.addConfiguration({ id: queueConfigId(w, def.predict), path: 'queue', topology: 'single', predict: def.predict, modelWorkers: w, state: 'completed' }),
  );
  const avail = await queueAvailability(ctx.redisUrl);
  if (!avail.available) {
    for (const c of configs) ctx.addFlag(markSkipped(c, avail.reason));
    result.skipped = avail.reason;
    warn('load', `queue-workers skipped: ${avail.reason}`);
    return result;
  }
  const workerCounts = def.modelWorkers.map((w) => `${w} worker(s)`).join(' vs ');
  progress('load', `queue-workers: ${workerCounts}, connections ${steps.join(', ')}, ${rounds} interleaved round(s)`);
  const runs: LoadRun[] = [];
  outer: for (let round = 1; round <= rounds; round++) {
    for (let i = 0; i < def.modelWorkers.length; i++) {
      if (isAborted(ctx.signal)) break outer;
      const c = configs[i]!;
      if (c.state !== 'completed') continue;
      progress('load', `round ${round}/${rounds}: starting ${c.id}`);
      runs.push(...(await runQueueTurn(def, ctx, c, def.modelWorkers[i]!, round, steps)));
    }
  }
  result.depth = depthByStep(configs, steps, runs);
  result.comparisonIds = queueWorkersComparisons([], def, steps, compareAt).map((x) => x.id);
  return result;
}

/** Start the queue path with `workers` model workers for one turn; undefined (and a flag) when it cannot start. */
async function startQueueSystem(def: QueueWorkersScenario, ctx: ExperimentContext, c: LoadConfiguration, workers: number): Promise<RunningSystem | undefined> {
  const t0 = performance.now();
  let sys: RunningSystem;
  try {
    sys = await startSystem({
      path: 'queue',
      topology: 'single',
      predict: def.predict,
      modelWorkers: workers,
      store: ctx.store,
      ...(ctx.redisUrl === undefined ? {} : { redisUrl: ctx.redisUrl }),
      entities: ctx.entities,
      seed: ctx.seed,
      metricsIntervalMs: 250,
      timeoutsMs: { queue: def.queueTimeoutMs },
    });
  } catch (err) {
    ctx.addFlag(markStartFailure(c, err));
    return undefined;
  }
  (c.startupMs ??= []).push(Math.round(performance.now() - t0));
  c.url = sys.scoringUrl;
  c.processes = sys.processes.map((p) => ({ role: p.role, pid: p.pid, name: p.name }));
  c.store = sys.store;
  c.notes = [
    ...sys.notes,
    `each request pushes a model-a and a model-b job on a Redis list; ${workers} model worker process(es) take them one at a time`,
    `broker: ${sys.queue!.broker}; deadline ${def.queueTimeoutMs} ms per request`,
  ];
  return sys;
}

/** One configuration's turn in a round: started, every step measured with the queue's depth sampled, stopped. */
async function runQueueTurn(
  def: QueueWorkersScenario,
  ctx: ExperimentContext,
  c: LoadConfiguration,
  workers: number,
  round: number,
  steps: readonly number[],
): Promise<LoadRun[]> {
  const sys = await startQueueSystem(def, ctx, c, workers);
  if (sys === undefined) return [];
  const queue = sys.queue!;
  const workerPids = new Set(queue.workers().map((w) => w.pid));
  let depth: { stop(): QueueDepthSample[] } | undefined;
  let depthSamples: QueueDepthSample[] = [];
  const sampler = new WindowSampler(c.processes ?? [], (l) => sys.onMetrics(l), {
    onStart: () => {
      depth = queue.sampleDepth(def.depthIntervalMs);
    },
    onEnd: () => {
      depthSamples = depth?.stop() ?? [];
    },
  });
  const target = scoringTarget(sys.scoringUrl, ctx.entities, ctx.seed);
  const runs: LoadRun[] = [];
  let baselineUs: number | undefined;
  try {
    for (let k = 0; k < steps.length; k++) {
      if (isAborted(ctx.signal)) break;
      const conn = steps[k]!;
      const run = await runStep({ ...queueStep(def, ctx, c.id, round, k, conn, baselineUs), target, sampler });
      if (run.state === 'completed') {
        if (conn === 1 && run.requests.successes > 0) baselineUs = run.latencyUs.mean;
        const series = depthSeries(depthSamples, sampler.windowStartEpochMs, def.depthIntervalMs);
        if (series !== undefined) run.queueDepth = series;
        run.queueWorkers = workersView(sampler, workerPids, sampler.windowStartEpochMs, run.windowMs);
        if (conn > def.overloadAbove) run.notes.push(overloadNote(def));
      }
      runs.push(run);
      ctx.onRun(run);
    }
  } finally {
    sampler.close();
    await sys.stop();
  }
  return runs;
}

/** The step at `conn` connections, short of its target and sampler. */
function queueStep(
  def: QueueWorkersScenario,
  ctx: ExperimentContext,
  configId: string,
  round: number,
  index: number,
  conn: number,
  baselineUs: number | undefined,
): Omit<StepRequest, 'target' | 'sampler'> {
  const s = ctx.settings;
  const timing = conn === 1 ? def.baselineTiming : conn > def.overloadAbove ? def.overloadTiming : def.timing;
  const t = s.quick ? timing.quick : timing.default;
  return {
    configId,
    scenario: 'queue-workers',
    step: { index, label: `c=${conn}`, load: conn, loadUnit: 'connections' },
    repeat: round,
    load: { kind: 'closed', engine: 'autocannon', connections: conn, pipelining: s.pipelining, workers: s.generatorWorkers },
    warmupMs: s.warmupMs ?? t.warmupMs,
    durationMs: s.durationMs ?? t.durationMs,
    timeoutMs: s.timeoutMs,
    limits: s.limits,
    ...(s.amount === undefined ? {} : { amount: s.amount }),
    ...(conn > def.overloadAbove ? { skipRules: ['error-budget' as const] } : {}),
    ...(baselineUs === undefined ? {} : { baselineMeanLatencyUs: baselineUs }),
    ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
    ...(s.generatorProcesses > 1 ? { generatorProcesses: s.generatorProcesses } : {}),
  };
}

function overloadNote(def: QueueWorkersScenario): string {
  return (
    `past ${def.overloadAbove} users: failures (504 at the ${def.queueTimeoutMs} ms deadline) are part of what is measured (no error budget); ` +
    'past the deadline they come in waves one deadline apart, so a window shorter than a few deadlines can miss them'
  );
}

/** Depth per configuration and step, over the rounds. */
function depthByStep(configs: readonly LoadConfiguration[], steps: readonly number[], runs: readonly LoadRun[]): QueueWorkersResult['depth'] {
  const out: QueueWorkersResult['depth'] = [];
  for (const c of configs) {
    for (const conn of steps) {
      const rs = runs.filter((r): r is CompletedRun => r.configId === c.id && r.step.label === `c=${conn}` && r.state === 'completed');
      if (rs.length === 0) continue;
      out.push({
        configId: c.id,
        step: `c=${conn}`,
        meanDepth: spreadOf(
          rs.flatMap((r) => (r.queueDepth === undefined ? [] : [r.queueDepth.mean])),
          'jobs',
        ),
        maxDepth: spreadOf(
          rs.flatMap((r) => (r.queueDepth === undefined ? [] : [r.queueDepth.max])),
          'jobs',
        ),
        busyShare: spreadOf(
          rs.flatMap((r) => (r.queueWorkers?.busyShare == null ? [] : [r.queueWorkers.busyShare])),
          'share of time',
        ),
      });
    }
  }
  return out;
}

/** The workers' own view of the window: busy share, jobs answered, jobs dropped past their deadline. */
function workersView(sampler: WindowSampler, pids: ReadonlySet<number>, startEpochMs: number, windowMs: number): QueueWorkersView {
  const endEpochMs = startEpochMs + windowMs;
  const shares: number[] = [];
  let jobs = 0;
  let expired = 0;
  let seen = 0;
  for (const pid of pids) {
    const list = sampler.metricsByPid.get(pid) ?? [];
    const inWindow = list.filter((m) => m.atMs > startEpochMs && m.atMs <= endEpochMs + 300);
    const before = [...list].reverse().find((m) => m.atMs <= startEpochMs);
    const last = inWindow[inWindow.length - 1];
    if (last === undefined) continue;
    seen++;
    const busy = inWindow.flatMap((m) => (m.busyShare === undefined ? [] : [m.busyShare]));
    if (busy.length > 0) shares.push(mean(busy));
    jobs += last.requests - (before?.requests ?? 0);
    expired += (last.expiredJobs ?? 0) - (before?.expiredJobs ?? 0);
  }
  return {
    workers: pids.size,
    busyShare: shares.length === 0 ? null : round3(median(shares)),
    jobs: seen === 0 ? null : jobs,
    expiredJobs: seen === 0 ? null : expired,
  };
}

/** The rps ratios of each worker count over the fewest, at the compared step (and at the others, for reading). */
export function queueWorkersComparisons(runs: readonly LoadRun[], def: QueueWorkersScenario, steps: readonly number[], compareAt: number): LoadComparison[] {
  const fewest = Math.min(...def.modelWorkers);
  const out: LoadComparison[] = [];
  for (const w of def.modelWorkers) {
    if (w === fewest) continue;
    for (const conn of steps.filter((x) => x !== 1)) {
      const compared = conn === compareAt;
      const expected = compared ? { approx: w / fewest, tolerance: def.ratioTolerance } : {};
      const description =
        `queue path, ${def.predict} predict, ${conn} connections: ${w} model workers / ${fewest} ` +
        `(the published Flask API with a Redis queue: 9.7 / 5.8 rps = 1.67x with 2 model services)${compared ? '' : ' (for reading; not a goal)'}`;
      out.push(
        compare(
          runs,
          `queue-${w}-vs-${fewest}-workers${compared ? '' : `-c${conn}`}`,
          description,
          { configId: queueConfigId(w, def.predict), scenario: 'queue-workers', step: `c=${conn}` },
          { configId: queueConfigId(fewest, def.predict), scenario: 'queue-workers', step: `c=${conn}` },
          expected,
        ),
      );
    }
  }
  return out;
}
