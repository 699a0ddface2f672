// Result types of the load suite (owned by src/load/): every run's requests, failures by kind, throughput,
// latency in microseconds, the generator's own load, the servers' own view, and the validity verdict.

import type { ErrorInfo, FailureCounts, Flag, Spread } from './common.js';
import type { BatchingResult } from './batching.js';
import type { AutoscaleResult, HighConcurrencyResult, QueueDepthSeries, QueueWorkersResult, QueueWorkersView, RatePhase } from './experiments.js';
import type { FaultsResult } from './faults.js';
import type { GeneratorProcessPart } from './generator-processes.js';
import type { FdLimitInfo, LoadOptionsEcho } from './load-options.js';
import type { ScalingResult } from './scaling.js';
import type { ModelDescription } from './serving.js';
import type { ArrivalProcess, ClosedLoopEngine, LoadEngineName, OpenLoopEngine, PredictKind, RequestPath, ScenarioName } from './vocab.js';

// Defined beside the other shared result types (results/faults.ts counts failures too, and load.ts imports it).
export type { FailureCounts } from './common.js';

export type { FdLimitInfo, LoadOptionsEcho, ShardEcho } from './load-options.js';

export type { ArrivalProcess, ClosedLoopEngine, LoadEngineName, LoadLoop, OpenLoopEngine, ScenarioName } from './vocab.js';

/** Latency percentiles of one run, in microseconds. */
export interface LatencyUs {
  min: number;
  mean: number;
  stdev: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** How latency was timed, and its resolution: autocannon's own histograms hold whole milliseconds. */
export interface LatencyResolution {
  /** The smallest step between two recorded latencies, in microseconds (1 or 1000). */
  resolutionUs: number;
  /** What started and stopped the clock, e.g. 'scheduled send time -> last byte (hrtime)'. */
  source: string;
}

/** The load one run applied: closed loop (fixed connections) or open loop (arrivals at a rate). */
export type LoadShape = (
  | {
      kind: 'closed';
      engine: ClosedLoopEngine;
      connections: number;
      pipelining: number;
      /** autocannon worker threads (0: in the servebench process itself, and for the native engine). */
      workers: number;
    }
  | {
      kind: 'open';
      engine: OpenLoopEngine;
      /** Target arrival rate, requests per second. */
      rateRps: number;
      arrivals: ArrivalProcess;
      /** Requests allowed in flight at once; later arrivals wait (and their wait counts in their latency). */
      maxInFlight: number;
      seed: number;
    }
) & { threads?: number /* the native engine's load threads */ };

/** Open-loop bookkeeping: how faithfully the schedule was kept. */
export interface OpenLoopFacts {
  targetRps: number;
  /** Requests whose scheduled time fell in the measured window. */
  scheduled: number;
  /** Requests sent later than `toleranceUs` after their scheduled time, by cause. */
  lateSends: { total: number; toleranceUs: number; byCause: { inFlightBound: number; generator: number } };
  /** Highest number of requests in flight at once. */
  peakInFlight: number;
  /** Requests of the window unanswered when the drain after it ended: timeouts (code 'unfinished'), not in the histogram. */
  unfinished: number;
}

/** The load generator's own load over the measured window. */
export interface GeneratorFacts {
  engine: LoadEngineName;
  pid: number;
  /** CPU time over the window / wall time, 1 = one core (JS engines: this process; native: its load threads). */
  cpuCores: number;
  /** Threads the generator can use (its CPU ceiling in cores). */
  threads: number;
  /** Event-loop utilization of the generator's main thread over the window, 0..1. */
  eventLoopUtilization: number;
}

/** One server process seen during the measured window (sampled from /proc and, when sent, the process's own metrics). */
export interface ProcessSampleSummary {
  role: string;
  pid: number;
  name: string;
  /** Number of /proc samples in the window. */
  samples: number;
  /** CPU use in percent of one core: mean over the window, and the highest sampling interval. */
  cpuPercent: { mean: number; max: number } | null;
  rssBytes: { mean: number; max: number } | null;
  /** From the process's own metrics (null when it sends none, e.g. nginx or a --target deployment). */
  eventLoopUtilization: { mean: number; max: number } | null;
  eventLoopDelayP99Us: { mean: number; max: number } | null;
  /** Requests the process completed in the window, by its own count. */
  requests: number | null;
  /** Its error answers in the window by status and code, by its own count, e.g. { '500 model_failed': 12 }; absent without metrics. */
  errorCodes?: Record<string, number>;
  /** Why some figures are missing, e.g. 'process exited during the run'. */
  notes: string[];
}

/**
 * Mean per-request time of each step, as the scoring processes timed it themselves, microseconds: over the
 * answers they delivered in the window (`requests`); `queue` over those of them whose queueing was known.
 */
export interface ServerTimingUs {
  requests: number;
  featureRead: number;
  modelA: number;
  modelB: number;
  total: number;
  queue: number;
}

/**
 * Little's law beside the measured throughput: concurrency / (mean latency with one connection) is what the
 * path would deliver if more load added no waiting.
 */
export interface LittlesLaw {
  concurrency: number;
  baselineMeanLatencyUs: number;
  expectedRps: number;
  /** measured rps / expected rps. */
  ratio: number;
}

export type ValidityRuleName = 'min-duration' | 'min-requests' | 'warm-up-excluded' | 'generator-cpu' | 'generator-on-time' | 'error-budget';

export interface ValidityRuleResult {
  rule: ValidityRuleName;
  /** False when the rule does not apply to this run (e.g. generator-on-time for a closed loop, error-budget under stress). */
  applies: boolean;
  passed: boolean;
  measured: number;
  limit: number;
  message: string;
}

export interface RunValidity {
  valid: boolean;
  /** The messages of the failed rules. */
  reasons: string[];
  rules: ValidityRuleResult[];
}

/**
 * Latency over one bin of the measured window: by completion time (closed loop), or by scheduled send
 * time (open loop: what a request arriving then went through).
 */
export interface LatencyBin {
  startMs: number;
  durationMs: number;
  completed: number;
  failures: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
}

export interface StepInfo {
  index: number;
  /** e.g. 'c=16', 'rate=200/s', 'overload', 'recovery'. */
  label: string;
  /** Concurrency (closed loop) or target rate (open loop) of this step. */
  load: number;
  loadUnit: 'connections' | 'rps';
}

export interface LoadMeasurement {
  warmupMs: number;
  /** Length of the measured window, ms. */
  windowMs: number;
  requests: { completed: number; successes: number };
  failures: FailureCounts;
  /** Error codes and non-2xx statuses seen in the window, with counts (e.g. { ECONNREFUSED: 3, '503': 12 }). */
  failureCodes: Record<string, number>;
  /** Successful responses per second over the measured window. */
  rps: number;
  /** Successful responses in each whole second of the window. */
  rpsSeries: number[];
  latencyUs: LatencyUs;
  /**
   * The successful responses' latencies over the window as one HDR histogram in microseconds, compressed
   * and base64-encoded in HdrHistogram's standard format (decode with hdr-histogram-js's
   * decodeFromCompressedBase64, or any HdrHistogram library): every percentile, and repeats merged. Absent
   * when nothing succeeded, and for autocannon in worker mode (its own whole-millisecond histogram).
   */
  latencyHistogramUs?: string;
  latencyResolution: LatencyResolution;
  latencySeries: LatencyBin[];
  bytesReceived: number;
  open?: OpenLoopFacts;
  generator: GeneratorFacts;
  servers: ProcessSampleSummary[];
  serverTimingUs?: ServerTimingUs;
  littlesLaw?: LittlesLaw;
  /** Queue path: the jobs list's depth (LLEN) over the window. */
  queueDepth?: QueueDepthSeries;
  /** Queue path: the model workers' own view over the window. */
  queueWorkers?: QueueWorkersView;
  /** autoscale: the rate profile the open loop followed (the load is not one rate). */
  rateProfile?: RatePhase[];
  /** `--generator-processes N`: each process's part (its share, validity, rps); the figures above are theirs merged exactly. */
  generatorProcesses?: GeneratorProcessPart[];
  /**
   * Caveats on the figures that the validity rules do not cover, e.g. latency percentiles that understate
   * the wait because, by Little's law, the queue is longer than the window shows.
   */
  notes: string[];
  valid: boolean;
  validity: RunValidity;
}

interface RunHeader {
  /** `${configId}/${scenario}/${step label}/r${repeat}` */
  id: string;
  configId: string;
  scenario: ScenarioName;
  step: StepInfo;
  /** 1-based repeat (round) number. */
  repeat: number;
  startedAt: string;
  load: LoadShape;
}

export type LoadRun =
  | (RunHeader & { state: 'completed' } & LoadMeasurement)
  | (RunHeader & { state: 'errored'; error: ErrorInfo; valid: false })
  | (RunHeader & { state: 'skipped'; reason: string; valid: false });

/** A system configuration of the matrix (or the --target deployment). Skipped ones stay listed with the reason. */
export interface LoadConfiguration {
  id: string;
  path?: RequestPath;
  topology?: 'single' | 'cluster' | 'nginx';
  predict?: PredictKind;
  workers?: number;
  /** Queue path: model worker processes behind the Redis list. */
  modelWorkers?: number;
  /** The URL loaded (--target), or the scoring URL of the last start. */
  url?: string;
  /** --target with a command (`load --target URL -- node app.js`): the command servebench started, and stopped after. */
  command?: string[];
  /** onnx and module: the model the model services ran (model-a's: file, size, sha256, inputs, runtime, placement, threads). */
  model?: ModelDescription;
  /** model-b's model, when it ran another file than model-a. */
  modelB?: ModelDescription;
  store?: { kind: string; detail: string };
  /** The server processes of the last start. */
  processes?: { role: string; pid: number; name: string }[];
  /** Milliseconds from asking for the system to its being ready, per round. */
  startupMs?: number[];
  /** What the reader must know about how it ran (fallbacks, worker counts, no sampling...). */
  notes?: string[];
  /**
   * 'failed': it ran, but not one request of its completed runs succeeded (a dead target, or a system that
   * answered nothing but errors); `reason` names the failures.
   */
  state: 'completed' | 'errored' | 'skipped' | 'failed';
  reason?: string;
  error?: ErrorInfo;
}

export interface RampRepeatResult {
  configId: string;
  repeat: number;
  runIds: string[];
  /** The highest load at which throughput still grew and the latency goal and error budget held. */
  breakingPoint: { load: number; loadUnit: 'connections' | 'rps'; rps: number; p99Us: number; runId: string } | null;
  stoppedBecause: string;
}

export interface StressRepeatResult {
  configId: string;
  repeat: number;
  baselineLoad: number;
  overloadLoad: number;
  loadUnit: 'connections' | 'rps';
  overloadRunId: string | null;
  recoveryRunId: string | null;
  overloadFailures: FailureCounts | null;
  /** p99 before the overload (the sustained step, or the ramp's breaking-point step). */
  baselineP99Us: number | null;
  /** Recovered once a bin's p99 is at most `thresholdP99Us` and stays so. */
  thresholdP99Us: number | null;
  recovered: boolean | null;
  /** From the start of the recovery phase to the first bin of the recovered stretch, ms. */
  recoveryMs: number | null;
}

/** One configuration's step summarised over its repeats (median and spread of the valid ones). */
export interface LoadSummary {
  configId: string;
  scenario: ScenarioName;
  step: string;
  repeats: number;
  validRepeats: number;
  /** True when the spread below is over all completed repeats because none was valid. */
  fromInvalid: boolean;
  rps: Spread;
  latencyP50Us: Spread;
  latencyP99Us: Spread;
  failureRate: Spread;
  littlesLawRatio?: Spread;
  generatorCpuCores: Spread;
}

/** A ratio of two configurations measured in the same rounds (paired per repeat). */
export interface LoadComparison {
  id: string;
  description: string;
  numerator: string;
  denominator: string;
  /** Per-repeat ratios of rps, paired within a round. */
  perRepeat: number[];
  ratio: Spread;
  target: { min?: number; approx?: number; tolerance?: number };
  /** null when too few valid pairs were measured. */
  met: boolean | null;
  note: string;
}

/** A speed goal from the issues, with the real figure beside it. */
export interface LoadGoal {
  id: string;
  description: string;
  measured: Spread | null;
  target: string;
  met: boolean | null;
  detail: string;
}

export interface LoadData {
  options: LoadOptionsEcho;
  /** The stated validity rules and their limits. */
  validityRules: { rule: ValidityRuleName; limit: number; description: string }[];
  fdLimit: FdLimitInfo;
  configurations: LoadConfiguration[];
  /** In the order they ran (rounds interleave configurations: A B C A B C ...). */
  runs: LoadRun[];
  summaries: LoadSummary[];
  ramps: RampRepeatResult[];
  stresses: StressRepeatResult[];
  comparisons: LoadComparison[];
  goals: LoadGoal[];
  flags: Flag[];
  durationMs: number;
  /** True when the run was cut short (SIGINT); what finished is kept. */
  interrupted: boolean;
  /** `--scenario queue-workers`: the experiment's own figures (its runs, summaries and comparison are in the lists above). */
  queueWorkers?: QueueWorkersResult;
  /** `--scenario autoscale`: replica timelines of the autoscaled and the fixed system. */
  autoscale?: AutoscaleResult;
  /** `--scenario faults`: per fault, what it cost and how long the system took to recover; the per-second timeline. */
  faults?: FaultsResult;
  /** `--scenario scaling`: throughput, p99 and CPU per server count, efficiency against linear, and the finding. */
  scaling?: ScalingResult;
  /** `--scenario batching`: batching off vs (max-size, max-wait) settings of a model API, each run's batches and the findings. */
  batching?: BatchingResult;
  /** `--scenario high-concurrency` (the bench's concurrency suite): every topology and path up to the open-file limit. */
  highConcurrency?: HighConcurrencyResult;
}

/**
 * The experiments suite's data (queue-workers, autoscale). The shape is a load run's on purpose: the
 * experiments' runs are load runs (summaries, flags and renderers treat them alike), their own figures sit
 * in `queueWorkers` and `autoscale`, and a bench's `experiments` section keeps the schema it always had.
 */
export type ExperimentsData = LoadData;
