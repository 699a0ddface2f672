// The programmatic API of the serving system: start the whole system (feature store, two model APIs,
// the scoring handler) on one path and topology, or one model API alone; stop everything it started.
// Options are validated here, once, with errors naming the option.

import { availableParallelism } from 'node:os';
import { OptionError, ServebenchError } from '../errors.js';
import { getKernel, kernels, type KernelName } from '../kernels/index.js';
import { checkChoice, checkInteger } from '../options.js';
import { Supervisor } from '../processes/index.js';
import type { CpuPlacement, PredictKind, ProcessMetrics, RequestPath, StoreKind, SystemDescription, SystemProcess, Topology } from '../results/serving.js';
import { PREDICT_KINDS, REQUEST_PATHS, STORE_KINDS, TOPOLOGIES } from '../results/vocab.js';
import { DEFAULTS, describeSystem, modelServiceConfig, scoringServiceConfig } from './config.js';
import { provisionStore, storeServerProcesses } from './feature-store/provision.js';
import { nginxAvailability, startService, SystemEvents, type CommandWrapper, type ServiceHandle, type SystemNotice } from './topology/index.js';
import { startQueueSystem, type RunningQueue } from './queue/system.js';

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
  /** Threads of the model API's worker pool (async path, sync kernel). @default os.availableParallelism() */
  poolThreads?: number;
  /** nginx worker_processes per nginx instance (one instance per service). @default 1 */
  nginxWorkerProcesses?: number | 'auto';
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
  store: StoreKind;
  redisUrl?: string;
  entities: number;
  seed: number;
  host: string;
  port: number;
  timeoutsMs: { featureRead: number; model: number; ready: number; queue: number };
  metricsIntervalMs: number;
  ioWaitMs: { min: number; max: number };
  bodyLimitBytes: number;
  poolThreads: number;
  nginxWorkerProcesses: number | 'auto';
  /** Things the reader must know about the choices made (fallbacks, placements). */
  notes: string[];
}

export interface RunningSystem {
  /** e.g. http://127.0.0.1:PORT/score */
  scoringUrl: string;
  /** Front URLs of the three services (no path). */
  baseUrls: { scoring: string; modelA: string; modelB: string };
  options: ResolvedSystemOptions;
  /** Every server process, cluster workers and nginx workers included; kept current when a worker is replaced. */
  readonly processes: SystemProcess[];
  store: { kind: StoreKind; detail: string };
  /** Versions of the external parts used, e.g. { nginx: '1.22.1', redis: '7.0.15' }. */
  versions: Record<string, string>;
  notes: string[];
  /** ProcessMetrics from every server process, as they arrive over IPC. */
  onMetrics(listener: (m: ProcessMetrics) => void): () => void;
  /** Workers replaced or lost, processes that exited while the system ran. */
  onNotice(listener: (n: SystemNotice) => void): () => void;
  /** The plain-data description for results. */
  describe(): SystemDescription;
  /** Stops everything it started (ports freed, temp folders removed). Safe to call twice. */
  stop(): Promise<void>;
  /** Queue path: the broker, its jobs list and its depth (LLEN), sampled on demand. */
  queue?: RunningQueue;
}

/** Where a cpu predict runs on each path, and with which kernel; an unavailable kernel asked for is an error. */
export function resolveCpuPredict(
  path: RequestPath,
  kernelName: KernelName | undefined,
  poolThreads: number,
): { kernel: KernelName; placement: CpuPlacement; notes: string[] } {
  if (kernelName !== undefined) {
    const k = getKernel(kernelName);
    const avail = k.availability();
    if (!avail.available) throw new ServebenchError('SB_ERR_NATIVE', `--kernel ${kernelName} is unavailable here: ${avail.reason}`);
    if (path === 'sync') {
      if (k.mode === 'async') {
        throw new OptionError(
          '--kernel',
          `${kernelName} runs off the event loop, which the sync path never does; use naive, typed, native or native-parallel, or --path async`,
        );
      }
      return { kernel: kernelName, placement: 'inline', notes: [] };
    }
    if (k.mode === 'async') return { kernel: kernelName, placement: 'native-async', notes: [] };
    return {
      kernel: kernelName,
      placement: 'worker-pool',
      notes: [`cpu predict: the ${kernelName} kernel is synchronous, so the async path runs it on a worker-thread pool (piscina, ${poolThreads} threads)`],
    };
  }
  if (path === 'sync') return { kernel: 'typed', placement: 'inline', notes: [] };
  const nativeAsync = kernels.find((k) => k.name === 'native-async');
  const avail = nativeAsync?.availability();
  if (nativeAsync !== undefined && avail?.available === true) return { kernel: 'native-async', placement: 'native-async', notes: [] };
  const why = avail !== undefined && !avail.available ? avail.reason : 'it is not built into this servebench';
  return {
    kernel: 'typed',
    placement: 'worker-pool',
    notes: [
      `cpu predict: native-async is unavailable (${why}); the async path runs the typed kernel on a worker-thread pool (piscina, ${poolThreads} threads) instead`,
    ],
  };
}

/** Apply defaults and validate; throws OptionError naming the option. */
export function resolveSystemOptions(o: SystemOptions): ResolvedSystemOptions {
  const path = checkChoice('--path', o.path, REQUEST_PATHS);
  const topology = checkChoice('--topology', o.topology, TOPOLOGIES);
  const predict = checkChoice('--predict', o.predict, PREDICT_KINDS);
  const store = checkChoice('--store', o.store, STORE_KINDS);
  const cores = availableParallelism();
  if (topology === 'single' && o.workers !== undefined && o.workers !== 1) {
    throw new OptionError('--workers', `applies to --topology cluster or nginx; single runs one process per service (got ${o.workers})`);
  }
  const workers = topology === 'single' ? 1 : checkInteger('--workers', o.workers ?? cores, 1, 256);
  if (path !== 'queue' && o.modelWorkers !== undefined) {
    throw new OptionError(
      '--model-workers',
      `applies only to --path queue (model worker processes behind a Redis list); the ${path} path calls model APIs, sized by --workers`,
    );
  }
  const modelWorkers = path === 'queue' ? checkInteger('--model-workers', o.modelWorkers ?? DEFAULTS.modelWorkers, 1, 64) : undefined;
  const nMax = checkInteger('--n-max', o.nMax ?? DEFAULTS.nMax, 1, 1_000_000_000);
  if (predict === 'io') {
    if (o.kernel !== undefined) throw new OptionError('--kernel', 'applies only to --predict cpu (the io predict waits, it computes nothing)');
    if (o.n !== undefined) throw new OptionError('--n', 'applies only to --predict cpu');
  }
  const poolThreads = checkInteger('--pool-threads', o.poolThreads ?? cores, 1, 256);
  const notes: string[] = [];
  let cpu: { kernel: KernelName; placement: CpuPlacement } | undefined;
  let n: number | undefined;
  if (predict === 'cpu') {
    n = checkInteger('--n', o.n ?? Math.min(DEFAULTS.n, nMax), 1, nMax);
    const r = path === 'queue' ? resolveQueueCpuPredict(o.kernel) : resolveCpuPredict(path, o.kernel, poolThreads);
    cpu = { kernel: r.kernel, placement: r.placement };
    notes.push(...r.notes);
  }
  const t = o.timeoutsMs ?? {};
  const timeoutsMs = {
    featureRead: checkInteger('--feature-timeout', t.featureRead ?? DEFAULTS.timeoutsMs.featureRead, 1, 600_000),
    model: checkInteger('--model-timeout', t.model ?? (predict === 'io' ? DEFAULTS.timeoutsMs.modelIo : DEFAULTS.timeoutsMs.modelCpu), 1, 3_600_000),
    ready: checkInteger('ready timeout', t.ready ?? DEFAULTS.timeoutsMs.ready, 100, 600_000),
    queue: checkInteger('--queue-timeout', t.queue ?? DEFAULTS.timeoutsMs.queue, 1, 3_600_000),
  };
  if (path !== 'queue' && t.queue !== undefined) throw new OptionError('--queue-timeout', `applies only to --path queue; the ${path} path has --model-timeout`);
  const ioWaitMs = o.ioWaitMs ?? DEFAULTS.ioWaitMs;
  if (!(ioWaitMs.min >= 0 && ioWaitMs.max >= ioWaitMs.min && ioWaitMs.max <= 60_000)) {
    throw new OptionError('ioWaitMs', `expected 0 <= min <= max <= 60000, got ${ioWaitMs.min}..${ioWaitMs.max}`);
  }
  if (o.redisUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(o.redisUrl);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'redis:' && url.protocol !== 'rediss:')) {
      throw new OptionError('--redis-url', `expected a URL such as redis://127.0.0.1:6379, got '${o.redisUrl}'`);
    }
    if (store !== 'redis' && path !== 'queue') throw new OptionError('--redis-url', 'applies only to --store redis (or to --path queue, as its broker)');
  }
  const nginxWorkerProcesses = o.nginxWorkerProcesses ?? 1;
  if (nginxWorkerProcesses !== 'auto') checkInteger('nginxWorkerProcesses', nginxWorkerProcesses, 1, 64);
  const resolved: ResolvedSystemOptions = {
    path,
    topology,
    workers,
    predict,
    nMax,
    store,
    entities: checkInteger('--entities', o.entities ?? DEFAULTS.entities, 1, 10_000_000),
    seed: checkInteger('--seed', o.seed ?? DEFAULTS.seed, 0, 0xffffffff),
    host: o.host ?? DEFAULTS.host,
    port: checkInteger('--port', o.port ?? 0, 0, 65535),
    timeoutsMs,
    metricsIntervalMs: checkInteger('metricsIntervalMs', o.metricsIntervalMs ?? DEFAULTS.metricsIntervalMs, 0, 3_600_000),
    ioWaitMs: { min: ioWaitMs.min, max: ioWaitMs.max },
    bodyLimitBytes: checkInteger('bodyLimitBytes', o.bodyLimitBytes ?? DEFAULTS.bodyLimitBytes, 64, 64 * 1024 * 1024),
    poolThreads,
    nginxWorkerProcesses,
    notes,
  };
  if (cpu !== undefined) {
    resolved.kernel = cpu.kernel;
    resolved.placement = cpu.placement;
  }
  if (n !== undefined) resolved.n = n;
  if (o.redisUrl !== undefined) resolved.redisUrl = o.redisUrl;
  if (modelWorkers !== undefined) resolved.modelWorkers = modelWorkers;
  return resolved;
}

/** Queue path: a worker runs one job at a time, so its kernel runs inline (or, native-async, awaited). */
function resolveQueueCpuPredict(kernelName: KernelName | undefined): { kernel: KernelName; placement: CpuPlacement; notes: string[] } {
  const name = kernelName ?? 'typed';
  const k = getKernel(name);
  const avail = k.availability();
  if (!avail.available) throw new ServebenchError('SB_ERR_NATIVE', `--kernel ${name} is unavailable here: ${avail.reason}`);
  return { kernel: name, placement: k.mode === 'async' ? 'native-async' : 'inline', notes: [] };
}

/** Fails with SB_ERR_MISSING_TOOL when the topology needs something not installed (nginx). */
async function checkTopology(topology: Topology): Promise<string | undefined> {
  if (topology !== 'nginx') return undefined;
  const a = await nginxAvailability();
  if (!a.available) throw new ServebenchError('SB_ERR_MISSING_TOOL', a.reason);
  return a.version;
}

/**
 * Whether a topology can run here: `{ available: false, reason }` lets a suite record it as skipped
 * (data, not a crash) before trying to start it.
 */
export async function topologyAvailability(topology: Topology): Promise<{ available: true } | { available: false; reason: string }> {
  if (topology !== 'nginx') return { available: true };
  const a = await nginxAvailability();
  return a.available ? { available: true } : { available: false, reason: a.reason };
}

/** Start the whole system: the feature store, model APIs A and B, and the scoring handler, on one path and topology. */
export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const o = resolveSystemOptions(options);
  await checkTopology(o.topology);
  if (o.path === 'queue') return startQueueSystem(o, options.wrapScoring);
  const supervisor = new Supervisor();
  const events = new SystemEvents();
  const ctx = { supervisor, events, readyTimeoutMs: o.timeoutsMs.ready, nginxWorkerProcesses: o.nginxWorkerProcesses };
  const services: ServiceHandle[] = [];
  const notes = [...o.notes];
  let storeStop: (() => Promise<void>) | undefined;
  const stopEverything = async () => {
    // Front first, so no new work reaches the back while it stops.
    for (const s of [...services].reverse()) await s.stop().catch(() => undefined);
    await storeStop?.().catch(() => undefined);
    await supervisor.stopAll();
  };
  try {
    const store = await provisionStore({
      store: o.store,
      redisUrl: o.redisUrl,
      entities: o.entities,
      seed: o.seed,
      featureCount: DEFAULTS.featureCount,
      supervisor,
      readyTimeoutMs: o.timeoutsMs.ready,
    });
    storeStop = () => store.stop();
    notes.push(...store.notes);
    const [a, b] = await Promise.all(
      (['model-a', 'model-b'] as const).map((service) =>
        startService(ctx, { config: modelServiceConfig(o, service), topology: o.topology, workers: o.workers, host: '127.0.0.1', port: 0 }),
      ),
    );
    services.push(a!, b!);
    const scoringConfig = scoringServiceConfig(o, store.config, { a: a!.baseUrl, b: b!.baseUrl }, o.timeoutsMs.model);
    const scoring = await startService(ctx, {
      config: scoringConfig,
      topology: o.topology,
      workers: o.workers,
      host: o.host,
      port: o.port,
      wrap: options.wrapScoring,
    });
    services.push(scoring);
    const versions: Record<string, string> = { ...store.versions, ...a!.versions };
    let stopped: Promise<void> | undefined;
    const system: RunningSystem = {
      scoringUrl: `${scoring.baseUrl}/score`,
      baseUrls: { scoring: scoring.baseUrl, modelA: a!.baseUrl, modelB: b!.baseUrl },
      options: o,
      get processes(): SystemProcess[] {
        return [...services.flatMap((s) => s.processes()), ...storeServerProcesses(store, 'feature-store', 'redis-server')];
      },
      store: { kind: store.kind, detail: store.detail },
      versions,
      notes,
      onMetrics: (l) => events.onMetrics(l),
      onNotice: (l) => events.onNotice(l),
      describe: () =>
        describeSystem(o, {
          store: { kind: store.kind, detail: store.detail },
          scoringUrl: system.scoringUrl,
          modelUrls: { a: `${a!.baseUrl}/predict`, b: `${b!.baseUrl}/predict` },
          versions,
          notes,
          processes: system.processes,
        }),
      stop: () => (stopped ??= stopEverything()),
    };
    return system;
  } catch (err) {
    await stopEverything();
    throw err;
  }
}

export interface ModelApiOptions {
  path: RequestPath;
  topology: Topology;
  workers?: number;
  predict: PredictKind;
  kernel?: KernelName;
  n?: number;
  nMax?: number;
  /** Which model it plays (weights and wait stream differ). @default 'model-a' */
  model?: 'model-a' | 'model-b';
  seed?: number;
  host?: string;
  port?: number;
  metricsIntervalMs?: number;
  ioWaitMs?: { min: number; max: number };
  bodyLimitBytes?: number;
  poolThreads?: number;
  nginxWorkerProcesses?: number | 'auto';
  readyTimeoutMs?: number;
  /** As SystemOptions.wrapScoring, for the model API's process(es). */
  wrap?: CommandWrapper;
}

export interface RunningModelApi {
  /** e.g. http://127.0.0.1:PORT/predict */
  predictUrl: string;
  baseUrl: string;
  options: ResolvedSystemOptions;
  readonly processes: SystemProcess[];
  versions: Record<string, string>;
  notes: string[];
  onMetrics(listener: (m: ProcessMetrics) => void): () => void;
  onNotice(listener: (n: SystemNotice) => void): () => void;
  stop(): Promise<void>;
}

/** Start one model API service alone (for profiling or benchmarking the predict by itself). */
export async function startModelApi(options: ModelApiOptions): Promise<RunningModelApi> {
  const base: SystemOptions = { path: options.path, topology: options.topology, predict: options.predict, store: 'memory' };
  for (const k of [
    'workers',
    'kernel',
    'n',
    'nMax',
    'seed',
    'host',
    'port',
    'metricsIntervalMs',
    'ioWaitMs',
    'bodyLimitBytes',
    'poolThreads',
    'nginxWorkerProcesses',
  ] as const) {
    if (options[k] !== undefined) (base as unknown as Record<string, unknown>)[k] = options[k];
  }
  if (options.readyTimeoutMs !== undefined) base.timeoutsMs = { ready: options.readyTimeoutMs };
  if (options.path === 'queue')
    throw new OptionError('--path', 'the queue path has no model API: its model workers take jobs off a Redis list (start the whole system with startSystem)');
  const o = resolveSystemOptions(base);
  const versionNginx = await checkTopology(o.topology);
  const supervisor = new Supervisor();
  const events = new SystemEvents();
  const model = options.model ?? 'model-a';
  const ctx = { supervisor, events, readyTimeoutMs: o.timeoutsMs.ready, nginxWorkerProcesses: o.nginxWorkerProcesses };
  let handle: ServiceHandle;
  try {
    handle = await startService(ctx, {
      config: modelServiceConfig(o, model),
      topology: o.topology,
      workers: o.workers,
      host: o.host,
      port: o.port,
      wrap: options.wrap,
    });
  } catch (err) {
    await supervisor.stopAll();
    throw err;
  }
  let stopped: Promise<void> | undefined;
  return {
    predictUrl: `${handle.baseUrl}/predict`,
    baseUrl: handle.baseUrl,
    options: o,
    get processes() {
      return handle.processes();
    },
    versions: versionNginx === undefined ? {} : { nginx: versionNginx },
    notes: o.notes,
    onMetrics: (l) => events.onMetrics(l),
    onNotice: (l) => events.onNotice(l),
    stop: () =>
      (stopped ??= (async () => {
        await handle.stop();
        await supervisor.stopAll();
      })()),
  };
}
