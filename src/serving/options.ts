// The serving system's options, resolved once at the edge: defaults applied, every value checked, and
// errors naming the option. Where a cpu predict runs (inline, native-async, a worker pool) is decided here.

import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { OptionError, ServebenchError } from '../errors.js';
import { getKernel, kernels, type KernelName } from '../kernels/index.js';
import { checkChoice, checkInteger } from '../options.js';
import { DEFAULT_RESTART_POLICY, type RestartPolicy } from '../processes/index.js';
import { packageRoot } from '../paths.js';
import type { CpuPlacement, PredictKind, RequestPath } from '../results/serving.js';
import { FILE_PREDICTS, isOneOf, KERNEL_NAMES, PREDICT_KINDS, REQUEST_PATHS, STORE_KINDS, TOPOLOGIES } from '../results/vocab.js';
import { DEFAULTS } from './config.js';
import type { ModelFileChoice } from './models/types.js';
import type { ModelApiOptions, ResolvedSystemOptions, SystemOptions } from './types.js';

type CpuPredict = { kernel: KernelName; placement: CpuPlacement; notes: string[] };

/** 'a, b or c', for messages. */
function orList(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/** Where a cpu predict runs on each path, and with which kernel; an unavailable kernel asked for is an error. */
export function resolveCpuPredict(path: RequestPath, kernelName: KernelName | undefined, poolThreads: number): CpuPredict {
  if (kernelName !== undefined) {
    const k = getKernel(kernelName);
    const avail = k.availability();
    if (!avail.available) throw new ServebenchError('SB_ERR_NATIVE', `--kernel ${kernelName} is unavailable here: ${avail.reason}`);
    if (path === 'sync') {
      if (k.mode === 'async') {
        const syncKernels = orList(KERNEL_NAMES.filter((name) => getKernel(name).mode === 'sync'));
        throw new OptionError('--kernel', `${kernelName} runs off the event loop, which the sync path never does; use ${syncKernels}, or --path async`);
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
      `cpu predict: native-async is unavailable (${why}); ` +
        `the async path runs the typed kernel on a worker-thread pool (piscina, ${poolThreads} threads) instead`,
    ],
  };
}

/** Queue path: a worker runs one job at a time, so its kernel runs inline (or, native-async, awaited). */
function resolveQueueCpuPredict(kernelName: KernelName | undefined): CpuPredict {
  const name = kernelName ?? 'typed';
  const k = getKernel(name);
  const avail = k.availability();
  if (!avail.available) throw new ServebenchError('SB_ERR_NATIVE', `--kernel ${name} is unavailable here: ${avail.reason}`);
  return { kernel: name, placement: k.mode === 'async' ? 'native-async' : 'inline', notes: [] };
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
  if (predict !== 'cpu') {
    const why = predict === 'io' ? 'the io predict waits, it computes nothing' : `the ${predict} predict runs its model file`;
    if (o.kernel !== undefined) throw new OptionError('--kernel', `applies only to --predict cpu (${why})`);
    if (o.n !== undefined) throw new OptionError('--n', 'applies only to --predict cpu');
  }
  const poolThreads = checkInteger('--pool-threads', o.poolThreads ?? cores, 1, 256);
  const modelFiles = resolveModelFiles(predict, o);
  if (predict !== 'onnx' && o.onnxThreads !== undefined) throw new OptionError('--onnx-threads', `applies only to --predict onnx (got --predict ${predict})`);
  const sessions = path === 'queue' ? (modelWorkers ?? 1) : workers * (path === 'async' ? poolThreads : 1);
  const onnxThreads = predict === 'onnx' ? checkInteger('--onnx-threads', o.onnxThreads ?? Math.max(1, Math.floor(cores / sessions)), 1, 256) : undefined;
  const notes: string[] = [];
  let cpu: { kernel: KernelName; placement: CpuPlacement } | undefined;
  let n: number | undefined;
  if (predict === 'cpu') {
    n = checkInteger('--n', o.n ?? Math.min(DEFAULTS.n, nMax), 1, nMax);
    const r = path === 'queue' ? resolveQueueCpuPredict(o.kernel) : resolveCpuPredict(path, o.kernel, poolThreads);
    cpu = { kernel: r.kernel, placement: r.placement };
    notes.push(...r.notes);
  }
  const timeoutsMs = resolveTimeouts(o, path, predict);
  const ioWaitMs = o.ioWaitMs ?? DEFAULTS.ioWaitMs;
  if (!(ioWaitMs.min >= 0 && ioWaitMs.max >= ioWaitMs.min && ioWaitMs.max <= 60_000)) {
    throw new OptionError('ioWaitMs', `expected 0 <= min <= max <= 60000, got ${ioWaitMs.min}..${ioWaitMs.max}`);
  }
  if (o.redisUrl !== undefined) checkRedisUrl(o.redisUrl, store, path);
  const nginxWorkerProcesses = o.nginxWorkerProcesses ?? 1;
  if (nginxWorkerProcesses !== 'auto') checkInteger('nginxWorkerProcesses', nginxWorkerProcesses, 1, 64);
  const resolved: ResolvedSystemOptions = {
    path,
    topology,
    workers,
    predict,
    nMax,
    featureCount: DEFAULTS.featureCount,
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
    restart: resolveRestart(o.restart, true),
    notes,
  };
  if (cpu !== undefined) {
    resolved.kernel = cpu.kernel;
    resolved.placement = cpu.placement;
  }
  if (n !== undefined) resolved.n = n;
  if (modelFiles !== undefined) resolved.modelFiles = modelFiles;
  if (onnxThreads !== undefined) resolved.onnxThreads = onnxThreads;
  if (o.redisUrl !== undefined) resolved.redisUrl = o.redisUrl;
  if (modelWorkers !== undefined) resolved.modelWorkers = modelWorkers;
  return resolved;
}

/**
 * Each model service's file, for the onnx and module predicts: --model-a/--model-b over --model; onnx
 * defaults to the shipped models/model-a.onnx and model-b.onnx; a module has no default. Paths are made
 * absolute here (every process loads the same file). The files are read at start (models/inspect.ts).
 */
function resolveModelFiles(predict: PredictKind, o: SystemOptions): { a: ModelFileChoice; b: ModelFileChoice } | undefined {
  const named: [string, string | undefined][] = [
    ['--model', o.modelFile],
    ['--model-a', o.modelFiles?.a],
    ['--model-b', o.modelFiles?.b],
  ];
  for (const [option, value] of named)
    if (value !== undefined && value.trim() === '') throw new OptionError(option, 'expected a file path, got an empty string');
  if (!isOneOf(FILE_PREDICTS, predict)) {
    const given = named.find(([, v]) => v !== undefined);
    if (given !== undefined) throw new OptionError(given[0], `applies only to --predict ${FILE_PREDICTS.join(' or ')} (the ${predict} predict is built in)`);
    return undefined;
  }
  const choose = (key: 'a' | 'b'): ModelFileChoice => {
    const own = o.modelFiles?.[key];
    if (own !== undefined) return { path: resolve(own), option: `--model-${key}` };
    if (o.modelFile !== undefined) return { path: resolve(o.modelFile), option: '--model' };
    if (predict === 'onnx') return { path: join(packageRoot, 'models', `model-${key}.onnx`), option: `the shipped model-${key}` };
    throw new OptionError('--model', 'required with --predict module: a .mjs, .js or .cjs file exporting predict(features) (see examples/predict-module.mjs)');
  };
  return { a: choose('a'), b: choose('b') };
}

/** The restart policy: true (or absent, when on by default) the defaults, false none, an object over the defaults. */
function resolveRestart(restart: SystemOptions['restart'], byDefault: boolean): RestartPolicy | false {
  if (restart === false || (restart === undefined && !byDefault)) return false;
  const p: RestartPolicy = { ...DEFAULT_RESTART_POLICY, ...(typeof restart === 'object' ? restart : {}) };
  return {
    initialDelayMs: checkInteger('restart.initialDelayMs', p.initialDelayMs, 1, 600_000),
    maxDelayMs: checkInteger('restart.maxDelayMs', p.maxDelayMs, p.initialDelayMs, 3_600_000),
    maxRestarts: checkInteger('restart.maxRestarts', p.maxRestarts, 0, 1_000_000),
    windowMs: checkInteger('restart.windowMs', p.windowMs, 1, 86_400_000),
  };
}

function resolveTimeouts(o: SystemOptions, path: RequestPath, predict: SystemOptions['predict']): ResolvedSystemOptions['timeoutsMs'] {
  const t = o.timeoutsMs ?? {};
  const timeoutsMs = {
    featureRead: checkInteger('--feature-timeout', t.featureRead ?? DEFAULTS.timeoutsMs.featureRead, 1, 600_000),
    model: checkInteger('--model-timeout', t.model ?? (predict === 'io' ? DEFAULTS.timeoutsMs.modelIo : DEFAULTS.timeoutsMs.modelCpu), 1, 3_600_000),
    ready: checkInteger('ready timeout', t.ready ?? DEFAULTS.timeoutsMs.ready, 100, 600_000),
    queue: checkInteger('--queue-timeout', t.queue ?? DEFAULTS.timeoutsMs.queue, 1, 3_600_000),
    headers: checkInteger('--headers-timeout', t.headers ?? DEFAULTS.timeoutsMs.headers, 100, 600_000),
    body: checkInteger('--body-timeout', t.body ?? DEFAULTS.timeoutsMs.body, 100, 600_000),
  };
  if (path !== 'queue' && t.queue !== undefined) throw new OptionError('--queue-timeout', `applies only to --path queue; the ${path} path has --model-timeout`);
  return timeoutsMs;
}

function checkRedisUrl(redisUrl: string, store: SystemOptions['store'], path: RequestPath): void {
  let url: URL | undefined;
  try {
    url = new URL(redisUrl);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'redis:' && url.protocol !== 'rediss:')) {
    throw new OptionError('--redis-url', `expected a URL such as redis://127.0.0.1:6379, got '${redisUrl}'`);
  }
  if (store !== 'redis' && path !== 'queue') throw new OptionError('--redis-url', 'applies only to --store redis (or to --path queue, as its broker)');
}

/** The options a model API started alone runs with: a system's, with the memory store and no queue. */
export function modelApiSystemOptions(options: ModelApiOptions): SystemOptions {
  if (options.path === 'queue') {
    throw new OptionError('--path', 'the queue path has no model API: its model workers take jobs off a Redis list (start the whole system with startSystem)');
  }
  const base: SystemOptions = { path: options.path, topology: options.topology, predict: options.predict, store: 'memory' };
  const copied = [
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
    'modelFile',
    'onnxThreads',
  ] as const;
  for (const k of copied) {
    if (options[k] !== undefined) (base as unknown as Record<string, unknown>)[k] = options[k];
  }
  if (options.readyTimeoutMs !== undefined) base.timeoutsMs = { ready: options.readyTimeoutMs };
  // A model API started alone is measured as it is (the capacity check asks whether it survived): no restarts unless asked.
  base.restart = options.restart ?? false;
  return base;
}
