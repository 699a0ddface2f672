// The high-concurrency experiment (the published Flask vs nginx + gunicorn experiment: one development server
// against a pool behind nginx under 50,000 users): both request paths on one process, a node:cluster pool and
// nginx over a pool, closed loop at each connection step up to the open-file ceiling, each system started once
// per round with its steps going up. Each run records failures by kind, median and mean latency, throughput,
// and the CPU every process used; the rows summarise them for the report.

import { availableParallelism } from 'node:os';
import { failureRateOf, type CompletedRun } from '../load/aggregate.js';
import { runStep, type StepRequest } from '../load/runner.js';
import { ServerSampler } from '../load/sampler.js';
import { isAborted } from '../load/settings.js';
import { markSkipped, markStartFailure, servingConfiguration, type ConfigurationSpec } from '../load/systems.js';
import { progress } from '../progress.js';
import type { ConnectionCeiling, CpuUse, HighConcurrencyResult, HighConcurrencyRow } from '../results/experiments.js';
import type { LoadConfiguration, LoadRun } from '../results/load.js';
import { round1, round3 } from '../stats/index.js';
import { isQueuePath } from '../results/vocab.js';
import type { ExperimentContext } from './context.js';
import type { HighConcurrencyScenario } from './types.js';

interface Entry {
  spec: ConfigurationSpec;
  config: LoadConfiguration;
}

/** The configurations (path x topology), each listed at once; --quick leaves the topologies it does not run listed as left out. */
function entries(def: HighConcurrencyScenario, ctx: ExperimentContext, workers: number, result: HighConcurrencyResult): Entry[] {
  const out: Entry[] = [];
  for (const topology of def.topologies) {
    for (const path of def.paths) {
      const spec = servingConfiguration({
        path,
        topology,
        predict: def.predict,
        workers,
        store: ctx.store,
        ...(ctx.redisUrl === undefined ? {} : { redisUrl: ctx.redisUrl }),
        entities: ctx.entities,
        seed: ctx.seed,
      });
      const config = ctx.addConfiguration({ id: `hc/${spec.id}`, ...spec.describe, state: 'completed' });
      if (ctx.settings.quick && !def.quickTopologies.includes(topology)) {
        const reason = `left out by --quick (the full run covers ${topology})`;
        ctx.addFlag(markSkipped(config, reason));
        result.leftOut.push({ configId: config.id, reason });
      }
      out.push({ spec, config });
    }
  }
  return out;
}

/** Run the experiment: every configuration at every step, in interleaved rounds; runs go to the context as they happen. */
export async function runHighConcurrency(
  def: HighConcurrencyScenario,
  planned: { steps: number[]; ceiling: ConnectionCeiling },
  ctx: ExperimentContext,
): Promise<HighConcurrencyResult> {
  const s = ctx.settings;
  const workers = ctx.workers ?? availableParallelism();
  const rounds = ctx.repeats ?? (s.quick ? def.repeats.quick : def.repeats.default);
  const timing = s.quick ? def.timing.quick : def.timing.default;
  const result: HighConcurrencyResult = {
    description: def.description,
    predict: def.predict,
    connections: planned.steps,
    ceiling: planned.ceiling,
    timing: {
      warmupMs: s.warmupMs ?? timing.warmupMs,
      durationMs: s.durationMs ?? timing.durationMs,
      requestTimeoutMs: s.quick ? def.requestTimeoutMs.quick : def.requestTimeoutMs.default,
    },
    cores: availableParallelism(),
    workers,
    rounds,
    rows: [],
    leftOut: [],
  };
  const list = entries(def, ctx, workers, result);
  for (const e of list) {
    if (e.config.state !== 'completed') continue;
    const why = await e.spec.unavailable();
    if (why !== undefined) ctx.addFlag(markSkipped(e.config, why));
  }
  progress('load', `high-concurrency: connections ${planned.steps.join(', ')} (${planned.ceiling.note}); ${rounds} round(s)`);
  const runs: LoadRun[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const e of list) {
      if (isAborted(ctx.signal)) break;
      if (e.config.state === 'completed') runs.push(...(await runSteps(e, ctx, result, planned.steps, round)));
    }
  }
  result.rows = concurrencyRows(list, planned.steps, runs, workers);
  return result;
}

/**
 * Every step of one round on one system, started once (a start costs seconds on a busy host, and the budget of
 * the main job is a minute): the steps go up, so each finds the system as the smaller ones left it, as users
 * arriving in waves would. Nothing (and a flag) when the system did not start.
 */
async function runSteps(e: Entry, ctx: ExperimentContext, result: HighConcurrencyResult, steps: readonly number[], round: number): Promise<LoadRun[]> {
  const c = e.config;
  progress('load', `round ${round}: starting ${c.id} for ${steps.join(', ')} connections`);
  const t0 = performance.now();
  let sut: Awaited<ReturnType<ConfigurationSpec['start']>>;
  try {
    sut = await e.spec.start();
  } catch (err) {
    ctx.addFlag(markStartFailure(c, err));
    return [];
  }
  (c.startupMs ??= []).push(Math.round(performance.now() - t0));
  c.url = sut.url;
  c.processes = sut.processes;
  if (sut.store !== undefined) c.store = sut.store;
  c.notes = sut.notes;
  const sampler = new ServerSampler(sut.processes, sut.metrics);
  const runs: LoadRun[] = [];
  try {
    for (const [index, connections] of steps.entries()) {
      if (isAborted(ctx.signal)) break;
      const run = await runStep({ ...stepRequest(c.id, ctx, result, { round, index, connections }), target: e.spec.target(sut.url), sampler });
      ctx.onRun(run);
      runs.push(run);
    }
  } finally {
    sampler.close();
    await sut.stop();
  }
  return runs;
}

function stepRequest(
  configId: string,
  ctx: ExperimentContext,
  result: HighConcurrencyResult,
  at: { round: number; index: number; connections: number },
): Omit<StepRequest, 'target' | 'sampler'> {
  const s = ctx.settings;
  return {
    configId,
    scenario: 'high-concurrency',
    step: { index: at.index, label: `c=${at.connections}`, load: at.connections, loadUnit: 'connections' },
    repeat: at.round,
    // The native engine where it loads (thousands of sockets cost it least), else autocannon.
    load:
      s.closedEngine === 'native'
        ? { kind: 'closed', engine: 'native', connections: at.connections, pipelining: s.pipelining, workers: 0, threads: s.generatorThreads }
        : { kind: 'closed', engine: 'autocannon', connections: at.connections, pipelining: s.pipelining, workers: s.generatorWorkers },
    warmupMs: result.timing.warmupMs,
    durationMs: result.timing.durationMs,
    timeoutMs: result.timing.requestTimeoutMs,
    // No minimum of answers: a window that sees almost none is the finding, never a reason to stretch it.
    limits: { ...s.limits, minRequests: 0 },
    // Failures are what this experiment measures: no error budget.
    skipRules: ['error-budget'],
    ...(s.amount === undefined ? {} : { amount: s.amount }),
    ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
  };
}

/** The CPU every process of a run used, per role, and the generator's. */
function cpuOf(r: CompletedRun): CpuUse {
  const roles = new Map<string, { processes: number; cpu: number; elu: number[] }>();
  for (const p of r.servers) {
    const role = roles.get(p.role) ?? { processes: 0, cpu: 0, elu: [] };
    role.processes++;
    role.cpu += p.cpuPercent?.mean ?? 0;
    if (p.eventLoopUtilization !== null) role.elu.push(p.eventLoopUtilization.mean);
    roles.set(p.role, role);
  }
  const byRole = [...roles].map(([role, v]) => ({
    role,
    processes: v.processes,
    cpuPercent: round1(v.cpu),
    eventLoopUtilization: v.elu.length === 0 ? null : round3(Math.max(...v.elu)),
  }));
  const serverCores = round3(byRole.reduce((a, x) => a + x.cpuPercent, 0) / 100);
  return { byRole, serverCores, generatorCores: round3(r.generator.cpuCores) };
}

/** One row per configuration and step: the median run by throughput over the rounds (one round: that run). */
function concurrencyRows(list: readonly Entry[], steps: readonly number[], runs: readonly LoadRun[], workers: number): HighConcurrencyRow[] {
  const rows: HighConcurrencyRow[] = [];
  for (const { config: c } of list) {
    if (c.path === undefined || isQueuePath(c.path) || c.topology === undefined) continue;
    const head = { configId: c.id, path: c.path, topology: c.topology, workers: c.topology === 'single' ? 1 : workers };
    for (const connections of steps) {
      const mine = runs.filter((r) => r.configId === c.id && r.step.load === connections);
      const done = mine.filter((r): r is CompletedRun => r.state === 'completed').sort((a, b) => a.rps - b.rps);
      const r = done[Math.floor((done.length - 1) / 2)];
      if (r === undefined) {
        const reason =
          c.state === 'skipped' ? (c.reason ?? 'skipped') : (mine.find((x) => x.state === 'errored')?.error.message ?? c.error?.message ?? 'not run');
        rows.push({ ...head, ...emptyFigures(connections), state: c.state === 'skipped' ? 'skipped' : 'errored', reason });
        continue;
      }
      const f = r.failures;
      const requests = r.requests.successes + f.total;
      rows.push({
        ...head,
        connections,
        runId: r.id,
        state: 'completed',
        requests,
        successes: r.requests.successes,
        failures: { total: f.total, errors: f.byKind.errors, timeouts: f.byKind.timeouts, non2xx: f.byKind.non2xx, resets: f.byKind.resets },
        failureRate: requests === 0 ? null : round3(failureRateOf(r)),
        failureCodes: r.failureCodes,
        rps: round1(r.rps),
        littleWaitUs: requests === 0 || r.windowMs <= 0 ? null : Math.round((connections / (requests / (r.windowMs / 1000))) * 1e6),
        latencyUs: r.requests.successes === 0 ? null : { p50: r.latencyUs.p50, mean: Math.round(r.latencyUs.mean), p99: r.latencyUs.p99, max: r.latencyUs.max },
        cpu: cpuOf(r),
        invalid: r.validity.reasons,
      });
    }
  }
  return rows;
}

function emptyFigures(connections: number): Omit<HighConcurrencyRow, 'configId' | 'path' | 'topology' | 'workers' | 'state'> {
  return {
    connections,
    runId: null,
    requests: 0,
    successes: 0,
    failures: { total: 0, errors: 0, timeouts: 0, non2xx: 0, resets: 0 },
    failureRate: null,
    failureCodes: {},
    rps: 0,
    littleWaitUs: null,
    latencyUs: null,
    cpu: null,
    invalid: [],
  };
}
