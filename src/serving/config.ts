// The settings a service process is started with (passed as JSON in SERVEBENCH_SERVICE_CONFIG), and the
// defaults of the serving system in one place.

import type { KernelName } from '../kernels/types.js';
import type { CpuPlacement, PredictKind, RequestPath, ServiceName, Topology } from '../report/schema/serving.js';

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
  },
  /** Queue path: model worker processes. */
  modelWorkers: 1,
  host: '127.0.0.1',
} as const;

export const SERVICE_CONFIG_ENV = 'SERVEBENCH_SERVICE_CONFIG';

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
  /** 0 disables the metrics messages. */
  metricsIntervalMs: number;
  seed: number;
  featureCount: number;
}

export interface ModelServiceConfig extends ServiceBase {
  service: 'model-a' | 'model-b';
  predict: PredictKind;
  ioWaitMs: { min: number; max: number };
  /** cpu predict only. */
  kernel?: KernelName;
  placement?: CpuPlacement;
  n: number;
  nMax: number;
  /** Threads of the worker pool (placement 'worker-pool'). */
  poolThreads?: number;
}

export type StoreConfig =
  | { kind: 'memory'; entities: number }
  | { kind: 'redis'; url: string; keyPrefix: string; entities: number };

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
}

export type ServiceConfig = ModelServiceConfig | ScoringServiceConfig;

/** For a cluster primary: the worker settings and how many workers. */
export interface ClusterConfig {
  worker: ServiceConfig;
  workers: number;
}
