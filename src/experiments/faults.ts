// The faults experiment (`servebench load --scenario faults`, `--fault 'at=5s kill model-a'`): the system
// started with restarts on (async path, a cluster of 2, Redis store by default), a sustained open loop, and
// the schedule's faults applied at their times through system.faults while every request and every event of
// the system (exits, restarts) is recorded on the window's clock. The run is a LoadRun; beside it, per fault,
// what it cost and how long the system took to recover, and the per-second timeline (faults-analysis.ts).

import { performance } from 'node:perf_hooks';
import { runStep } from '../load/runner.js';
import { isAborted } from '../load/settings.js';
import { markSkipped, markStartFailure, scoringTarget } from '../load/systems.js';
import { progress, warn } from '../progress.js';
import type { FaultSpec, FaultsResult, FaultSystemEvent } from '../results/faults.js';
import type { LoadConfiguration, LoadRun } from '../results/load.js';
import { redisServerVersion, startSystem, type RunningSystem, type ServiceEvent } from '../serving/index.js';
import { WindowSampler, type ExperimentContext } from './context.js';
import { faultOutcomes, faultTimeline, type FaultAttempt, type FaultRunSample } from './faults-analysis.js';
import { FaultClock } from './faults-clock.js';
import { scheduleEndMs } from './faults-schedule.js';
import type { FaultsScenario } from './types.js';

const NO_BUDGET_NOTE =
  'faults: failures are what the faults cost, so no error budget applies to the run; ' +
  'per fault, its failures, time to recovery and restarts are in the faults section';

function faultsConfigId(def: FaultsScenario): string {
  return `faults/${def.path}/${def.topology}/${def.predict}`;
}

/** The window: the schedule, then the recovery after its last fault (--duration replaces it). */
function windowMs(def: FaultsScenario, ctx: ExperimentContext, schedule: readonly FaultSpec[]): number {
  const recovery = ctx.settings.quick ? def.recoveryMs.quick : def.recoveryMs.default;
  return ctx.settings.durationMs ?? scheduleEndMs(schedule) + recovery;
}

/** Run the schedule on a fresh system; its run and configuration go to the context as they happen. */
export async function runFaults(def: FaultsScenario, ctx: ExperimentContext, schedule: readonly FaultSpec[]): Promise<FaultsResult> {
  const s = ctx.settings;
  const rateRps = s.rateRps ?? (s.quick ? def.rateRps.quick : def.rateRps.default);
  const result: FaultsResult = {
    description: def.description,
    configId: faultsConfigId(def),
    runId: null,
    rateRps,
    errorBudget: s.errorBudget,
    windowMs: windowMs(def, ctx, schedule),
    schedule: [...schedule],
    faults: [],
    events: [],
    timeline: [],
    findings: [],
  };
  const c = ctx.addConfiguration({
    id: result.configId,
    path: def.path,
    topology: def.topology,
    predict: def.predict,
    ...(def.topology === 'single' ? {} : { workers: def.workers }),
    state: 'completed',
  });
  const notRun = (reason: string): FaultsResult => {
    result.skipped = reason;
    result.faults = faultOutcomes({
      samples: [],
      attempts: schedule.map((spec) => notApplied(spec, reason)),
      events: [],
      windowMs: 0,
      errorBudget: s.errorBudget,
    });
    result.findings = result.faults.map((f) => f.finding);
    return result;
  };
  if (isAborted(ctx.signal)) return notRun('interrupted');
  const noRedis = await redisMissing(def, ctx);
  if (noRedis !== undefined) {
    ctx.addFlag(markSkipped(c, noRedis));
    warn('load', `faults skipped: ${noRedis}`);
    return notRun(noRedis);
  }
  const sys = await startFaultsSystem(def, ctx, c);
  if (sys === undefined) return notRun(c.reason ?? c.error?.message ?? 'the system did not start');
  const plan = schedule.map((f) => f.expression).join('; ');
  progress('load', `faults: ${rateRps} requests/s for ${(result.windowMs / 1000).toFixed(1)} s on ${c.id}; schedule: ${plan}`);
  const { run, attempts, samples, events } = await loadWithFaults(def, ctx, sys, c, { rateRps, windowMs: result.windowMs, schedule });
  ctx.onRun(run);
  result.runId = run.id;
  result.events = events;
  const window = run.state === 'completed' ? run.windowMs : result.windowMs;
  const input = { samples, attempts, events, windowMs: window, errorBudget: s.errorBudget };
  result.faults = faultOutcomes(input);
  result.timeline = run.state === 'completed' ? faultTimeline(input) : [];
  result.findings = result.faults.map((f) => f.finding);
  for (const line of result.findings) progress('load', `faults: ${line}`);
  return result;
}

/**
 * Why a Redis-store schedule cannot run here, if it cannot: its faults kill and pause a real Redis, so the
 * embedded store the system would fall back to is no stand-in (the run is skipped, as queue-workers is).
 */
async function redisMissing(def: FaultsScenario, ctx: ExperimentContext): Promise<string | undefined> {
  if (def.store !== 'redis') return undefined;
  const external = ctx.redisUrl ?? process.env.REDIS_URL;
  if ((external !== undefined && external !== '') || (await redisServerVersion()) !== undefined) return undefined;
  return (
    'faults runs on the Redis feature store (its faults kill and pause it): REDIS_URL (or --redis-url) is not set and no redis-server is on PATH ' +
    '(Debian: apt-get install redis-server)'
  );
}

function notApplied(spec: FaultSpec, reason: string): FaultAttempt {
  return { spec, state: 'skipped', reason, appliedAtMs: null, processes: [] };
}

async function startFaultsSystem(def: FaultsScenario, ctx: ExperimentContext, c: LoadConfiguration): Promise<RunningSystem | undefined> {
  const t0 = performance.now();
  let sys: RunningSystem;
  try {
    sys = await startSystem({
      path: def.path,
      topology: def.topology,
      ...(def.topology === 'single' ? {} : { workers: def.workers }),
      predict: def.predict,
      store: def.store,
      ...(ctx.redisUrl === undefined ? {} : { redisUrl: ctx.redisUrl }),
      entities: ctx.entities,
      seed: ctx.seed,
      restart: true,
    });
  } catch (err) {
    ctx.addFlag(markStartFailure(c, err));
    return undefined;
  }
  (c.startupMs ??= []).push(Math.round(performance.now() - t0));
  c.url = sys.scoringUrl;
  c.processes = sys.processes.map((p) => ({ role: p.role, pid: p.pid, name: p.name }));
  c.store = sys.store;
  c.notes = [...sys.notes, 'restarts on: a dead process comes back on its port (bounded back-off)', NO_BUDGET_NOTE];
  return sys;
}

interface LoadedRun {
  run: LoadRun;
  attempts: FaultAttempt[];
  samples: FaultRunSample[];
  events: FaultSystemEvent[];
}

/** The open loop over the window, the faults applied at their times, the events recorded; the system stopped after. */
async function loadWithFaults(
  def: FaultsScenario,
  ctx: ExperimentContext,
  sys: RunningSystem,
  c: LoadConfiguration,
  o: { rateRps: number; windowMs: number; schedule: readonly FaultSpec[] },
): Promise<LoadedRun> {
  const s = ctx.settings;
  const raw: ServiceEvent[] = [];
  const offEvents = sys.onEvent((e) => raw.push(e));
  const clock = new FaultClock(sys.faults, o.schedule, o.windowMs);
  const sampler = new WindowSampler(c.processes ?? [], (l) => sys.onMetrics(l), { onStart: () => clock.start() });
  const samples: FaultRunSample[] = [];
  let run: LoadRun;
  try {
    run = await runStep({
      configId: c.id,
      scenario: 'faults',
      step: { index: 0, label: 'schedule', load: o.rateRps, loadUnit: 'rps' },
      repeat: 1,
      load: { kind: 'open', engine: 'open', rateRps: o.rateRps, arrivals: s.arrivals, maxInFlight: def.maxInFlight, seed: ctx.seed },
      target: scoringTarget(sys.scoringUrl, ctx.entities, ctx.seed),
      warmupMs: s.warmupMs ?? (s.quick ? def.warmupMs.quick : def.warmupMs.default),
      durationMs: o.windowMs,
      timeoutMs: s.timeoutMs,
      limits: s.limits,
      binMs: 1000,
      sampler,
      skipRules: ['error-budget'],
      onSample: (x) =>
        samples.push({
          sentAtMs: x.sentAtMs,
          endAtMs: x.sentAtMs + x.latencyUs / 1000,
          latencyUs: x.latencyUs,
          outcome: x.outcome,
          ...(x.code === undefined ? {} : { code: x.code }),
        }),
      ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
    });
  } finally {
    await clock.stop(isAborted(ctx.signal));
    offEvents();
    sampler.close();
    await sys.stop();
  }
  if (run.state === 'completed') run.notes.push(NO_BUDGET_NOTE);
  for (const a of clock.attempts) if (a.state === 'errored') warn('load', `faults: ${a.spec.expression}: ${a.reason ?? 'not applied'}`);
  const events = raw.map((e) => clock.event(e));
  return { run, attempts: clock.attempts, samples: samples.filter((x) => x.sentAtMs >= 0), events };
}
