// One measured step: an engine applies one load to a system while its server processes are sampled; the
// figures are checked against the validity rules and set beside Little's law. A failure of the engine
// becomes an errored run (data), never an exception that loses the runs before it.

import { toErrorInfo } from '../errors.js';
import type { LittlesLaw, LoadRun, LoadShape, ScenarioName, StepInfo, ValidityRuleName } from '../results/load.js';
import { autocannonEngine } from './engines/autocannon.js';
import { nativeEngine } from './engines/native.js';
import { openLoopEngine } from './engines/open-loop.js';
import type { EngineResult, HttpTarget, LoadEngine, RequestSample } from './engines/types.js';
import type { ServerSampler } from './sampler.js';
import { checkValidity, type ValidityLimits } from './validity.js';
import { round1, round3 } from '../stats/index.js';

export interface StepRequest {
  configId: string;
  scenario: ScenarioName;
  step: StepInfo;
  repeat: number;
  load: LoadShape;
  target: HttpTarget;
  warmupMs: number;
  durationMs: number;
  timeoutMs: number;
  binMs?: number;
  /** End each window after this many requests instead of durationMs. */
  amount?: number;
  sampler?: ServerSampler;
  /** Mean latency with one connection on the same system, for Little's law (closed loop). */
  baselineMeanLatencyUs?: number;
  limits: ValidityLimits;
  /** Rules that do not apply to this step (listed in the result, not applied). */
  skipRules?: ValidityRuleName[];
  signal?: AbortSignal;
  onSample?: (s: RequestSample) => void;
  /** Replaces the engine the load shape picks (the autoscale experiment's rate-profile open loop). */
  engine?: LoadEngine;
}

function engineFor(load: LoadShape): LoadEngine {
  if (load.engine === 'native') return nativeEngine;
  return load.kind === 'closed' ? autocannonEngine : openLoopEngine;
}

function runId(configId: string, scenario: ScenarioName, stepLabel: string, repeat: number): string {
  return `${configId}/${scenario}/${stepLabel}/r${repeat}`;
}

/** Little's law for a closed loop: concurrency / baseline mean latency. */
export function littlesLaw(load: LoadShape, rps: number, baselineMeanLatencyUs: number | undefined): LittlesLaw | undefined {
  if (load.kind !== 'closed' || baselineMeanLatencyUs === undefined || !(baselineMeanLatencyUs > 0)) return undefined;
  const concurrency = load.connections * load.pipelining;
  const expectedRps = concurrency / (baselineMeanLatencyUs / 1e6);
  return { concurrency, baselineMeanLatencyUs: Math.round(baselineMeanLatencyUs), expectedRps: round1(expectedRps), ratio: round3(rps / expectedRps) };
}

export async function runStep(req: StepRequest): Promise<LoadRun> {
  const header = {
    id: runId(req.configId, req.scenario, req.step.label, req.repeat),
    configId: req.configId,
    scenario: req.scenario,
    step: req.step,
    repeat: req.repeat,
    startedAt: new Date().toISOString(),
    load: req.load,
  };
  const sampler = req.sampler;
  let windowOpen = false;
  let result: EngineResult;
  try {
    result = await (req.engine ?? engineFor(req.load)).run({
      target: req.target,
      load: req.load,
      warmupMs: req.warmupMs,
      durationMs: req.durationMs,
      timeoutMs: req.timeoutMs,
      minRequests: req.limits.minRequests,
      maxWindowMs: req.durationMs * 6,
      ...(req.binMs === undefined ? {} : { binMs: req.binMs }),
      ...(req.amount === undefined ? {} : { amount: req.amount }),
      ...(req.signal === undefined ? {} : { signal: req.signal }),
      ...(req.onSample === undefined ? {} : { onSample: req.onSample }),
      onWindowStart: () => {
        windowOpen = true;
        sampler?.startWindow();
      },
    });
  } catch (err) {
    if (windowOpen) sampler?.endWindow();
    return { ...header, state: 'errored', error: toErrorInfo(err), valid: false };
  }
  // The sampler's window closes when the engine returns: a few ms after the load stops, which only
  // matters for very short windows.
  const servers = sampler?.endWindow() ?? [];
  const serverTimingUs = sampler?.serverTiming();
  const validity = checkValidity(
    {
      windowMs: result.windowMs,
      warmupMs: req.warmupMs,
      completed: result.requests.completed,
      successes: result.requests.successes,
      failures: result.failures.total,
      generatorCpuCores: result.generator.cpuCores,
      generatorThreads: result.generator.threads,
      generatorEventLoopUtilization: result.generator.eventLoopUtilization,
      ...(result.open === undefined ? {} : { open: { scheduled: result.open.scheduled, lateByGenerator: result.open.lateSends.byCause.generator } }),
    },
    req.limits,
    req.skipRules ?? [],
  );
  const ll = littlesLaw(req.load, result.rps, req.baselineMeanLatencyUs);
  const notes = latencyCaveats(req.load, result);
  return {
    ...header,
    state: 'completed',
    warmupMs: req.warmupMs,
    windowMs: result.windowMs,
    requests: result.requests,
    failures: result.failures,
    failureCodes: result.failureCodes,
    rps: result.rps,
    rpsSeries: result.rpsSeries,
    latencyUs: result.latencyUs,
    ...(result.latencyHistogramUs === undefined ? {} : { latencyHistogramUs: result.latencyHistogramUs }),
    latencyResolution: result.latencyResolution,
    latencySeries: result.latencySeries,
    bytesReceived: result.bytesReceived,
    ...(result.open === undefined ? {} : { open: result.open }),
    generator: result.generator,
    servers,
    ...(serverTimingUs === undefined ? {} : { serverTimingUs }),
    ...(ll === undefined ? {} : { littlesLaw: ll }),
    notes,
    valid: validity.valid,
    validity,
  };
}

/**
 * Little's law in reverse for a closed loop: requests in flight = throughput x mean latency, and in flight
 * is the concurrency. When the measured mean latency accounts for much less than that, the slowest
 * requests did not finish inside the window (a queue longer than the window, or connections served
 * unfairly), so the percentiles understate the wait; throughput is still right.
 */
export function latencyCaveats(load: LoadShape, r: Pick<EngineResult, 'rps' | 'latencyUs' | 'windowMs' | 'requests'>): string[] {
  if (load.kind !== 'closed' || r.rps <= 0 || r.requests.successes === 0) return [];
  const concurrency = load.connections * load.pipelining;
  const impliedMeanUs = (concurrency / r.rps) * 1e6;
  if (r.latencyUs.mean >= impliedMeanUs * 0.7) return [];
  return [
    `latency understated: by Little's law ${concurrency} in flight at ${r.rps.toFixed(1)} rps means a mean latency of ${fmt(impliedMeanUs)}, ` +
      `but the requests that finished in the ${fmt(r.windowMs * 1000)} window averaged ${fmt(r.latencyUs.mean)}: ` +
      'the slowest ones ended after it (or were served unfairly); throughput stands',
  ];
}

function fmt(us: number): string {
  return us >= 1e6 ? `${(us / 1e6).toFixed(2)} s` : `${(us / 1000).toFixed(1)} ms`;
}
