// Result types of the serving system (owned by src/serving/): the HTTP contract of its two services, the
// metrics every server process reports, and the description of a started system that results embed.

import type { PredictKind, RequestPath, ServiceName, StoreKind, Topology } from './vocab.js';

/**
 * RequestPath: how a scoring request is carried out: blocking one step after another (WSGI-like), never
 * blocking, or (queue) never blocking with its model calls carried as jobs on a Redis list that model
 * workers take one at a time (seed 001's broker and ml_service).
 */
export type { FilePredict, PredictKind, RequestPath, ServiceName, StoreKind, Topology } from './vocab.js';
/** Where a cpu predict runs: inline on the event loop (sync path), on the libuv pool (native-async), or a worker-thread pool. */
export type CpuPlacement = 'inline' | 'native-async' | 'worker-pool';
/**
 * Where a model's predict runs: a cpu placement, or on a worker thread the process blocks on until it answers
 * (the sync path's onnx model, or an async module predict there), or awaited on the event loop (io's timer,
 * a module's async predict).
 */
export type ModelPlacement = CpuPlacement | 'blocking-worker' | 'event-loop';

/** One input or output of a model, as the model declares it: e.g. features, float32, ['batch', 8]. */
export interface ModelTensorDescription {
  name: string;
  /** The element type, e.g. 'float32' ('number' for a JS module's array). */
  type: string;
  /** Fixed sizes as numbers, dynamic ones by their symbolic name (e.g. 'batch'). */
  shape: (number | string)[];
}

/** The file a model was loaded from. */
export interface ModelFileDescription {
  /** Absolute path. */
  path: string;
  /** File name, e.g. 'model-a.onnx'. */
  name: string;
  bytes: number;
  /** Hex sha256 of the file's bytes. */
  sha256: string;
}

/**
 * What a model is and how it runs on a path: embedded in every system description (one per model service),
 * in GET /health of its model API, and summed up in its /predict answers.
 */
export interface ModelDescription {
  predict: PredictKind;
  /** The file name (onnx), the module's `name` export or file name (module), or the built-in predict's name. */
  name: string;
  /** onnx and module only. */
  file?: ModelFileDescription;
  inputs: ModelTensorDescription[];
  outputs: ModelTensorDescription[];
  /** The features one request carries (the feature store's vectors have this many). */
  featureCount: number;
  /** e.g. { name: 'onnxruntime-node', version: '1.31.1' }, or { name: 'node', version: '20.18.1' }. */
  runtime: { name: string; version: string };
  placement: ModelPlacement;
  /** onnx: intra-op threads per session; pool: worker threads of the pool (worker-pool placement). */
  threads: { intraOp?: number; pool?: number };
  /** module: whether predict is declared async (then awaited instead of run on a worker thread). */
  asyncPredict?: boolean;
  /** module: whether it exports predictBatch(rows) (else a batch calls predict once a row). */
  batchPredict?: boolean;
  /** The model API's adaptive batching, when on (--batching): its settings and how a batch is predicted. */
  batching?: BatchingDescription;
}

/** Adaptive micro-batching settings (--batching max-size=B,max-wait=W). */
export interface BatchingSettings {
  /** A batch is predicted as soon as it holds this many requests (1..1024). */
  maxSize: number;
  /** No request waits longer than this for its batch, ms from its arrival (0..1000; 0: the requests of one event-loop turn). */
  maxWaitMs: number;
}

/** A model API's batching as its description reports it. */
export interface BatchingDescription extends BatchingSettings {
  /** How one batch is predicted, e.g. 'one inference over the batch dimension ([B, 8])', 'one wait per batch'. */
  how: string;
}

/** The short form of a model's description that each /predict answer of an onnx or module model carries. */
export interface ModelIdentity {
  name: string;
  /** File name, size and sha256 (onnx and module). */
  file?: Pick<ModelFileDescription, 'name' | 'bytes' | 'sha256'>;
  runtime: string;
  placement: ModelPlacement;
}

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
  /** Those error responses by status and error code, cumulative, e.g. { '500 model_failed': 3, '400 bad_features': 1 }. */
  errorCodes?: Record<string, number>;
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
  /** Queue model workers: share of the interval spent on jobs (taken off the list until the result is pushed), 0..1. */
  busyShare?: number;
  /** Queue model workers: jobs dropped because their deadline had passed when taken (the request had its 504), cumulative. */
  expiredJobs?: number;
  /** Model APIs with batching on: batches predicted and the requests in them, cumulative; their waits for their batch. */
  batching?: BatchingMetrics;
}

/** A batching model API's own counts: cumulative sums, and the longest wait of the interval. */
export interface BatchingMetrics {
  batches: number;
  /** Requests predicted in those batches (mean batch size = requests / batches). */
  requests: number;
  /** Sum of each request's wait for its batch, ms (mean wait = waitMsSum / requests). */
  waitMsSum: number;
  /** The longest wait of a request for its batch since the previous sample, ms. */
  waitMaxMs: number;
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
  /** Batching on: the requests predicted together with this one (itself included). */
  batchSize?: number;
  /** Batching on: how long this request waited for its batch to be predicted, from its arrival, ms. */
  batchWaitMs?: number;
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
  /** onnx and module predicts: the model that answered (file, runtime, placement); GET /health has the full description. */
  modelInfo?: ModelIdentity;
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
  /** The models' own view of their predicts (their pid and timing; on the queue path, the id of the job that carried it). */
  models: { a: { pid: number; timing: PredictTiming; jobId?: string }; b: { pid: number; timing: PredictTiming; jobId?: string } };
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
  /** Features per entity: the models' feature dimension (8 for the built-in predicts and the shipped models). */
  featureCount?: number;
  /** The model each model service runs (on the queue path, what the model workers run for each). */
  models?: { a: ModelDescription; b: ModelDescription };
  store: { kind: StoreKind; detail: string };
  scoringUrl: string;
  modelUrls: { a: string; b: string };
  /** External parts used, with their versions, e.g. { nginx: '1.22.1', redis: '7.0.15' }. */
  versions: Record<string, string>;
  /** Things the reader must know, e.g. a fallback to the embedded store. */
  notes: string[];
  processes: SystemProcess[];
  /** Queue path: model worker processes taking jobs off the list. */
  modelWorkers?: number;
  /** Queue path: the broker and the lists. */
  queue?: QueueDescription;
  /** Model APIs' batching (--batching), when on. */
  batching?: BatchingSettings;
}

/** The queue path's broker: a real Redis (never an embedded stand-in: without one the path is unavailable). */
export interface QueueDescription {
  /** e.g. 'redis-server 7.0.15 started by servebench on 127.0.0.1:PORT' (shared with the feature store when that is Redis too). */
  broker: string;
  redisUrl: string;
  /** The list jobs are pushed on (LPUSH) and taken from (BRPOP). */
  jobsKey: string;
  /** How answers come back: one reply list per scoring process, read by one blocking reader that dispatches by job id. */
  replies: string;
  /** A request's deadline for its jobs; past it, a 504 naming the queue. */
  timeoutMs: number;
}

/** A model job on the queue (JSON on the jobs list). */
export interface QueueJob {
  /** Unique per job: '<scoring process tag>:<sequence>'. */
  id: string;
  model: 'model-a' | 'model-b';
  features: number[];
  /** cpu predict only. */
  n?: number;
  /** The reply list of the scoring process that waits for it. */
  reply: string;
  /** Epoch ms when pushed, and when the request stops waiting (a worker drops a job taken after it). */
  enqueuedAtMs: number;
  deadlineAtMs: number;
}

/** A model worker's answer to one job (JSON on the reply list): a predict answer with the job's id. */
export type QueueResult = PredictResponse & { id: string };

/** A model worker's answer to a job whose predict failed (JSON on the reply list): the error, with the job's id. */
export interface QueueErrorResult {
  id: string;
  model: 'model-a' | 'model-b';
  error: ErrorResponse['error'];
  served: ServedBy;
}

/** One LLEN of the jobs list. */
export interface QueueDepthSample {
  /** Epoch ms of the answer. */
  atMs: number;
  depth: number;
}

export interface ServingData {
  /** The systems the run started, one per configuration. */
  systems?: SystemDescription[];
  notes?: string[];
}
