// Result types of the serving system (owned by src/serving/): the HTTP contract of its two services, the
// metrics every server process reports, and the description of a started system that results embed.

/** How a scoring request is carried out: blocking one step after another (WSGI-like), or never blocking. */
export type RequestPath = 'sync' | 'async';
/** How a service's processes are laid out: one process, node:cluster with W workers, or nginx over W processes. */
export type Topology = 'single' | 'cluster' | 'nginx';
/** An io predict waits 40-50 ms (a remote model); a cpu predict runs a mean kernel over n values. */
export type PredictKind = 'io' | 'cpu';
export type StoreKind = 'memory' | 'redis';
/** The three services of the system. */
export type ServiceName = 'scoring' | 'model-a' | 'model-b';
/** Where a cpu predict runs: inline on the event loop (sync path), on the libuv pool (native-async), or a worker-thread pool. */
export type CpuPlacement = 'inline' | 'native-async' | 'worker-pool';

/**
 * A sample of one server process's own view of itself, sent over IPC by every server process servebench
 * starts (cluster workers included) at a fixed interval while metrics are enabled. Cumulative counters
 * are since the process started; the sampler differences them.
 */
export interface ProcessMetrics {
  /** e.g. 'scoring', 'model-a', 'model-b' (processes that serve requests) or 'scoring-primary' (a cluster primary). */
  role: string;
  pid: number;
  /** Wall-clock time of the sample, ms since the epoch. */
  atMs: number;
  /** Cumulative process.cpuUsage(), microseconds. */
  cpuUserUs: number;
  cpuSystemUs: number;
  rssBytes: number;
  /** Event-loop utilization over the interval since the previous sample, 0..1. */
  eventLoopUtilization: number;
  /** Event-loop delay p99 over the interval since the previous sample, milliseconds. */
  eventLoopDelayP99Ms: number;
  /** Requests completed, cumulative. */
  requests: number;
  /** Cumulative sums of the timing breakdown of completed requests, ms (scoring processes). */
  timingSumsMs?: { featureRead: number; modelA: number; modelB: number; total: number; queue: number };
  /** The service this process belongs to. */
  service?: ServiceName;
  /** Unique process name within the system, e.g. 'scoring', 'scoring-w1', 'model-a-primary'. */
  name?: string;
  /** Responses with a 4xx or 5xx status, cumulative (included in `requests`). */
  errorResponses?: number;
  /** Requests whose queueing time was known (an X-Request-Start header, or a worker pool's queue), cumulative: the denominator of the queue sum. */
  queueKnownRequests?: number;
  /**
   * Answers delivered whose timing is in `timingSumsMs` / `predictSumsMs`, cumulative: the denominator of
   * those sums. `requests` is not: it counts error responses (no timing) and misses requests handled but
   * never answered because the client had gone.
   */
  timedRequests?: number;
  /** Cumulative sums of the timing of completed predicts, ms (model API processes). */
  predictSumsMs?: { predict: number; total: number; queue: number };
  /** Interval between samples, ms. */
  intervalMs?: number;
}

/** The timing breakdown every /score response carries, ms measured inside the scoring process. */
export interface ScoreTiming {
  featureReadMs: number;
  /** Round trip of the call to model A as the scoring process saw it. */
  modelAMs: number;
  modelBMs: number;
  /** From the start of handling to the response being ready. */
  totalMs: number;
  /** Time the request waited before handling started, when known (an X-Request-Start header, e.g. set by nginx). */
  queueMs?: number;
}

/** The timing every /predict response carries, ms measured inside the model API process. */
export interface PredictTiming {
  /** The io wait, or the kernel's run (including the hop to a worker thread for the worker pool). */
  predictMs: number;
  totalMs: number;
  /** Time waiting for a worker of the pool, or before handling started (X-Request-Start), when known. */
  queueMs?: number;
}

/** Which process answered, and how it was set up. */
export interface ServedBy {
  service: ServiceName;
  pid: number;
  path: RequestPath;
  topology: Topology;
}

/** POST /predict body: `{ "features": [F numbers], "n"?: integer }`. */
export interface PredictRequest {
  features: number[];
  /** Values the cpu predict averages; defaults to the service's n, never above its cap. */
  n?: number;
}

export interface PredictResponse {
  model: 'model-a' | 'model-b';
  prediction: number;
  predict: PredictKind;
  /** cpu predict: the kernel, where it ran, n and the mean it computed. */
  kernel?: string;
  placement?: CpuPlacement;
  n?: number;
  mean?: number;
  timing: PredictTiming;
  served: ServedBy;
}

/** POST /score body: `{ "entity": "e<i>" }` (and `n` for a cpu predict, forwarded to both models). */
export interface ScoreRequest {
  entity: string;
  n?: number;
}

export interface ScoreResponse {
  entity: string;
  score: number;
  predictions: { a: number; b: number };
  timing: ScoreTiming;
  /** The models' own view of their predicts (their pid and timing). */
  models: { a: { pid: number; timing: PredictTiming }; b: { pid: number; timing: PredictTiming } };
  served: ServedBy & { store: StoreKind };
}

/** Every 4xx/5xx answer of the two services. */
export interface ErrorResponse {
  error: {
    status: number;
    /** A stable name, e.g. 'bad_json', 'unknown_entity', 'feature_store_timeout', 'model_unavailable'. */
    code: string;
    message: string;
  };
  served?: { service: ServiceName; pid: number };
}

/** One process a started system runs. */
export interface SystemProcess {
  /** 'scoring' | 'model-a' | 'model-b' (serve requests), '<service>-primary', 'nginx', 'nginx-worker', 'feature-store'. */
  role: string;
  pid: number;
  /** Unique within the system, e.g. 'scoring-w0'. */
  name: string;
  service?: ServiceName;
}

/** What a started system is: embedded in the results of every suite that measured it. */
export interface SystemDescription {
  path: RequestPath;
  topology: Topology;
  /** Processes serving each service (1 for single). */
  workers: number;
  predict: PredictKind;
  /** cpu predict only. */
  kernel?: string;
  placement?: CpuPlacement;
  n?: number;
  nMax: number;
  store: { kind: StoreKind; detail: string };
  scoringUrl: string;
  modelUrls: { a: string; b: string };
  /** External parts used, with their versions, e.g. { nginx: '1.22.1', redis: '7.0.15' }. */
  versions: Record<string, string>;
  /** Things the reader must know, e.g. a fallback to the embedded store. */
  notes: string[];
  processes: SystemProcess[];
}

export interface ServingData {
  /** The systems the run started, one per configuration. */
  systems?: SystemDescription[];
  notes?: string[];
}
