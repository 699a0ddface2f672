// The model API service: POST /predict and GET /health. Its predict is an io wait or a cpu mean kernel;
// on the sync path one request at a time blocks the process (a Flask/WSGI worker), on the async path
// nothing blocks (a FastAPI worker).

import type { Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import { getKernel, type Kernel, type KernelName } from '../kernels/index.js';
import type { PredictResponse, PredictTiming } from '../results/serving.js';
import { uniform } from '../stats/random.js';
import type { ModelServiceConfig } from './config.js';
import { createServiceServer, describeJson, HttpError, optionalInteger, parseJsonObject, queueMsFromHeader, sendJson, type RequestContext } from './http.js';
import type { ProcessMeter } from './metrics.js';
import { blockFor, KernelPool, linearScore, modelWeights, sigmoid, VectorCache, waitFor, waitRng } from './predict.js';

export interface ModelApi {
  server: Server;
  /** Build vectors and start pool workers before the first request. */
  warm(): Promise<void>;
  close(): Promise<void>;
}

/** Validate a /predict body: `features` (featureCount finite numbers) and an optional `n`. */
function parsePredictRequest(body: Buffer, config: ModelServiceConfig): { features: number[]; n: number | undefined } {
  const obj = parseJsonObject(body);
  const f = obj.features;
  const want = config.featureCount;
  if (f === undefined) throw new HttpError(400, 'bad_field', `features: required, an array of ${want} numbers`);
  if (!Array.isArray(f)) throw new HttpError(400, 'bad_field', `features: expected an array of ${want} numbers, got ${describeJson(f)}`);
  if (f.length !== want) throw new HttpError(400, 'bad_vector_length', `features: expected ${want} numbers, got ${f.length}`);
  for (let i = 0; i < f.length; i++) {
    const v: unknown = f[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new HttpError(400, 'bad_field', `features[${i}]: expected a finite number, got ${describeJson(v)}`);
  }
  if (config.predict === 'io' && obj.n !== undefined) {
    throw new HttpError(400, 'bad_field', 'n: applies only to a cpu predict; this model API runs the io predict');
  }
  const n = optionalInteger(obj, 'n', 1, config.nMax);
  return { features: f as number[], n };
}

export function createModelApi(config: ModelServiceConfig, meter: ProcessMeter): ModelApi {
  const role = config.service;
  const weights = modelWeights(config.seed, role, config.featureCount);
  const rng = waitRng(config.seed, config.name);
  const served = { service: role, pid: process.pid, path: config.path, topology: config.topology } as const;
  const { min, max } = config.ioWaitMs;

  let kernel: Kernel | undefined;
  let pool: KernelPool | undefined;
  const vectors = new VectorCache(config.seed);
  if (config.predict === 'cpu') {
    const name: KernelName = config.kernel ?? 'typed';
    kernel = getKernel(name);
    const avail = kernel.availability();
    if (!avail.available) throw new Error(`kernel ${name} is unavailable: ${avail.reason}`);
    if (config.placement === 'worker-pool') pool = new KernelPool(config.poolThreads ?? 2);
  }

  const linear = (features: number[]) => linearScore(weights, features);

  const answer = (ctx: RequestContext, prediction: number, timing: PredictTiming, extra: Partial<PredictResponse>) => {
    const payload: PredictResponse = { model: role, prediction, predict: config.predict, ...extra, timing, served };
    // Predicts run are counted (unlike the scoring handler's answers) whether or not the answer got out.
    meter.recordPredict(timing);
    sendJson(ctx.res, 200, payload);
  };

  const cpuExtra = (n: number, mean: number): Partial<PredictResponse> => ({ kernel: kernel?.name, placement: config.placement ?? 'inline', n, mean });

  // Sync path: everything inline; the io wait blocks the whole process.
  const predictSync = (ctx: RequestContext): void => {
    const { features, n } = parsePredictRequest(ctx.body, config);
    const queueMs = queueMsFromHeader(ctx.req, ctx.startEpochMs);
    const t0 = performance.now();
    if (config.predict === 'io') {
      blockFor(uniform(rng, min, max));
      const predictMs = performance.now() - t0;
      answer(ctx, sigmoid(linear(features)), timing(predictMs, ctx.startMs, queueMs), {});
      return;
    }
    const k = kernel!;
    if (k.mode !== 'sync') throw new HttpError(500, 'internal', `kernel ${k.name} is not a sync kernel`);
    const size = n ?? config.n;
    const arg = vectors.get(k.name, size);
    const t1 = performance.now();
    const mean = k.mean(arg);
    const predictMs = performance.now() - t1;
    answer(ctx, sigmoid(linear(features) + mean), timing(predictMs, ctx.startMs, queueMs), cpuExtra(size, mean));
  };

  // Async path: the io wait is a timer; a cpu predict goes to the libuv pool or the worker pool.
  const predictAsync = async (ctx: RequestContext): Promise<void> => {
    const { features, n } = parsePredictRequest(ctx.body, config);
    const headerQueue = queueMsFromHeader(ctx.req, ctx.startEpochMs);
    if (config.predict === 'io') {
      const t0 = performance.now();
      await waitFor(uniform(rng, min, max));
      return answer(ctx, sigmoid(linear(features)), timing(performance.now() - t0, ctx.startMs, headerQueue), {});
    }
    const k = kernel!;
    const size = n ?? config.n;
    if (pool !== undefined) {
      const r = await pool.run({ kernel: k.name, n: size, seed: config.seed });
      return answer(ctx, sigmoid(linear(features) + r.mean), timing(r.kernelMs, ctx.startMs, r.queueMs + (headerQueue ?? 0)), cpuExtra(size, r.mean));
    }
    if (k.mode !== 'async') throw new HttpError(500, 'internal', `kernel ${k.name} cannot run off the event loop without the worker pool`);
    const arg = vectors.get(k.name, size);
    const t1 = performance.now();
    const mean = await k.mean(arg);
    answer(ctx, sigmoid(linear(features) + mean), timing(performance.now() - t1, ctx.startMs, headerQueue), cpuExtra(size, mean));
  };

  const server = createServiceServer({
    service: role,
    bodyLimitBytes: config.bodyLimitBytes,
    routes: { '/predict': config.path === 'sync' ? predictSync : predictAsync },
    health: () => ({
      path: config.path,
      predict: config.predict,
      ...(kernel === undefined ? {} : { kernel: kernel.name, placement: config.placement ?? 'inline', n: config.n, nMax: config.nMax }),
    }),
    onResponse: (status) => meter.response(status),
  });

  return {
    server,
    async warm() {
      if (kernel === undefined) return;
      if (pool !== undefined) await pool.warm({ kernel: kernel.name, n: config.n, seed: config.seed }, config.poolThreads ?? 2);
      else vectors.get(kernel.name, config.n);
    },
    async close() {
      await pool?.close();
    },
  };
}

function timing(predictMs: number, startMs: number, queueMs: number | undefined): PredictTiming {
  const t: PredictTiming = { predictMs, totalMs: performance.now() - startMs };
  if (queueMs !== undefined) t.queueMs = queueMs;
  return t;
}
