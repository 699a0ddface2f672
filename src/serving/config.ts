// The settings a service process is started with (passed as JSON in SERVEBENCH_SERVICE_CONFIG), and the
// defaults of the serving system in one place.

import type { KernelName } from '../kernels/types.js';
import type { CpuPlacement, PredictKind, RequestPath, ServiceName, Topology } from '../results/serving.js';
import type { ModelFileSettings, ModelSettings } from './models/types.js';
import type { ModelService, ResolvedSystemOptions } from './types.js';

export const DEFAULTS = {
  /** Features per entity (the vector each model receives). */
  featureCount: 8,
  entities: 10_000,
  seed: 1,
  /** The io predict's wait, uniform in [min, max) ms, as in seed 004. */
  ioWaitMs: { min: 40, max: 50 },
  /** Values a cpu predict averages when neither the request nor the options say. */
  n: 1_000_000,
  /** Never above this n (8 bytes a value: 160 MB for the vector). */
  nMax: 20_000_000,
  bodyLimitBytes: 64 * 1024,
  metricsIntervalMs: 500,
  timeoutsMs: {
    /** A feature read (memory or Redis). */
    featureRead: 1000,
    /** One model API call, io predict. */
    modelIo: 2000,
    /** One model API call, cpu predict (a big n takes long). */
    modelCpu: 30_000,
    /** A process or nginx becoming ready. */
    ready: 20_000,
    /** Queue path: a request's wait for its model jobs (queueing included). */
    queue: 5000,
    /** Every HTTP server: a request's headers must arrive within this long (then 408). */
    headers: 10_000,
    /** Every HTTP server: a request's body must arrive within this long once its headers are in (then 408). */
    body: 10_000,
  },
  /** Queue path: model worker processes. */
  modelWorkers: 1,
  host: '127.0.0.1',
} as const;

export const SERVICE_CONFIG_ENV = 'SERVEBENCH_SERVICE_CONFIG';
/** A cluster primary's settings (ClusterConfig, JSON). */
export const CLUSTER_CONFIG_ENV = 'SERVEBENCH_CLUSTER_CONFIG';
/** A queue model worker's settings (QueueWorkerConfig, JSON). */
export const QUEUE_WORKER_CONFIG_ENV = 'SERVEBENCH_QUEUE_WORKER_CONFIG';

/** Settings shared by both services. */
interface ServiceBase {
  /** What this process is, for metrics and responses. */
  service: ServiceName;
  /** Unique within the system, e.g. 'model-a-w1'. */
  name: string;
  path: RequestPath;
  topology: Topology;
  host: string;
  /** 0 = any free port (cluster workers share the primary's). */
  port: number;
  bodyLimitBytes: number;
  /** A request's headers, then its body, must arrive within these. @default DEFAULTS.timeoutsMs.headers and .body */
  httpTimeoutsMs?: { headers: number; body: number };
  /** 0 disables the metrics messages. */
  metricsIntervalMs: number;
  seed: number;
  featureCount: number;
}

export interface ModelServiceConfig extends ServiceBase {
  service: ModelService;
  predict: PredictKind;
  ioWaitMs: { min: number; max: number };
  /** cpu predict only. */
  kernel?: KernelName;
  placement?: CpuPlacement;
  n: number;
  nMax: number;
  /** Threads of the worker pool (placement 'worker-pool'; onnx and module models on the async path). */
  poolThreads?: number;
  /** onnx and module: the model file, as servebench read it at start. */
  modelFile?: ModelFileSettings;
}

export type StoreConfig = { kind: 'memory'; entities: number } | { kind: 'redis'; url: string; keyPrefix: string; entities: number };

export interface ScoringServiceConfig extends ServiceBase {
  service: 'scoring';
  store: StoreConfig;
  /** Base URLs of the two model APIs (a process, a cluster, or an nginx front). */
  models: { a: string; b: string };
  predict: PredictKind;
  nMax: number;
  timeoutsMs: { featureRead: number; model: number };
  /** Queue path: where model jobs go (`models` is unused then). */
  queue?: QueueClientConfig;
}

/** Queue path: the broker as a scoring process uses it. */
export interface QueueClientConfig {
  url: string;
  jobsKey: string;
  /** Reply lists are `${replyPrefix}<process tag>`. */
  replyPrefix: string;
  timeoutMs: number;
}

/** Queue path: one model worker process (seed 001's ml_service): takes one job at a time off the list. */
export interface QueueWorkerConfig {
  name: string;
  url: string;
  jobsKey: string;
  predict: PredictKind;
  ioWaitMs: { min: number; max: number };
  /** cpu predict only. */
  kernel?: KernelName;
  n: number;
  nMax: number;
  seed: number;
  featureCount: number;
  metricsIntervalMs: number;
  /** onnx and module: each model's file (a worker runs both models' jobs). */
  modelFiles?: { a: ModelFileSettings; b: ModelFileSettings };
}

export type ServiceConfig = ModelServiceConfig | ScoringServiceConfig;

/** For a cluster primary: the worker settings and how many workers. */
export interface ClusterConfig {
  worker: ServiceConfig;
  workers: number;
}

/** A model API's settings in a system. */
export function modelServiceConfig(o: ResolvedSystemOptions, service: ModelService): ModelServiceConfig {
  const c: ModelServiceConfig = {
    service,
    name: service,
    path: o.path,
    topology: o.topology,
    host: '127.0.0.1',
    port: 0,
    bodyLimitBytes: o.bodyLimitBytes,
    httpTimeoutsMs: { headers: o.timeoutsMs.headers, body: o.timeoutsMs.body },
    metricsIntervalMs: o.metricsIntervalMs,
    seed: o.seed,
    featureCount: o.featureCount,
    predict: o.predict,
    ioWaitMs: o.ioWaitMs,
    n: o.n ?? DEFAULTS.n,
    nMax: o.nMax,
    poolThreads: o.poolThreads,
  };
  if (o.kernel !== undefined) c.kernel = o.kernel;
  if (o.placement !== undefined) c.placement = o.placement;
  const file = o.models?.[service === 'model-a' ? 'a' : 'b'];
  if (file !== undefined) c.modelFile = file;
  return c;
}

/** The settings a model API process makes its model from. */
export function modelSettings(c: ModelServiceConfig): ModelSettings {
  return {
    predict: c.predict,
    service: c.service,
    processName: c.name,
    seed: c.seed,
    featureCount: c.featureCount,
    ioWaitMs: c.ioWaitMs,
    kernel: c.kernel,
    placement: c.placement,
    n: c.n,
    nMax: c.nMax,
    poolThreads: c.poolThreads ?? 2,
    file: c.modelFile,
  };
}

/** The settings a queue worker makes each model from (it runs both models' jobs, one at a time, inline). */
export function queueModelSettings(c: QueueWorkerConfig, service: ModelService): ModelSettings {
  return {
    predict: c.predict,
    service,
    // Each model its own stream of io waits.
    processName: `${c.name}/${service}`,
    seed: c.seed,
    featureCount: c.featureCount,
    ioWaitMs: c.ioWaitMs,
    kernel: c.kernel,
    n: c.n,
    nMax: c.nMax,
    poolThreads: 1,
    file: c.modelFiles?.[service === 'model-a' ? 'a' : 'b'],
  };
}

/**
 * The scoring service's settings in a system: `models` are the model APIs' base URLs, and `modelTimeoutMs`
 * a model call's deadline (the queue path: the broker's URL, the queue's deadline, and its `queue` settings).
 */
export function scoringServiceConfig(
  o: ResolvedSystemOptions,
  store: StoreConfig,
  models: { a: string; b: string },
  modelTimeoutMs: number,
  queue?: QueueClientConfig,
): ScoringServiceConfig {
  return {
    service: 'scoring',
    name: 'scoring',
    path: o.path,
    topology: o.topology,
    host: o.host,
    port: o.port,
    bodyLimitBytes: o.bodyLimitBytes,
    httpTimeoutsMs: { headers: o.timeoutsMs.headers, body: o.timeoutsMs.body },
    metricsIntervalMs: o.metricsIntervalMs,
    seed: o.seed,
    featureCount: o.featureCount,
    store,
    models,
    predict: o.predict,
    nMax: o.nMax,
    timeoutsMs: { featureRead: o.timeoutsMs.featureRead, model: modelTimeoutMs },
    ...(queue === undefined ? {} : { queue }),
  };
}
