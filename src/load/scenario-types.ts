// The shape of a load scenario definition. The definitions themselves live in benchmarks/scenarios/ (one
// file each, like a locustfile) and come in from the caller; src/load/scenarios.ts carries them out.

import type { ClosedLoopEngine, ScenarioName } from '../results/load.js';

/** Warm-up (excluded from every figure) and measured window of one step, ms. */
export interface StepTiming {
  warmupMs: number;
  durationMs: number;
}

/** Timings for the default run and for --quick. */
export interface Timings<T = StepTiming> {
  default: T;
  quick: T;
}

interface ScenarioBase<N extends ScenarioName> {
  name: N;
  /** One line for --help and the report. */
  description: string;
}

/** One connection: the latency baseline, and the denominator of Little's law. */
export interface ResponseTimeScenario extends ScenarioBase<'response-time'> {
  connections: 1;
  timing: Timings;
}

/** Load stepped up until throughput stops growing or a goal breaks. */
export interface RampScenario extends ScenarioBase<'ramp'> {
  /** Closed loop: concurrency of each step (the ramp stops at the first broken step). */
  connections: number[];
  /** Open loop: target rate of each step, as multiples of the one-connection throughput. */
  rateFactors: number[];
  /** A step "grows" when its rps is at least (1 + minGrowth) x the previous step's. */
  minGrowth: number;
  /** Open loop: a step keeps up when it achieves at least this share of its target rate. */
  minAchievedShare: number;
  /** Latency goal: p99 at most this, microseconds. */
  latencyGoalP99Us: number;
  /** Error budget: at most this share of requests may fail. */
  errorBudget: number;
  timing: Timings;
}

/** The breaking-point load held for a set period. */
export interface SustainedScenario extends ScenarioBase<'sustained'> {
  timing: Timings;
}

/** Well past the breaking point, then back down: failures by kind and the time latency takes to recover. */
export interface StressScenario extends ScenarioBase<'stress'> {
  /** Overload = multiplier x breaking-point load. */
  multiplier: number;
  overload: Timings;
  /** The recovery phase at the breaking-point load (no warm-up: recovery is what is measured). */
  recoveryMs: Timings<number>;
  /** Bin width of the recovery series, ms. */
  binMs: number;
  /** Recovered once a bin's p99 is at most this multiple of the pre-stress p99 (and stays so). */
  recoveredAtP99Ratio: number;
}

/** Issue 3's speed goals and issue 4's Little's-law goals, measured side by side in one run. */
export interface RequestPathsScenario extends ScenarioBase<'request-paths'> {
  /** Concurrency of the sync/async and single/cluster comparison. */
  connections: number;
  /** Concurrency of the async Little's-law check. */
  littleConnections: number;
  /** async single must serve at least this multiple of sync single. */
  asyncOverSyncMin: number;
  /** sync cluster of W workers should serve about W x sync single, within this relative tolerance. */
  clusterTolerance: number;
  /** async single at littleConnections must reach this share of Little's-law expectation. */
  littleShareMin: number;
  /** sync single must be within this relative distance of 1 / service time. */
  syncServiceTolerance: number;
  /** Repeats (rounds) when the suite's repeats are not set. */
  repeats: Timings<number>;
  timing: Timings;
  responseTime: Timings;
  /** The closed-loop engine of its steps unless --engine names one. @default the run's (native where the addon loads) */
  engine?: ClosedLoopEngine;
}

export interface ScenarioSet {
  'response-time': ResponseTimeScenario;
  ramp: RampScenario;
  sustained: SustainedScenario;
  stress: StressScenario;
  'request-paths': RequestPathsScenario;
}
