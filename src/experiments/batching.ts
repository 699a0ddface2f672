// The batching experiment (issue 17): a cpu model API alone, started once with batching off and once per
// (max-size, max-wait) setting, on each path. Batching off's capacity is measured first (closed loop); then
// an open-loop ramp at multiples of it, the settings interleaved at each rate (off, s1, s2, off, s1, s2 ...).
// Each run's batches (mean size, mean and longest wait) and the predict call's share of the process's time
// come from the model API's own metrics over the window; the findings are in batching-findings.ts.

import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { CompletedRun } from '../load/aggregate.js';
import type { HttpTarget } from '../load/engines/types.js';
import { nativeLoadRun } from '../kernels/native-binding.js';
import { runStep } from '../load/runner.js';
import { roundRate } from '../load/scenarios.js';
import { isAborted } from '../load/settings.js';
import { markStartFailure } from '../load/systems.js';
import { progress, warn } from '../progress.js';
import type { BatchingResult, BatchingRow } from '../results/batching.js';
import type { LoadConfiguration, LoadRun, LoadShape } from '../results/load.js';
import type { BatchingSettings, ProcessMetrics } from '../results/serving.js';
import { formatBatching, startModelApi, type RunningModelApi } from '../serving/index.js';
import { createRng } from '../stats/index.js';
import { batchingFindings, summariseBatching } from './batching-findings.js';
import { WindowSampler, type ExperimentContext } from './context.js';
import type { BatchingScenario } from './types.js';

/** The model APIs' metrics period: short, so a window's first and last samples sit close to its edges. */
const METRICS_INTERVAL_MS = 100;

type Path = BatchingScenario['paths'][number];

/** One model API of a path's ramp: batching off (null) or a setting. */
interface Contender {
  batching: BatchingSettings | null;
  config: LoadConfiguration;
  api?: RunningModelApi;
  sampler?: WindowSampler;
}

function batchingConfigId(path: string, b: BatchingSettings | null): string {
  return `batching/${path}/${b === null ? 'off' : `b${b.maxSize}-w${b.maxWaitMs}ms`}`;
}

/** Run the experiment; its runs and configurations go to the context as they happen. */
export async function runBatching(def: BatchingScenario, ctx: ExperimentContext): Promise<BatchingResult> {
  const quick = ctx.settings.quick;
  const settings = quick ? def.settings.quick : def.settings.default;
  const result: BatchingResult = {
    description: def.description,
    predict: def.predict,
    n: def.n,
    paths: [...def.paths],
    settings,
    rates: {},
    speedupGoal: def.speedupGoal,
    rows: [],
    summaries: [],
    findings: [],
  };
  progress('load', `batching: off vs ${settings.map(formatBatching).join(', ')} on ${def.paths.join(', ')}`);
  const loadBefore = loadavg()[0]!;
  for (const path of def.paths) {
    if (isAborted(ctx.signal)) break;
    await runPath(def, ctx, path, settings, result);
  }
  result.hostLoad = { before: round2(loadBefore), after: round2(loadavg()[0]!), cores: availableParallelism() };
  result.summaries = summariseBatching(result.rows);
  result.findings = batchingFindings(result);
  for (const f of result.findings) progress('load', `batching: ${f}`);
  return result;
}

/** Start every contender of a path at once (they idle while another is loaded); a failed start is flagged. */
async function startContenders(def: BatchingScenario, ctx: ExperimentContext, path: Path, settings: readonly BatchingSettings[]): Promise<Contender[]> {
  const contenders: Contender[] = [null, ...settings].map((b) => ({
    batching: b,
    config: ctx.addConfiguration({ id: batchingConfigId(path, b), path, topology: 'single', predict: def.predict, state: 'completed' }),
  }));
  await Promise.all(
    contenders.map(async (c) => {
      const t0 = performance.now();
      try {
        c.api = await startModelApi({
          path,
          topology: 'single',
          predict: def.predict,
          n: def.n,
          seed: ctx.seed,
          poolThreads: 1,
          metricsIntervalMs: METRICS_INTERVAL_MS,
          ...(c.batching === null ? {} : { batching: c.batching }),
        });
      } catch (err) {
        ctx.addFlag(markStartFailure(c.config, err));
        return;
      }
      const api = c.api;
      c.config.startupMs = [Math.round(performance.now() - t0)];
      c.config.url = api.predictUrl;
      c.config.model = api.model;
      c.config.processes = api.processes.map((p) => ({ role: p.role, pid: p.pid, name: p.name }));
      c.config.notes = [
        ...api.notes,
        `the model API alone (POST /predict), cpu predict n=${def.n}, ${api.model.placement}`,
        c.batching === null ? 'batching off' : `batching ${formatBatching(c.batching)}: ${api.model.batching?.how ?? ''}`,
      ];
      c.sampler = new WindowSampler(c.config.processes, (l) => api.onMetrics(l));
    }),
  );
  return contenders;
}

/** POST /predict bodies with seeded features (a few, sent in turn). */
function predictTarget(url: string, featureCount: number, seed: number): HttpTarget {
  const rng = createRng(seed ^ 0xba7c);
  const bodies = Array.from({ length: 16 }, () => JSON.stringify({ features: Array.from({ length: featureCount }, () => Math.round(rng() * 1000) / 1000) }));
  return { url, method: 'POST', headers: { 'content-type': 'application/json' }, bodies };
}

/**
 * Whether the steps use the native engine: when --engine named one, as named; else wherever the addon loads,
 * because a JS generator in this process saturates near the model API's capacity (the figures would be its own).
 */
function useNative(ctx: ExperimentContext): boolean {
  const s = ctx.settings;
  return s.engineExplicit ? s.openEngine === 'native' : nativeLoadRun().available;
}

function openShape(ctx: ExperimentContext, def: BatchingScenario, rateRps: number): LoadShape {
  const s = ctx.settings;
  const shape = { kind: 'open', rateRps, arrivals: s.arrivals, maxInFlight: def.maxInFlight, seed: s.seed } as const;
  return useNative(ctx) ? { ...shape, engine: 'native', threads: s.generatorThreads } : { ...shape, engine: 'open' };
}

function closedShape(ctx: ExperimentContext, connections: number): LoadShape {
  const s = ctx.settings;
  const shape = { kind: 'closed', connections, pipelining: 1 } as const;
  return useNative(ctx) ? { ...shape, engine: 'native', workers: 0, threads: s.generatorThreads } : { ...shape, engine: 'autocannon', workers: 0 };
}

/** A measured window of one contender, to be read against its metrics once the ramp is over. */
interface Measured {
  contender: Contender;
  run: LoadRun;
  offeredRps: number;
  startEpochMs: number;
}

async function runPath(
  def: BatchingScenario,
  ctx: ExperimentContext,
  path: Path,
  settings: readonly BatchingSettings[],
  result: BatchingResult,
): Promise<void> {
  const s = ctx.settings;
  const contenders = await startContenders(def, ctx, path, settings);
  const measured: Measured[] = [];
  try {
    const off = contenders[0]!;
    if (off.api === undefined) {
      warn('load', `batching on ${path}: batching off did not start, so the ramp has no baseline; the path is left out`);
      return;
    }
    const step = (c: Contender, index: number, label: string, load: LoadShape, timing: { warmupMs: number; durationMs: number }, calibration = false) =>
      runStep({
        configId: c.config.id,
        scenario: 'batching',
        step: { index, label, load: load.kind === 'open' ? load.rateRps : load.connections, loadUnit: load.kind === 'open' ? 'rps' : 'connections' },
        repeat: 1,
        load,
        target: predictTarget(c.api!.predictUrl, c.api!.featureCount, ctx.seed),
        warmupMs: s.warmupMs ?? timing.warmupMs,
        durationMs: s.durationMs ?? timing.durationMs,
        timeoutMs: s.timeoutMs,
        limits: s.limits,
        // Past a setting's capacity, failures and a rate not held are the answer, not a broken run; the
        // calibration only finds the ramp's rates, so its short window is not a measurement's.
        skipRules: calibration ? ['error-budget', 'min-duration'] : ['error-budget', 'generator-on-time'],
        sampler: c.sampler!,
        ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
      });
    const calTiming = s.quick ? def.calibration.timing.quick : def.calibration.timing.default;
    const cal = await step(off, 0, `capacity c=${def.calibration.connections}`, closedShape(ctx, def.calibration.connections), calTiming, true);
    ctx.onRun(cal);
    if (cal.state !== 'completed' || !(cal.rps > 0)) {
      warn('load', `batching on ${path}: batching off's capacity could not be measured; the path is left out`);
      return;
    }
    const rates = (s.quick ? def.rateMultiples.quick : def.rateMultiples.default).map((m) => roundRate(m * cal.rps));
    result.rates[path] = rates;
    progress('load', `batching on ${path}: batching off holds ${Math.round(cal.rps)} rps closed loop; open-loop ramp at ${rates.join(', ')}/s`);
    const timing = s.quick ? def.timing.quick : def.timing.default;
    for (let k = 0; k < rates.length; k++) {
      for (const c of contenders) {
        if (isAborted(ctx.signal)) return;
        if (c.api === undefined) continue;
        const run = await step(c, k + 1, `rate=${rates[k]}/s`, openShape(ctx, def, rates[k]!), timing);
        ctx.onRun(run);
        measured.push({ contender: c, run, offeredRps: rates[k]!, startEpochMs: c.sampler!.windowStartEpochMs });
      }
    }
  } finally {
    // The last window's closing metrics sample is still on its way.
    await delay(METRICS_INTERVAL_MS * 2);
    for (const m of measured) {
      const row = batchingRow(m, path, s.errorBudget);
      if (row !== undefined) result.rows.push(row);
    }
    for (const c of contenders) c.sampler?.close();
    await Promise.all(contenders.map((c) => c.api?.stop()));
  }
}

/** The figures of one measured window, the model API's own counts included. */
function batchingRow(m: Measured, path: Path, errorBudget: number): BatchingRow | undefined {
  const r = m.run;
  if (r.state !== 'completed') return undefined;
  const run = r as CompletedRun;
  const done = Math.max(1, run.requests.completed);
  const failureRate = run.failures.total / done;
  const own = processView(m.contender, m.startEpochMs, m.startEpochMs + run.windowMs);
  return {
    configId: run.configId,
    path,
    batching: m.contender.batching,
    runId: run.id,
    offeredRps: m.offeredRps,
    rps: run.rps,
    p50Us: run.latencyUs.p50,
    p99Us: run.latencyUs.p99,
    failureRate: Math.round(failureRate * 1e4) / 1e4,
    held: run.rps >= 0.9 * m.offeredRps && failureRate <= errorBudget,
    ...own,
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** The model API's counts between the samples around the window: batches, their waits, predict time, CPU. */
function processView(
  c: Contender,
  startEpochMs: number,
  endEpochMs: number,
): Pick<BatchingRow, 'meanBatchSize' | 'meanBatchWaitMs' | 'maxBatchWaitMs' | 'predictMs' | 'cpuMsPerRequest'> {
  const none = { meanBatchSize: null, meanBatchWaitMs: null, maxBatchWaitMs: null, predictMs: null, cpuMsPerRequest: null };
  const pid = c.config.processes?.[0]?.pid;
  const list: ProcessMetrics[] = pid === undefined ? [] : (c.sampler?.metricsByPid.get(pid) ?? []);
  const before = [...list].reverse().find((x) => x.atMs <= startEpochMs);
  const inWindow = list.filter((x) => x.atMs > startEpochMs && x.atMs <= endEpochMs + METRICS_INTERVAL_MS);
  const last = inWindow[inWindow.length - 1];
  if (before === undefined || last === undefined) return none;
  const timed = (last.timedRequests ?? 0) - (before.timedRequests ?? 0);
  if (timed <= 0) return none;
  const predict = ((last.predictSumsMs?.predict ?? 0) - (before.predictSumsMs?.predict ?? 0)) / timed;
  const cpuUs = last.cpuUserUs + last.cpuSystemUs - before.cpuUserUs - before.cpuSystemUs;
  const out = { ...none, predictMs: round4(predict), cpuMsPerRequest: round4(cpuUs / 1000 / timed) };
  const a = last.batching;
  const b = before.batching ?? { batches: 0, requests: 0, waitMsSum: 0, waitMaxMs: 0 };
  if (a === undefined || a.batches - b.batches <= 0) return out;
  const requests = a.requests - b.requests;
  return {
    ...out,
    meanBatchSize: round2(requests / (a.batches - b.batches)),
    meanBatchWaitMs: round2((a.waitMsSum - b.waitMsSum) / Math.max(1, requests)),
    maxBatchWaitMs: round2(Math.max(0, ...inWindow.map((x) => x.batching?.waitMaxMs ?? 0))),
  };
}
