// Result types of the scaling experiment (seeds 001 and 002: "how does throughput grow with model servers?"):
// sweeps over the number of model servers (model workers behind the Redis queue, model-server replicas behind
// nginx), each step's throughput, p99 and CPU per process, its efficiency against linear scaling, and the
// finding: where adding servers stops paying on this host, and what the limit is.

import type { Spread } from './common.js';
import type { PredictKind } from './vocab.js';

/** The two sweeps: model workers behind the Redis queue, model-server replicas behind nginx. */
export type ScalingSweepKind = 'queue' | 'replicas';

/** The CPU of one role's processes in a step (medians over its repeats), % of one core. */
export interface ScalingRoleCpu {
  role: string;
  processes: number;
  /** Mean over the role's processes. */
  perProcessPercent: number;
  /** Summed over them. */
  totalPercent: number;
}

/** One step of a sweep: k servers, over its repeats. */
export interface ScalingStep {
  configId: string;
  /** Model servers at this step: model workers (queue) or replicas of each model service (replicas). */
  servers: number;
  validRepeats: number;
  rps: Spread;
  latencyP99Us: Spread;
  failureRate: Spread;
  /** rps(k) / ((k / k0) x rps(k0)), k0 the sweep's first count: 1 is linear scaling. null without figures. */
  efficiency: number | null;
  /** The throughput added over the step before, as a share of what linear scaling would add (null for the first). */
  marginalGain: number | null;
  /** Whether the step paid: it added at least the sweep's threshold of the linear gain (null for the first). */
  paid: boolean | null;
  cpu: ScalingRoleCpu[];
  /** Cores busy in the window (medians over the repeats): the system's processes summed, and the load generator. */
  systemCores: number | null;
  generatorCores: number | null;
  /**
   * Cores busy on the whole host in the window (medians over the repeats, from /proc/stat): every process's,
   * so other tenants' too; null where it could not be read.
   */
  hostBusyCores: number | null;
}

/** What the finding names as the limit. */
export type ScalingLimit = 'cores' | 'one-process' | 'not-cpu' | 'unknown';

export interface ScalingSweep {
  kind: ScalingSweepKind;
  description: string;
  /** What one server is in this sweep, e.g. 'model worker'. */
  serverUnit: string;
  counts: number[];
  steps: ScalingStep[];
  /** The first count whose step did not pay (null: every step paid, or too few figures). */
  stopsPayingAt: number | null;
  limit: ScalingLimit;
  /** Where adding servers stops paying on this host and why, in a sentence or two, from the figures above. */
  finding: string;
  /** Why it did not run, when it did not. */
  skipped?: string;
}

export interface ScalingResult {
  description: string;
  predict: PredictKind;
  /** cpu predict: values averaged per predict (the cost of one model job). */
  n?: number;
  /** Closed-loop connections of every step (the same load for every server count). */
  connections: number;
  /** A step pays when it adds at least this share of the throughput linear scaling would add. */
  paysAbove: number;
  /** Cores count as the limit when at least this share of the host's cores is busy (the whole host's, else ours). */
  coresBusyAbove: number;
  /** The host's cores (os.availableParallelism()): the system under test and the load generator share them. */
  hostCores: number;
  sweeps: ScalingSweep[];
}
