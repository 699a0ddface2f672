// Carries out the scenarios on one started system for one round: response-time (the baseline), ramp (to
// the breaking point), sustained (that load held) and stress (past it, then back down), each step a
// measured run; and the request-paths comparison steps. The definitions come from benchmarks/scenarios/.

import type {
  ArrivalProcess,
  LoadEngineName,
  LoadRun,
  LoadShape,
  RampRepeatResult,
  ScenarioName,
  StepInfo,
  StressRepeatResult,
  ValidityRuleName,
} from '../results/load.js';
import { failureRateOf, isCompleted } from './aggregate.js';
import type { HttpTarget, RequestSample } from './engines/types.js';
import { littlesLaw, runStep } from './runner.js';
import type { ServerSampler } from './sampler.js';
import type { ScenarioSet, StepTiming, Timings } from './scenario-types.js';
import type { ValidityLimits } from './validity.js';

/** Settings shared by every chain of a suite run. */
export interface ChainSettings {
  engine: LoadEngineName;
  quick: boolean;
  defs: ScenarioSet;
  /** Override of every step's measured window, ms. */
  durationMs?: number;
  /** Override of every step's warm-up, ms. */
  warmupMs?: number;
  timeoutMs: number;
  /** End every step's window after this many requests instead of its duration. */
  amount?: number;
  /** An explicit load: sustained and stress use it instead of the ramp's breaking point; it caps the ramp. */
  connections?: number;
  rateRps?: number;
  pipelining: number;
  /** autocannon worker threads (0: in this process). */
  generatorWorkers: number;
  arrivals: ArrivalProcess;
  maxInFlight: number;
  seed: number;
  latencyGoalP99Us: number;
  errorBudget: number;
  limits: ValidityLimits;
}

export interface ChainInput {
  configId: string;
  repeat: number;
  target: HttpTarget;
  sampler?: ServerSampler;
  signal?: AbortSignal;
  /** Called with each run as it finishes (progress, partial results). */
  onRun: (run: LoadRun) => void;
  onSample?: (s: RequestSample) => void;
}

export interface ChainOutput {
  runs: LoadRun[];
  ramp?: RampRepeatResult;
  stress?: StressRepeatResult;
}

type Unit = StepInfo['loadUnit'];

function pick(t: Timings, s: ChainSettings): StepTiming {
  const base = s.quick ? t.quick : t.default;
  return { warmupMs: s.warmupMs ?? base.warmupMs, durationMs: s.durationMs ?? base.durationMs };
}

function closedShape(s: ChainSettings, connections: number): LoadShape {
  return { kind: 'closed', engine: 'autocannon', connections, pipelining: s.pipelining, workers: s.generatorWorkers };
}

function openShape(s: ChainSettings, rateRps: number): LoadShape {
  return { kind: 'open', engine: 'open', rateRps, arrivals: s.arrivals, maxInFlight: s.maxInFlight, seed: s.seed };
}

function shapeFor(s: ChainSettings, unit: Unit, load: number): LoadShape {
  return unit === 'connections' ? closedShape(s, load) : openShape(s, load);
}

function stepInfo(index: number, unit: Unit, load: number, label?: string): StepInfo {
  return { index, label: label ?? (unit === 'connections' ? `c=${load}` : `rate=${load}/s`), load, loadUnit: unit };
}

/** Two significant digits, at least 1: readable rates such as 5.5, 11, 22, 45, 90. */
export function roundRate(x: number): number {
  if (!(x > 0)) return 1;
  return Math.max(1, Number(x.toPrecision(2)));
}

/** The matrix chain: the selected scenarios among response-time, ramp, sustained, stress, in that order. */
export async function runScenarioChain(scenarios: readonly ScenarioName[], s: ChainSettings, input: ChainInput): Promise<ChainOutput> {
  const runs: LoadRun[] = [];
  const out: ChainOutput = { runs };
  const aborted = () => input.signal?.aborted === true;
  let baselineUs: number | undefined;

  const step = async (
    scenario: ScenarioName,
    info: StepInfo,
    load: LoadShape,
    timing: StepTiming,
    extra: { binMs?: number; skipRules?: ValidityRuleName[] } = {},
  ): Promise<LoadRun> => {
    const run = await runStep({
      configId: input.configId,
      scenario,
      step: info,
      repeat: input.repeat,
      load,
      target: input.target,
      warmupMs: timing.warmupMs,
      durationMs: timing.durationMs,
      timeoutMs: s.timeoutMs,
      limits: s.limits,
      // The recovery phase is read as a time series: it keeps its duration.
      ...(s.amount === undefined || extra.binMs !== undefined ? {} : { amount: s.amount }),
      ...(extra.binMs === undefined ? {} : { binMs: extra.binMs }),
      ...(extra.skipRules === undefined ? {} : { skipRules: extra.skipRules }),
      ...(input.sampler === undefined ? {} : { sampler: input.sampler }),
      ...(baselineUs === undefined ? {} : { baselineMeanLatencyUs: baselineUs }),
      ...(input.signal === undefined ? {} : { signal: input.signal }),
      ...(input.onSample === undefined ? {} : { onSample: input.onSample }),
    });
    runs.push(run);
    input.onRun(run);
    return run;
  };

  // 1. response-time: one connection, closed loop by definition (also when --engine open).
  if (scenarios.includes('response-time') && !aborted()) {
    const run = await step('response-time', stepInfo(0, 'connections', 1), closedShape(s, 1), pick(s.defs['response-time'].timing, s));
    if (isCompleted(run) && run.requests.successes > 0) baselineUs = run.latencyUs.mean;
  }

  // 2. ramp: stepped up until throughput stops growing, or the p99 goal or error budget breaks.
  const unit: Unit = s.engine === 'open' ? 'rps' : 'connections';
  let breaking: RampRepeatResult['breakingPoint'] = null;
  let firstRampLoad: number | undefined;
  if (scenarios.includes('ramp') && !aborted()) {
    const def = s.defs.ramp;
    let loads: number[];
    if (unit === 'connections') {
      const cap = s.connections ?? Number.POSITIVE_INFINITY;
      loads = def.connections.filter((c) => c <= cap);
      if (s.connections !== undefined && !loads.includes(s.connections)) loads.push(s.connections);
    } else {
      const capacity = baselineUs !== undefined && baselineUs > 0 ? 1e6 / baselineUs : 1;
      loads = [...new Set(def.rateFactors.map((f) => roundRate(f * capacity)))].filter((r) => s.rateRps === undefined || r <= s.rateRps);
      if (s.rateRps !== undefined && !loads.includes(s.rateRps)) loads.push(s.rateRps);
    }
    firstRampLoad = loads[0];
    const ids: string[] = [];
    let prevRps: number | undefined;
    let stoppedBecause = `the last step (${unit === 'connections' ? 'c=' : 'rate='}${loads[loads.length - 1]}) still held; raise ${unit === 'connections' ? '--connections' : '--rate'} to go further`;
    for (let i = 0; i < loads.length; i++) {
      if (aborted()) {
        stoppedBecause = 'interrupted';
        break;
      }
      const load = loads[i]!;
      const run = await step('ramp', stepInfo(i, unit, load), shapeFor(s, unit, load), pick(def.timing, s));
      ids.push(run.id);
      if (!isCompleted(run)) {
        stoppedBecause = `step ${run.step.label} ${run.state}`;
        break;
      }
      if (unit === 'connections' && load === 1 && baselineUs === undefined && run.requests.successes > 0) baselineUs = run.latencyUs.mean;
      const fr = failureRateOf(run);
      const cpu = run.validity.rules.find((r) => r.rule === 'generator-cpu');
      if (run.latencyUs.p99 > s.latencyGoalP99Us || run.requests.successes === 0) {
        stoppedBecause = `latency goal broken at ${run.step.label}: p99 ${fmtMs(run.latencyUs.p99)} > ${fmtMs(s.latencyGoalP99Us)}`;
        break;
      }
      if (fr > s.errorBudget) {
        stoppedBecause = `error budget broken at ${run.step.label}: ${(fr * 100).toFixed(1)}% failed > ${(s.errorBudget * 100).toFixed(1)}%`;
        break;
      }
      if (cpu?.applies && !cpu.passed) {
        stoppedBecause = `the load generator saturated at ${run.step.label} (${cpu.message}); higher steps would measure the generator`;
        break;
      }
      if (unit === 'connections' && prevRps !== undefined && run.rps < prevRps * (1 + def.minGrowth)) {
        stoppedBecause = `throughput stopped growing at ${run.step.label}: ${prevRps.toFixed(1)} -> ${run.rps.toFixed(1)} rps (< +${Math.round(def.minGrowth * 100)}%)`;
        break;
      }
      // Compared with the arrivals actually scheduled in the window (a short Poisson window holds a
      // random number of them), not with the nominal rate.
      const offered = run.open !== undefined && run.windowMs > 0 ? (run.open.scheduled * 1000) / run.windowMs : load;
      if (unit === 'rps' && run.rps < offered * def.minAchievedShare) {
        stoppedBecause = `could not keep up at ${run.step.label}: ${run.rps.toFixed(1)} rps completed of ${offered.toFixed(1)} offered (< ${Math.round(def.minAchievedShare * 100)}%)`;
        break;
      }
      breaking = { load, loadUnit: unit, rps: run.rps, p99Us: run.latencyUs.p99, runId: run.id };
      prevRps = run.rps;
    }
    out.ramp = { configId: input.configId, repeat: input.repeat, runIds: ids, breakingPoint: breaking, stoppedBecause };
  }

  // The load held by sustained and stress: an explicit one, else the breaking point, else the ramp's first step.
  const explicit = unit === 'connections' ? s.connections : s.rateRps;
  const held = explicit ?? breaking?.load ?? firstRampLoad ?? (unit === 'connections' ? 1 : 1);

  // 3. sustained: that load held.
  let sustainedP99: number | undefined;
  if (scenarios.includes('sustained') && !aborted()) {
    const run = await step(
      'sustained',
      stepInfo(0, unit, held, `held ${unit === 'connections' ? `c=${held}` : `${held}/s`}`),
      shapeFor(s, unit, held),
      pick(s.defs.sustained.timing, s),
    );
    if (isCompleted(run) && run.requests.successes > 0) sustainedP99 = run.latencyUs.p99;
  }

  // 4. stress: multiplier x that load, then straight back down to it; recovery read from the latency series.
  if (scenarios.includes('stress') && !aborted()) {
    const def = s.defs.stress;
    const over = unit === 'connections' ? Math.ceil(held * def.multiplier) : roundRate(held * def.multiplier);
    const overload = await step('stress', stepInfo(0, unit, over, 'overload'), shapeFor(s, unit, over), pick(def.overload, s), { skipRules: ['error-budget'] });
    let recovery: LoadRun | undefined;
    if (!aborted()) {
      const recoveryMs = s.quick ? def.recoveryMs.quick : def.recoveryMs.default;
      recovery = await step(
        'stress',
        stepInfo(1, unit, held, 'recovery'),
        shapeFor(s, unit, held),
        { warmupMs: 0, durationMs: Math.max(recoveryMs, s.durationMs ?? 0) },
        {
          binMs: def.binMs,
          // Recovery is what is measured: no warm-up, and failures are part of the answer.
          skipRules: ['error-budget', 'warm-up-excluded'],
        },
      );
    }
    const baselineP99 = sustainedP99 ?? breaking?.p99Us ?? null;
    const threshold = baselineP99 === null ? null : Math.round(baselineP99 * def.recoveredAtP99Ratio);
    const rec = recovery !== undefined && isCompleted(recovery) && threshold !== null ? recoveryTime(recovery.latencySeries, threshold) : null;
    out.stress = {
      configId: input.configId,
      repeat: input.repeat,
      baselineLoad: held,
      overloadLoad: over,
      loadUnit: unit,
      overloadRunId: overload.id,
      recoveryRunId: recovery?.id ?? null,
      overloadFailures: isCompleted(overload) ? overload.failures : null,
      baselineP99Us: baselineP99,
      thresholdP99Us: threshold,
      recovered: rec === null ? null : rec.recovered,
      recoveryMs: rec === null ? null : rec.recoveryMs,
    };
  }

  // Little's law for the runs measured before the baseline was known (a ramp without response-time).
  if (baselineUs !== undefined) {
    for (const r of runs) {
      if (isCompleted(r) && r.littlesLaw === undefined) {
        const ll = littlesLaw(r.load, r.rps, baselineUs);
        if (ll !== undefined) r.littlesLaw = ll;
      }
    }
  }
  return out;
}

/**
 * The start of the recovered stretch: the first bin from which every bin answered something with a p99 at
 * most `thresholdUs`. Not recovered when even the last bin fails that.
 */
export function recoveryTime(
  series: readonly { startMs: number; completed: number; p99Us: number }[],
  thresholdUs: number,
): { recovered: boolean; recoveryMs: number | null } {
  let start: number | null = null;
  for (const b of series) {
    const ok = b.completed > 0 && b.p99Us <= thresholdUs;
    if (ok && start === null) start = b.startMs;
    if (!ok) start = null;
  }
  return start === null ? { recovered: false, recoveryMs: null } : { recovered: true, recoveryMs: Math.round(start) };
}

export interface RequestPathsSteps {
  /** Concurrencies to measure after the one-connection baseline. */
  connections: number[];
}

/** The request-paths chain: a one-connection baseline, then closed-loop steps at the given concurrencies. */
export async function runRequestPathsChain(steps: RequestPathsSteps, s: ChainSettings, input: ChainInput): Promise<ChainOutput> {
  const def = s.defs['request-paths'];
  const runs: LoadRun[] = [];
  let baselineUs: number | undefined;
  const timing = (t: Timings) => pick(t, s);
  const loads = [1, ...steps.connections];
  for (let i = 0; i < loads.length; i++) {
    if (input.signal?.aborted === true) break;
    const c = loads[i]!;
    const run = await runStep({
      configId: input.configId,
      scenario: 'request-paths',
      step: stepInfo(i, 'connections', c),
      repeat: input.repeat,
      load: closedShape(s, c),
      target: input.target,
      ...timing(c === 1 ? def.responseTime : def.timing),
      timeoutMs: s.timeoutMs,
      limits: s.limits,
      ...(s.amount === undefined ? {} : { amount: s.amount }),
      ...(input.sampler === undefined ? {} : { sampler: input.sampler }),
      ...(baselineUs === undefined ? {} : { baselineMeanLatencyUs: baselineUs }),
      ...(input.signal === undefined ? {} : { signal: input.signal }),
    });
    if (c === 1 && isCompleted(run) && run.requests.successes > 0) baselineUs = run.latencyUs.mean;
    runs.push(run);
    input.onRun(run);
  }
  return { runs };
}

function fmtMs(us: number): string {
  return `${(us / 1000).toFixed(us < 10_000 ? 2 : 0)} ms`;
}
