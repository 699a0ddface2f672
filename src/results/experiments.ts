// Result types of the experiments (owned by src/load/ today): the Redis queue in front of 1 vs 2 model workers
// (seed 001) and the autoscaling emulation (seed 002). Their runs are load runs (load.ts); these are their own figures.

import type { ErrorInfo, Spread } from './common.js';
import type { MatrixPath, PredictKind, Topology } from './vocab.js';

/** One phase of a rate profile: the arrival rate goes linearly from `fromRps` to `toRps` over `durationMs`. */
export interface RatePhase {
  name: string;
  durationMs: number;
  fromRps: number;
  toRps: number;
}

/** The queue path's jobs list sampled with LLEN during a measured window. */
export interface QueueDepthSeries {
  intervalMs: number;
  /** Jobs waiting for a worker; `atMs` from the window's start. */
  samples: { atMs: number; depth: number }[];
  mean: number;
  p50: number;
  max: number;
}

/** The queue model workers over a window, from their own metrics. */
export interface QueueWorkersView {
  workers: number;
  /** Mean over workers of the share of time spent on jobs, 0..1 (null without metrics). */
  busyShare: number | null;
  /** Jobs answered in the window, all workers. */
  jobs: number | null;
  /** Jobs dropped because their request had already timed out. */
  expiredJobs: number | null;
}

/** The queue-workers experiment (seed 001): one vs more model workers behind the Redis queue. */
export interface QueueWorkersResult {
  description: string;
  modelWorkers: number[];
  /** Closed-loop connections of each step. */
  connections: number[];
  queueTimeoutMs: number;
  predict: PredictKind;
  /** Per configuration and step, over the repeats: the depth of the jobs list. */
  depth: { configId: string; step: string; meanDepth: Spread; maxDepth: Spread; busyShare: Spread }[];
  /** Ids of the comparisons (in LoadData.comparisons) this experiment adds. */
  comparisonIds: string[];
  /** Why it did not run, when it did not. */
  skipped?: string;
}

/** The replica counts of the model services at one instant. */
export interface ReplicaCounts {
  /** The replica count asked for (spec.replicas). */
  desired: number;
  /** Replicas receiving requests. */
  ready: number;
}

/** One second of an autoscale run. */
export interface AutoscaleTimelineRow {
  second: number;
  phase: string;
  /** Arrivals scheduled in this second. */
  offered: number;
  /** Successful responses completed in this second. */
  rps: number;
  /** Requests scheduled in this second that failed. */
  failures: number;
  /** Latency of the requests scheduled in this second (0 when none succeeded). */
  p50Us: number;
  p99Us: number;
  /** Per model service, at the end of the second. */
  replicas: Record<string, ReplicaCounts>;
  /** Per model service: the mean utilization the controller saw at its last sync in this second (null: none). */
  utilization: Record<string, number | null>;
}

/** One controller sync, as data. */
export interface AutoscaleDecisionData {
  /** ms from the run's window start. */
  atMs: number;
  service: string;
  currentReplicas: number;
  readyReplicas: number;
  utilization: number | null;
  missing: number;
  unready: number;
  recommended: number;
  desired: number;
  reason: string;
}

/** A replica added or removed, as data. */
export interface ReplicaEventData {
  atMs: number;
  service: string;
  kind: 'ready' | 'removed' | 'failed';
  replica: string;
  pid: number;
  /** Replicas receiving requests after the change. */
  ready: number;
  message: string;
}

export interface AutoscalePhaseSummary {
  phase: string;
  durationMs: number;
  /** Arrivals scheduled per second over the phase. */
  offeredRps: number;
  /** Successful responses per second completed in the phase. */
  rps: number;
  /** Latency of the requests scheduled in the phase: from the per-second bins, the median of their p50s and the highest p99. */
  p50Us: number;
  p99Us: number;
  failures: number;
  /** Per model service: mean and highest ready replicas over the phase's seconds. */
  replicas: Record<string, { mean: number; max: number }>;
}

/** One system of the autoscale experiment: autoscaled, or held at a fixed replica count. */
export interface AutoscaleConfigResult {
  configId: string;
  mode: 'autoscaled' | 'fixed';
  state: 'completed' | 'errored' | 'skipped';
  reason?: string;
  error?: ErrorInfo;
  /** The run in LoadData.runs. */
  runId: string | null;
  /** The controller's settings (null for the fixed system). */
  autoscaler: Record<string, unknown> | null;
  replicasAtStart: number;
  timeline: AutoscaleTimelineRow[];
  phases: AutoscalePhaseSummary[];
  decisions: AutoscaleDecisionData[];
  replicaEvents: ReplicaEventData[];
  /** Per model service: replica-seconds used over the run (the cost side of autoscaling). */
  replicaSeconds: Record<string, number>;
}

/** The autoscale experiment (seed 002), as an emulation of the HorizontalPodAutoscaler's algorithm. */
export interface AutoscaleResult {
  /** Plainly: what this is and is not (an emulation of the HPA's algorithm, not Kubernetes). */
  emulation: string;
  description: string;
  profile: RatePhase[];
  binMs: number;
  configurations: AutoscaleConfigResult[];
  /** Autoscaled / fixed in the hold phase: rps ratio, p99 ratio, failures of each. */
  hold: { phase: string; rpsRatio: number | null; p99Ratio: number | null; failures: Record<string, number> } | null;
  skipped?: string;
}

/** How many connections the host lets one load generator open: its open-file limit less what else it holds. */
export interface ConnectionCeiling {
  /** The generator process's hard open-file limit ('unlimited', or 'unknown' with no /proc). */
  hardLimit: number | string;
  /** Descriptors kept for everything but connections (files, pipes, the servers' IPC). */
  headroom: number;
  /** hardLimit - headroom: the most connections a step may open (null when the limit is unlimited or unknown). */
  allowed: number | null;
  /** The definition's steps before the ceiling. */
  requested: number[];
  /** Steps above the ceiling, left out (the ceiling itself is then the last step). */
  dropped: number[];
  /** In words: the limit, the steps kept, and how to go higher (`ulimit -n`). */
  note: string;
}

/** CPU a configuration's processes used over a window: per role (summed over its processes) and in all. */
export interface CpuUse {
  /** Per process role, e.g. scoring x2: CPU in percent of one core, summed over its processes. */
  byRole: { role: string; processes: number; cpuPercent: number; eventLoopUtilization: number | null }[];
  /** Every server process, in cores (100% of one core = 1). */
  serverCores: number;
  /** The load generator, in cores. */
  generatorCores: number;
}

/** One configuration at one connection count (over its rounds: the median run, by throughput). */
export interface HighConcurrencyRow {
  configId: string;
  path: MatrixPath;
  topology: Topology;
  /** Worker processes per service (1 for single). */
  workers: number;
  connections: number;
  /** The run the figures come from, in LoadData.runs (null: it errored or was skipped). */
  runId: string | null;
  state: 'completed' | 'errored' | 'skipped';
  /** Why it has no figures. */
  reason?: string;
  /** Requests sent and finished in the window: answered (2xx or not) plus failed without an answer. */
  requests: number;
  successes: number;
  failures: { total: number; errors: number; timeouts: number; non2xx: number; resets: number };
  /** failures.total / requests (0..1; null when nothing finished). */
  failureRate: number | null;
  /** Error codes seen, with counts, e.g. { timeout: 120, ECONNRESET: 4 }. */
  failureCodes: Record<string, number>;
  /** Successful responses per second. */
  rps: number;
  /**
   * The mean time a request spends waiting and being served, by Little's law: connections / (requests ended per
   * second), microseconds. In a closed loop every connection always has one request out, so this holds even when
   * most requests outlast the window (whose percentiles only see those that ended in it). Null when none ended.
   */
  littleWaitUs: number | null;
  /** Latency of the successful responses, microseconds (null when none succeeded). */
  latencyUs: { p50: number; mean: number; p99: number; max: number } | null;
  cpu: CpuUse | null;
  /** The run kept its figures but broke a validity rule: the rules' messages. */
  invalid: string[];
}

/** The high-concurrency experiment: one process vs a pool behind nginx, up to the host's open-file limit. */
export interface HighConcurrencyResult {
  description: string;
  predict: PredictKind;
  /** Connection counts stepped through, in order (after the ceiling). */
  connections: number[];
  ceiling: ConnectionCeiling;
  /** Every step: warm-up, measured window, and the request timeout after which a request counts as failed. */
  timing: { warmupMs: number; durationMs: number; requestTimeoutMs: number };
  /** Cores a benchmark may use on this host, and worker processes per service of cluster and nginx. */
  cores: number;
  workers: number;
  rounds: number;
  rows: HighConcurrencyRow[];
  /** Configurations left out (e.g. by --quick), with the reason. */
  leftOut: { configId: string; reason: string }[];
  skipped?: string;
}
