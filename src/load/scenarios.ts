// Carries out the scenarios on one started system for one round: response-time (the baseline), ramp (to
// the breaking point), sustained (that load held) and stress (past it, then back down), each step a
// measured run; and the request-paths comparison steps. The definitions come in with the settings.

import type { ClosedLoopEngine, LoadRun, LoadShape, RampRepeatResult, ScenarioName, StepInfo, StressRepeatResult, ValidityRuleName } from '../results/load.js';
import { failureRateOf, isCompleted, type CompletedRun } from './aggregate.js';
import type { HttpTarget, RequestSample } from './engines/types.js';
import { littlesLaw, runStep } from './runner.js';
import type { ServerSampler } from './sampler.js';
import type { StepTiming, Timings } from './scenario-types.js';
import type { ChainSettings } from './settings.js';

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

interface ChainOutput {
  runs: LoadRun[];
  ramp?: RampRepeatResult;
  stress?: StressRepeatResult;
}

type Unit = StepInfo['loadUnit'];
type Breaking = RampRepeatResult['breakingPoint'];

function pick(t: Timings, s: ChainSettings): StepTiming {
  const base = s.quick ? t.quick : t.default;
  return { warmupMs: s.warmupMs ?? base.warmupMs, durationMs: s.durationMs ?? base.durationMs };
}

function closedShape(s: ChainSettings, connections: number, engine: ClosedLoopEngine = s.closedEngine): LoadShape {
  const shape = { kind: 'closed', connections, pipelining: s.pipelining } as const;
  return engine === 'native' ? { ...shape, engine, workers: 0, threads: s.generatorThreads } : { ...shape, engine, workers: s.generatorWorkers };
}

function openShape(s: ChainSettings, rateRps: number): LoadShape {
  const shape = { kind: 'open', rateRps, arrivals: s.arrivals, maxInFlight: s.maxInFlight, seed: s.seed } as const;
  return s.openEngine === 'native' ? { ...shape, engine: 'native', threads: s.generatorThreads } : { ...shape, engine: 'open' };
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

/** One round of the matrix chain on one system: its settings, its runs so far, and the baseline latency once known. */
class Chain {
  readonly runs: LoadRun[] = [];
  /** Mean latency with one connection: the denominator of Little's law. */
  baselineUs: number | undefined;
  /** Closed loop counts connections, open loop a rate. */
  readonly unit: Unit;

  constructor(
    readonly s: ChainSettings,
    readonly input: ChainInput,
  ) {
    this.unit = s.loop === 'open' ? 'rps' : 'connections';
  }

  aborted(): boolean {
    return this.input.signal?.aborted === true;
  }

  /** One measured step, recorded and reported. */
  async step(
    scenario: ScenarioName,
    info: StepInfo,
    load: LoadShape,
    timing: StepTiming,
    extra: { binMs?: number; skipRules?: ValidityRuleName[] } = {},
  ): Promise<LoadRun> {
    const { s, input } = this;
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
      ...(this.baselineUs === undefined ? {} : { baselineMeanLatencyUs: this.baselineUs }),
      ...(input.signal === undefined ? {} : { signal: input.signal }),
      ...(input.onSample === undefined ? {} : { onSample: input.onSample }),
    });
    this.runs.push(run);
    input.onRun(run);
    return run;
  }

  /** Little's law for the runs measured before the baseline was known (a ramp without response-time). */
  fillLittlesLaw(): void {
    if (this.baselineUs === undefined) return;
    for (const r of this.runs) {
      if (isCompleted(r) && r.littlesLaw === undefined) {
        const ll = littlesLaw(r.load, r.rps, this.baselineUs);
        if (ll !== undefined) r.littlesLaw = ll;
      }
    }
  }
}

/** The matrix chain: the selected scenarios among response-time, ramp, sustained, stress, in that order. */
export async function runScenarioChain(scenarios: readonly ScenarioName[], s: ChainSettings, input: ChainInput): Promise<ChainOutput> {
  const chain = new Chain(s, input);
  const out: ChainOutput = { runs: chain.runs };
  if (scenarios.includes('response-time') && !chain.aborted()) await runResponseTime(chain);
  let ramp: RampOutcome | undefined;
  if (scenarios.includes('ramp') && !chain.aborted()) {
    ramp = await runRamp(chain);
    out.ramp = ramp.result;
  }
  // The load held by sustained and stress: an explicit one, else the breaking point, else the ramp's first step.
  const explicit = chain.unit === 'connections' ? s.connections : s.rateRps;
  const held = explicit ?? ramp?.result.breakingPoint?.load ?? ramp?.firstLoad ?? 1;
  let sustainedP99: number | undefined;
  if (scenarios.includes('sustained') && !chain.aborted()) sustainedP99 = await runSustained(chain, held);
  if (scenarios.includes('stress') && !chain.aborted()) {
    out.stress = await runStress(chain, held, sustainedP99 ?? ramp?.result.breakingPoint?.p99Us ?? null);
  }
  chain.fillLittlesLaw();
  return out;
}

/** response-time: one connection, closed loop by definition (also in an open loop; autocannon with --engine open). */
async function runResponseTime(chain: Chain): Promise<void> {
  const { s } = chain;
  const run = await chain.step('response-time', stepInfo(0, 'connections', 1), closedShape(s, 1), pick(s.defs['response-time'].timing, s));
  if (isCompleted(run) && run.requests.successes > 0) chain.baselineUs = run.latencyUs.mean;
}

interface RampOutcome {
  result: RampRepeatResult;
  /** The ramp's first load, held when no step held. */
  firstLoad: number | undefined;
}

/** The ramp's loads: its connections up to --connections, or multiples of the one-connection throughput up to --rate. */
function rampLoads(chain: Chain): number[] {
  const { s, unit } = chain;
  const def = s.defs.ramp;
  if (unit === 'connections') {
    const cap = s.connections ?? Number.POSITIVE_INFINITY;
    const loads = def.connections.filter((c) => c <= cap);
    if (s.connections !== undefined && !loads.includes(s.connections)) loads.push(s.connections);
    return loads;
  }
  const capacity = chain.baselineUs !== undefined && chain.baselineUs > 0 ? 1e6 / chain.baselineUs : 1;
  const loads = [...new Set(def.rateFactors.map((f) => roundRate(f * capacity)))].filter((r) => s.rateRps === undefined || r <= s.rateRps);
  if (s.rateRps !== undefined && !loads.includes(s.rateRps)) loads.push(s.rateRps);
  return loads;
}

/** ramp: stepped up until throughput stops growing, or the p99 goal or error budget breaks. */
async function runRamp(chain: Chain): Promise<RampOutcome> {
  const { s, unit, input } = chain;
  const def = s.defs.ramp;
  const loads = rampLoads(chain);
  const ids: string[] = [];
  let breaking: Breaking = null;
  let prevRps: number | undefined;
  const last = `${unit === 'connections' ? 'c=' : 'rate='}${loads[loads.length - 1]}`;
  let stoppedBecause = `the last step (${last}) still held; raise ${unit === 'connections' ? '--connections' : '--rate'} to go further`;
  for (let i = 0; i < loads.length; i++) {
    if (chain.aborted()) {
      stoppedBecause = 'interrupted';
      break;
    }
    const load = loads[i]!;
    const run = await chain.step('ramp', stepInfo(i, unit, load), shapeFor(s, unit, load), pick(def.timing, s));
    ids.push(run.id);
    if (!isCompleted(run)) {
      stoppedBecause = `step ${run.step.label} ${run.state}`;
      break;
    }
    if (unit === 'connections' && load === 1 && chain.baselineUs === undefined && run.requests.successes > 0) chain.baselineUs = run.latencyUs.mean;
    const broken = rampBreak(chain, run, load, prevRps);
    if (broken !== undefined) {
      stoppedBecause = broken;
      break;
    }
    breaking = { load, loadUnit: unit, rps: run.rps, p99Us: run.latencyUs.p99, runId: run.id };
    prevRps = run.rps;
  }
  return { result: { configId: input.configId, repeat: input.repeat, runIds: ids, breakingPoint: breaking, stoppedBecause }, firstLoad: loads[0] };
}

/** Why a ramp step is past the breaking point, or undefined when it held. */
function rampBreak(chain: Chain, run: CompletedRun, load: number, prevRps: number | undefined): string | undefined {
  const { s, unit } = chain;
  const def = s.defs.ramp;
  const label = run.step.label;
  const fr = failureRateOf(run);
  const cpu = run.validity.rules.find((r) => r.rule === 'generator-cpu');
  if (run.latencyUs.p99 > s.latencyGoalP99Us || run.requests.successes === 0) {
    return `latency goal broken at ${label}: p99 ${fmtMs(run.latencyUs.p99)} > ${fmtMs(s.latencyGoalP99Us)}`;
  }
  if (fr > s.errorBudget) return `error budget broken at ${label}: ${(fr * 100).toFixed(1)}% failed > ${(s.errorBudget * 100).toFixed(1)}%`;
  if (cpu?.applies && !cpu.passed) return `the load generator saturated at ${label} (${cpu.message}); higher steps would measure the generator`;
  if (unit === 'connections' && prevRps !== undefined && run.rps < prevRps * (1 + def.minGrowth)) {
    const growth = `${prevRps.toFixed(1)} -> ${run.rps.toFixed(1)} rps (< +${Math.round(def.minGrowth * 100)}%)`;
    return `throughput stopped growing at ${label}: ${growth}`;
  }
  // Compared with the arrivals actually scheduled in the window (a short Poisson window holds a
  // random number of them), not with the nominal rate.
  const offered = run.open !== undefined && run.windowMs > 0 ? (run.open.scheduled * 1000) / run.windowMs : load;
  if (unit === 'rps' && run.rps < offered * def.minAchievedShare) {
    const share = `${run.rps.toFixed(1)} rps completed of ${offered.toFixed(1)} offered (< ${Math.round(def.minAchievedShare * 100)}%)`;
    return `could not keep up at ${label}: ${share}`;
  }
  return undefined;
}

/** sustained: the held load for a set period; returns its p99 (the stress baseline) when it answered. */
async function runSustained(chain: Chain, held: number): Promise<number | undefined> {
  const { s, unit } = chain;
  const label = `held ${unit === 'connections' ? `c=${held}` : `${held}/s`}`;
  const run = await chain.step('sustained', stepInfo(0, unit, held, label), shapeFor(s, unit, held), pick(s.defs.sustained.timing, s));
  return isCompleted(run) && run.requests.successes > 0 ? run.latencyUs.p99 : undefined;
}

/** stress: multiplier x the held load, then straight back down to it; recovery read from the latency series. */
async function runStress(chain: Chain, held: number, baselineP99: number | null): Promise<StressRepeatResult> {
  const { s, unit, input } = chain;
  const def = s.defs.stress;
  const over = unit === 'connections' ? Math.ceil(held * def.multiplier) : roundRate(held * def.multiplier);
  const overload = await chain.step('stress', stepInfo(0, unit, over, 'overload'), shapeFor(s, unit, over), pick(def.overload, s), {
    skipRules: ['error-budget'],
  });
  let recovery: LoadRun | undefined;
  if (!chain.aborted()) {
    const recoveryMs = s.quick ? def.recoveryMs.quick : def.recoveryMs.default;
    recovery = await chain.step(
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
  const threshold = baselineP99 === null ? null : Math.round(baselineP99 * def.recoveredAtP99Ratio);
  const rec = recovery !== undefined && isCompleted(recovery) && threshold !== null ? recoveryTime(recovery.latencySeries, threshold) : null;
  return {
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

/**
 * The request-paths chain: a one-connection baseline, then closed-loop steps at the given concurrencies, on
 * the engine its definition names (the card's reference, autocannon) unless --engine names one.
 */
export async function runRequestPathsChain(steps: { connections: number[] }, s: ChainSettings, input: ChainInput): Promise<ChainOutput> {
  const def = s.defs['request-paths'];
  const engine = s.engineExplicit ? s.closedEngine : (def.engine ?? s.closedEngine);
  const runs: LoadRun[] = [];
  let baselineUs: number | undefined;
  const loads = [1, ...steps.connections];
  for (let i = 0; i < loads.length; i++) {
    if (input.signal?.aborted === true) break;
    const c = loads[i]!;
    const run = await runStep({
      configId: input.configId,
      scenario: 'request-paths',
      step: stepInfo(i, 'connections', c),
      repeat: input.repeat,
      load: closedShape(s, c, engine),
      target: input.target,
      ...pick(c === 1 ? def.responseTime : def.timing, s),
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
