// The types of the serving system's programmatic API: the options a caller gives, the options after
// defaults and checks, and the handles of a running system, its queue and a model API started alone.
// Types only, so every serving module can use them without importing the code that starts things.

import type { KernelName } from '../kernels/types.js';
import type {
  CpuPlacement,
  ModelDescription,
  PredictKind,
  ProcessMetrics,
  QueueDepthSample,
  RequestPath,
  ServiceName,
  StoreKind,
  SystemDescription,
  SystemProcess,
  Topology,
} from '../results/serving.js';
import type { ProcessLifecycleEvent, RestartPolicy } from '../processes/index.js';
import type { SystemFaults } from './faults.js';
import type { ModelFileChoice, ModelFileSettings } from './models/types.js';
import type { CommandWrapper } from './topology/process.js';

/** Per-step deadlines, ms. */
export interface SystemTimeouts {
  /** A feature read. @default 1000 */
  featureRead?: number;
  /** One model API call. @default 2000 for the io predict, 30000 for cpu */
  model?: number;
  /** A process (or nginx) becoming ready. @default 20000 */
  ready?: number;
  /** Queue path: a request's wait for its model jobs, queueing included; then a 504 naming the queue. @default 5000 */
  queue?: number;
  /** Every service's HTTP server: a request's headers must arrive within this long; then 408 and the connection closes. @default 10000 */
  headers?: number;
  /** Every service's HTTP server: a request's body must arrive within this long once its headers are in; then 408. @default 10000 */
  body?: number;
}

export interface SystemOptions {
  path: RequestPath;
  topology: Topology;
  /** Processes per service for cluster and nginx (1 for single). @default os.availableParallelism() */
  workers?: number;
  /** Queue path: model worker processes taking jobs off the Redis list, one job at a time each. @default 1 */
  modelWorkers?: number;
  predict: PredictKind;
  /** cpu predict only. @default 'typed' (sync); 'native-async' if available, else 'typed' on a worker pool (async) */
  kernel?: KernelName;
  /** cpu predict only: values averaged per predict when a request does not say. @default 1e6 */
  n?: number;
  /** The cap on n (option and request). @default 2e7 */
  nMax?: number;
  /**
   * onnx and module predicts: the model file both model services load (an .onnx file; a .mjs, .js or .cjs
   * module). @default onnx: the shipped models/model-a.onnx and models/model-b.onnx; module: required
   */
  modelFile?: string;
  /** onnx and module predicts: a file for one model service, over `modelFile`. */
  modelFiles?: { a?: string; b?: string };
  /**
   * onnx predict: intra-op threads of each onnxruntime session. @default the cores shared out over one model's
   * sessions (W processes, times the pool's threads on the async path), at least 1
   */
  onnxThreads?: number;
  store: StoreKind;
  /** An existing Redis to use instead of starting one. @default process.env.REDIS_URL */
  redisUrl?: string;
  /** Entities e0..e<N-1> the seeded loader puts in the store. @default 10000 */
  entities?: number;
  /** @default 1 */
  seed?: number;
  /** Where the scoring front binds (internal services always bind 127.0.0.1). @default '127.0.0.1' */
  host?: string;
  /** The scoring front's port; 0 = a free one. @default 0 */
  port?: number;
  timeoutsMs?: SystemTimeouts;
  /** Period of the IPC metrics every server process sends; 0 = none. @default 500 */
  metricsIntervalMs?: number;
  /** The io predict's wait, uniform in [min, max) ms. @default { min: 40, max: 50 } */
  ioWaitMs?: { min: number; max: number };
  /** Largest accepted request body. @default 65536 */
  bodyLimitBytes?: number;
  /**
   * Threads of the model API's worker pool (async path: a sync kernel, an ONNX session, a module's
   * synchronous predict). @default os.availableParallelism()
   */
  poolThreads?: number;
  /** nginx worker_processes per nginx instance (one instance per service). @default 1 */
  nginxWorkerProcesses?: number | 'auto';
  /**
   * Restart a service process that dies (model APIs, scoring, queue workers, redis-server, nginx), on the same
   * port, after a back-off doubling from 100 ms to 5 s, at most 10 times a minute; then it stays down. false:
   * a dead part stays dead (cluster workers are still replaced by their primary). An object tunes the policy.
   * Processes started under a profiler (wrapScoring) are never restarted. @default true
   */
  restart?: boolean | Partial<RestartPolicy>;
  /**
   * Lets the profile suite start the scoring process(es) under a profiler: gets the node command and
   * returns the one to run (e.g. prefixed by 0x/clinic). Single: the process; nginx: each backend;
   * cluster: the primary (profilers do not follow cluster workers).
   */
  wrapScoring?: CommandWrapper;
}

/** The options after defaults and checks: what the system really runs. */
export interface ResolvedSystemOptions {
  path: RequestPath;
  topology: Topology;
  workers: number;
  /** Queue path only. */
  modelWorkers?: number;
  predict: PredictKind;
  kernel?: KernelName;
  placement?: CpuPlacement;
  n?: number;
  nMax: number;
  /** Features per entity: 8, or the models' feature dimension once their files are read. */
  featureCount: number;
  /** onnx and module: each model service's file, as the options chose it. */
  modelFiles?: { a: ModelFileChoice; b: ModelFileChoice };
  /** onnx only. */
  onnxThreads?: number;
  /** onnx and module: the files read, set at start (startSystem, startModelApi) before any service starts. */
  models?: { a: ModelFileSettings; b: ModelFileSettings };
  store: StoreKind;
  redisUrl?: string;
  entities: number;
  seed: number;
  host: string;
  port: number;
  timeoutsMs: { featureRead: number; model: number; ready: number; queue: number; headers: number; body: number };
  /** How dead processes are restarted; false: never. */
  restart: RestartPolicy | false;
  metricsIntervalMs: number;
  ioWaitMs: { min: number; max: number };
  bodyLimitBytes: number;
  poolThreads: number;
  nginxWorkerProcesses: number | 'auto';
  /** Things the reader must know about the choices made (fallbacks, placements). */
  notes: string[];
}

/** Something that happened to a system's processes while it ran. */
export type SystemNotice =
  | { kind: 'worker-replaced'; service: ServiceName; name: string; oldPid: number; pid: number; message: string }
  | { kind: 'worker-lost'; service: ServiceName; name: string; pid: number; message: string }
  | { kind: 'process-exited'; name: string; pid: number; message: string };

/** The part of a system a process belongs to: a service, or a redis-server servebench started. */
export type SystemPart = ServiceName | 'feature-store' | 'queue-broker';

/**
 * A process of the system exited, was restarted (on the same port), or was given up on: for the timeline.
 * `process` names it as the process list does ('model-a', 'scoring-primary', 'scoring-w1', 'redis-server',
 * 'scoring-nginx'); `restarts` counts its restarts so far; `downMs` (restarted) runs from the exit to ready.
 */
export interface ServiceEvent extends ProcessLifecycleEvent {
  service: SystemPart;
}

/** What every running handle offers: its processes as they are now, its listeners, and a stop. */
export interface RunningHandle {
  /** Every server process, cluster workers and nginx workers included; kept current when a worker is replaced. */
  readonly processes: SystemProcess[];
  /** ProcessMetrics from every server process, as they arrive over IPC. */
  onMetrics(listener: (m: ProcessMetrics) => void): () => void;
  /** Workers replaced or lost, processes that exited while the system ran. */
  onNotice(listener: (n: SystemNotice) => void): () => void;
  /** Every exit, restart and giving up of a process of the system (cluster workers included), as it happens. */
  onEvent(listener: (e: ServiceEvent) => void): () => void;
  /** Stops everything it started (ports freed, temp folders removed). Safe to call twice. */
  stop(): Promise<void>;
}

/** The queue path's broker and its list, as the load suite and tests use it. */
export interface RunningQueue {
  redisUrl: string;
  jobsKey: string;
  /** e.g. 'redis-server 7.0.15 started by servebench on 127.0.0.1:PORT'. */
  broker: string;
  /** Model worker processes alive now. */
  workers(): SystemProcess[];
  /** LLEN of the jobs list: jobs waiting for a worker. */
  depth(): Promise<number>;
  /** LLEN every `intervalMs` until stop(), which returns the samples (a failed LLEN is skipped, not fatal). */
  sampleDepth(intervalMs: number): { stop(): QueueDepthSample[] };
}

export interface RunningSystem extends RunningHandle {
  /** e.g. http://127.0.0.1:PORT/score */
  scoringUrl: string;
  /** Front URLs of the three services (no path). */
  baseUrls: { scoring: string; modelA: string; modelB: string };
  options: ResolvedSystemOptions;
  store: { kind: StoreKind; detail: string };
  /** Versions of the external parts used, e.g. { nginx: '1.22.1', redis: '7.0.15' }. */
  versions: Record<string, string>;
  notes: string[];
  /** The plain-data description for results. */
  describe(): SystemDescription;
  /** Queue path: the broker, its jobs list and its depth (LLEN), sampled on demand. */
  queue?: RunningQueue;
  /** Fault hooks for a fault schedule: kill, pause or hang a part of the system. */
  faults: SystemFaults;
}

/** The two model services of a system. */
export type ModelService = Extract<ServiceName, 'model-a' | 'model-b'>;

export interface ModelApiOptions {
  path: RequestPath;
  topology: Topology;
  workers?: number;
  predict: PredictKind;
  kernel?: KernelName;
  n?: number;
  nMax?: number;
  /** onnx and module: the model file (as SystemOptions.modelFile). @default onnx: the shipped file of the model it plays */
  modelFile?: string;
  onnxThreads?: number;
  /** Which model it plays (weights and wait stream differ; the shipped ONNX file). @default 'model-a' */
  model?: ModelService;
  seed?: number;
  host?: string;
  port?: number;
  metricsIntervalMs?: number;
  ioWaitMs?: { min: number; max: number };
  bodyLimitBytes?: number;
  poolThreads?: number;
  nginxWorkerProcesses?: number | 'auto';
  readyTimeoutMs?: number;
  /** As SystemOptions.restart. A model API started alone is measured as it is (does it survive?): @default false */
  restart?: boolean | Partial<RestartPolicy>;
  /** As SystemOptions.wrapScoring, for the model API's process(es). */
  wrap?: CommandWrapper;
}

export interface RunningModelApi extends RunningHandle {
  /** e.g. http://127.0.0.1:PORT/predict */
  predictUrl: string;
  baseUrl: string;
  /** Features a /predict request carries. */
  featureCount: number;
  /** The model it runs, on its path. */
  model: ModelDescription;
  options: ResolvedSystemOptions;
  versions: Record<string, string>;
  notes: string[];
}
