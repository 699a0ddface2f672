// The shape of the scaling experiment's definition (benchmarks/scenarios/scaling.ts holds it): seed 001 and
// 002's question, "how does throughput grow with model servers?", as two sweeps over the server count: model
// workers behind the Redis queue, and model-server replicas behind nginx.

import type { StepTiming, Timings } from '../load/scenario-types.js';

export interface ScalingScenario {
  name: 'scaling';
  description: string;
  /** The queue sweep's model-worker counts (--model-workers replaces them). */
  modelWorkers: Timings<number[]>;
  /** The nginx sweep's replicas of each model service (--replicas replaces them). */
  replicas: Timings<number[]>;
  /** The models' predict: cpu makes each server a core's worth of work, so the host's cores show as the limit. */
  predict: 'io' | 'cpu';
  /** cpu predict: values averaged per predict (the CPU cost of one model job). */
  n: number;
  /** Closed-loop connections of every step, enough to keep the most servers busy (--connections replaces it). */
  connections: number;
  repeats: Timings<number>;
  timing: Timings<StepTiming>;
  /** Queue path: a request's deadline for its jobs (then 504). */
  queueTimeoutMs: number;
  /** A step pays when it adds at least this share of the throughput linear scaling would add. */
  paysAbove: number;
  /** Cores are the limit when at least this share of the host's cores is busy (system and generator together). */
  coresBusyAbove: number;
  /** One process is the limit when it is busy at least this share of one core. */
  processBusyAbove: number;
}
