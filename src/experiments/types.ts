// The shape of the experiments, suites of their own (and selectable with `servebench load --scenario`, never
// part of the default matrix): queue-workers (a Redis queue, 1 vs 2 model workers), autoscale (an emulated HPA),
// scaling (its types: scaling-types.ts), faults (a fault schedule under load), batching (a batching model API) and
// high-concurrency (one process vs a pool behind nginx, up to the open-file limit). The definitions live in
// benchmarks/scenarios/ and come in from the caller.

import type { StepTiming, Timings } from '../load/scenario-types.js';
import type { RatePhase } from '../results/experiments.js';
import type { BatchingSettings } from '../results/serving.js';
import type { MatrixPath, PredictKind, RequestPath, StoreKind, Topology } from '../results/vocab.js';
import type { ScalingScenario } from './scaling-types.js';

/** One vs more model workers behind the Redis queue, closed loop, interleaved rounds. */
export interface QueueWorkersScenario {
  name: 'queue-workers';
  description: string;
  /** Model worker counts compared (each a configuration). */
  modelWorkers: number[];
  predict: PredictKind;
  /** Closed-loop connections of each step; the first is the one-connection baseline. */
  connections: Timings<number[]>;
  /** The step (connections) whose rps ratio is the comparison; --connections replaces it. */
  compareAt: number;
  /**
   * Relative tolerance of the expected rps ratio at `compareAt`: W workers / the fewest = W / fewest, since
   * jobs are independent and each worker takes one at a time (for 1 vs 2: 2, as each request's two jobs
   * then run side by side).
   */
  ratioTolerance: number;
  /** A request's deadline for its jobs (then 504). */
  queueTimeoutMs: number;
  /** LLEN period, ms. */
  depthIntervalMs: number;
  repeats: Timings<number>;
  /** The one-connection step, the loaded ones, and those past `overloadAbove`. */
  baselineTiming: Timings<StepTiming>;
  timing: Timings<StepTiming>;
  /** Past the deadline, a closed loop needs a warm-up longer than the deadline to reach its steady state (timeouts included). */
  overloadTiming: Timings<StepTiming>;
  /** Failures are part of the answer above this many connections (no error-budget rule there). */
  overloadAbove: number;
}

/** The autoscaling controller's settings in a scenario (the HPA rule with compressed times). */
interface AutoscaleControllerSettings {
  targetUtilization: number;
  tolerance: number;
  minReplicas: number;
  maxReplicas: number;
  syncPeriodMs: number;
  scaleDownStabilizationMs: number;
  metric: 'elu' | 'cpu';
}

/** Load ramped up, held and dropped against an autoscaled system and a fixed one. */
export interface AutoscaleScenario {
  name: 'autoscale';
  description: string;
  predict: PredictKind;
  profile: Timings<RatePhase[]>;
  controller: Timings<AutoscaleControllerSettings>;
  /** The baseline system's replicas per model service. */
  fixedReplicas: number;
  /** Every process's metrics period (the controller's input), ms. */
  metricsIntervalMs: number;
  /** In-flight bound of the open loop. */
  maxInFlight: number;
  binMs: number;
}

/** A sustained open loop on a system with restarts on, faults applied on a schedule (--fault replaces it). */
export interface FaultsScenario {
  name: 'faults';
  description: string;
  path: RequestPath;
  topology: Topology;
  /** Processes per service (cluster, nginx). */
  workers: number;
  predict: PredictKind;
  store: StoreKind;
  /** Arrivals per second (Poisson); --rate replaces it. */
  rateRps: Timings<number>;
  /** The schedule, written as --fault expressions ('at=5s kill model-a'), times from the measured window's start. */
  schedule: Timings<string[]>;
  /** The window goes on this long after the last fault is over, for the recovery to show. */
  recoveryMs: Timings<number>;
  /** Load before the window (and before the first fault), excluded from the figures. */
  warmupMs: Timings<number>;
  /** In-flight bound of the open loop. */
  maxInFlight: number;
}

/** A model API alone, batching off vs (max-size, max-wait) settings, under an open-loop ramp on each path. */
export interface BatchingScenario {
  name: 'batching';
  description: string;
  predict: 'cpu';
  /** The cpu predict's n: small, so the per-call overhead is what batching could amortise. */
  n: number;
  paths: ('sync' | 'async')[];
  /** The settings compared with batching off. */
  settings: Timings<BatchingSettings[]>;
  /** Batching off's capacity on each path, measured closed loop first: the ramp's rates are multiples of it. */
  calibration: { connections: number; timing: Timings<StepTiming> };
  rateMultiples: Timings<number[]>;
  timing: Timings<StepTiming>;
  /** In-flight bound of the open loop. */
  maxInFlight: number;
  /** The throughput multiple over batching off the findings look for. */
  speedupGoal: number;
}

/**
 * Every path on every topology under very high concurrency (the published Flask vs nginx + gunicorn experiment:
 * 50,000 Locust users), closed loop, each step on a freshly started system.
 */
export interface HighConcurrencyScenario {
  name: 'high-concurrency';
  description: string;
  paths: MatrixPath[];
  topologies: Topology[];
  /** The topologies --quick runs; the others are listed as left out. */
  quickTopologies: Topology[];
  predict: PredictKind;
  /** Connections of each step; steps above the open-file ceiling are dropped and the ceiling becomes the last one. */
  connections: Timings<number[]>;
  timing: Timings<StepTiming>;
  /**
   * A request unanswered after this long counts as failed (a timeout) and its connection is opened again. No
   * longer than the window, so an overloaded step's unanswered requests end inside it, as failures.
   */
  requestTimeoutMs: Timings<number>;
  repeats: Timings<number>;
}

export interface ExperimentSet {
  'queue-workers': QueueWorkersScenario;
  autoscale: AutoscaleScenario;
  faults: FaultsScenario;
  scaling: ScalingScenario;
  batching: BatchingScenario;
  'high-concurrency': HighConcurrencyScenario;
}
