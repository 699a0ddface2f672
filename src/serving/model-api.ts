// The model API service: POST /predict and GET /health. Its predict is a model of the family in models/
// (io, cpu, an ONNX model, a user's module), made for the process's path: on the sync path one request at a
// time blocks the process (a Flask/WSGI worker), on the async path nothing blocks (a FastAPI worker).

import type { Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { PredictResponse, PredictTiming } from '../results/serving.js';
import { modelSettings, type ModelServiceConfig } from './config.js';
import { HttpError } from './http-error.js';
import { describeJson, optionalInteger, parseJsonObject } from './http-input.js';
import { createServiceServer, queueMsFromHeader, sendJson, type RequestContext } from './http.js';
import type { ProcessMeter } from './metrics.js';
import { createModel, type Model, type PredictInput, type PredictOutcome } from './models/index.js';

export interface ModelApi {
  server: Server;
  /** Load the model, build vectors and start pool workers before the first request. */
  warm(): Promise<void>;
  close(): Promise<void>;
}

/** A wrong feature vector: the built-ins keep their code; a model file's answer names the model and its input. */
function badLength(model: Model, got: number): HttpError {
  const d = model.description;
  const want = d.featureCount;
  if (d.file === undefined) return new HttpError(400, 'bad_vector_length', `features: expected ${want} numbers, got ${got}`);
  const input = d.inputs[0];
  const declared = input === undefined ? '' : ` (input ${input.name}, ${input.type} [${input.shape.join(', ')}])`;
  return new HttpError(400, 'bad_features', `features: ${d.name}${declared} takes ${want} features, got ${got}`);
}

/** Validate a /predict body: `features` (the model's feature count of finite numbers) and, for a cpu predict, an optional `n`. */
function parsePredictRequest(body: Buffer, config: ModelServiceConfig, model: Model): PredictInput {
  const obj = parseJsonObject(body);
  const f = obj.features;
  const want = config.featureCount;
  const file = model.description.file !== undefined;
  const code = file ? 'bad_features' : 'bad_field';
  if (f === undefined) throw new HttpError(400, code, `features: required, an array of ${want} numbers`);
  if (!Array.isArray(f)) throw new HttpError(400, code, `features: expected an array of ${want} numbers, got ${describeJson(f)}`);
  if (f.length !== want) throw badLength(model, f.length);
  for (let i = 0; i < f.length; i++) {
    const v: unknown = f[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new HttpError(400, code, `features[${i}]: expected a finite number, got ${describeJson(v)}`);
  }
  if (config.predict !== 'cpu' && obj.n !== undefined) {
    throw new HttpError(400, 'bad_field', `n: applies only to a cpu predict; this model API runs the ${config.predict} predict`);
  }
  return { features: f as number[], n: optionalInteger(obj, 'n', 1, config.nMax) };
}

export function createModelApi(config: ModelServiceConfig, meter: ProcessMeter): ModelApi {
  const role = config.service;
  const served = { service: role, pid: process.pid, path: config.path, topology: config.topology } as const;
  const settings = modelSettings(config);
  const model: Model = config.path === 'sync' ? createModel(settings, 'sync') : createModel(settings, 'async');

  const answer = (ctx: RequestContext, out: PredictOutcome, headerQueueMs: number | undefined) => {
    const timing: PredictTiming = { predictMs: out.predictMs, totalMs: performance.now() - ctx.startMs };
    const queueMs = out.queueMs === undefined ? headerQueueMs : out.queueMs + (headerQueueMs ?? 0);
    if (queueMs !== undefined) timing.queueMs = queueMs;
    const payload: PredictResponse = { model: role, prediction: out.prediction, predict: config.predict, ...out.extra, timing, served };
    // Predicts run are counted (unlike the scoring handler's answers) whether or not the answer got out.
    meter.recordPredict(timing);
    sendJson(ctx.res, 200, payload);
  };

  // Sync path: the model blocks the whole process for each request.
  const predictSync = (ctx: RequestContext): void => {
    if (model.mode !== 'blocking') throw new HttpError(500, 'internal', 'the sync path needs a blocking model');
    const input = parsePredictRequest(ctx.body, config, model);
    const queueMs = queueMsFromHeader(ctx.req, ctx.startEpochMs);
    answer(ctx, model.run(input), queueMs);
  };

  // Async path: the model never holds the event loop for long (a timer, the libuv pool, a worker pool).
  const predictAsync = async (ctx: RequestContext): Promise<void> => {
    const input = parsePredictRequest(ctx.body, config, model);
    const queueMs = queueMsFromHeader(ctx.req, ctx.startEpochMs);
    answer(ctx, await model.run(input), queueMs);
  };

  const d = model.description;
  // /health is healthy once the model is loaded (warm done), and no longer once it is closed.
  let loaded = false;
  const server = createServiceServer({
    service: role,
    bodyLimitBytes: config.bodyLimitBytes,
    timeoutsMs: config.httpTimeoutsMs,
    routes: { '/predict': config.path === 'sync' ? predictSync : predictAsync },
    checkHealth: async () => ({ problems: loaded ? [] : [`the model (${d.name}) is not loaded`], facts: { modelLoaded: loaded } }),
    health: () => ({
      path: config.path,
      predict: config.predict,
      ...(config.predict === 'cpu' ? { kernel: config.kernel ?? 'typed', placement: config.placement ?? 'inline', n: config.n, nMax: config.nMax } : {}),
      model: d,
    }),
    onResponse: (status, code) => meter.response(status, code),
  });

  return {
    server,
    warm: async () => {
      await model.warm();
      loaded = true;
    },
    close: async () => {
      loaded = false;
      await model.close();
    },
  };
}
