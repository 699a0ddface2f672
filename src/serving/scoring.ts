// The scoring handler: POST /score {"entity": "e<i>"} reads the entity's features from the feature store,
// calls model A and model B, and combines their answers; GET /health. The sync path does each step
// through blocking calls, one after another; the async path awaits them, the two model calls at once.
// Every answer carries its timing breakdown and says which process, path and store served it.

import type { Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { PredictResponse, ScoreResponse, ScoreTiming } from '../results/serving.js';
import type { ScoringServiceConfig } from './config.js';
import { MemoryStore } from './feature-store/memory.js';
import { RedisStoreClient } from './feature-store/redis-client.js';
import { scoringDependencies } from './health.js';
import { HttpError } from './http-error.js';
import { describeJson, optionalInteger, parseJsonObject, quoted } from './http-input.js';
import { createServiceServer, queueMsFromHeader, sendJson, type RequestContext } from './http.js';
import type { ProcessMeter } from './metrics.js';
import { ModelClient } from './model-client.js';
import { BlockingClient } from './paths/blocking-client.js';
import { UpstreamError } from './upstream.js';

export interface ScoringService {
  server: Server;
  /** Connect to the store (and start the blocking client's worker) before the first request. */
  warm(): Promise<void>;
  close(): Promise<void>;
}

/** Validate a /score body: `entity` (a string) and, for a cpu predict, an optional `n`. */
export function parseScoreRequest(body: Buffer, config: ScoringServiceConfig): { entity: string; n: number | undefined } {
  const obj = parseJsonObject(body);
  const e = obj.entity;
  if (e === undefined) throw new HttpError(400, 'bad_field', 'entity: required, a string such as "e1"');
  if (typeof e !== 'string') throw new HttpError(400, 'bad_field', `entity: expected a string such as "e1", got ${describeJson(e)}`);
  if (e.length === 0 || e.length > 256) throw new HttpError(400, 'bad_field', `entity: expected 1 to 256 characters, got ${e.length}`);
  if (config.predict !== 'cpu' && obj.n !== undefined)
    throw new HttpError(400, 'bad_field', `n: applies only to a cpu predict; this system runs the ${config.predict} predict`);
  const n = optionalInteger(obj, 'n', 1, config.nMax);
  return { entity: e, n };
}

/** The features the store holds for an entity (a JSON array); a 502 naming the problem for anything else. */
function parseStoredFeatures(raw: string, featureCount: number): number[] {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw new UpstreamError('feature_store', 'bad_answer', 'feature store returned malformed features (not JSON)');
  }
  if (!Array.isArray(v) || v.length !== featureCount)
    throw new UpstreamError('feature_store', 'bad_answer', `feature store returned ${describeJson(v)}, expected ${featureCount} numbers`);
  return v as number[];
}

/** The 404 for an entity the store does not hold. */
function unknownEntity(entity: string, entities: number): HttpError {
  return new HttpError(404, 'unknown_entity', `unknown entity ${quoted(entity)}: the feature store holds e0 to e${entities - 1}`);
}

/** The timing of a /score answer: feature read from t0 to tF, the two model calls, and the queueing when known. */
export function scoreTiming(ctx: RequestContext, t0: number, tF: number, aMs: number, bMs: number): ScoreTiming {
  const t: ScoreTiming = { featureReadMs: tF - t0, modelAMs: aMs, modelBMs: bMs, totalMs: performance.now() - ctx.startMs };
  const q = queueMsFromHeader(ctx.req, ctx.startEpochMs);
  if (q !== undefined) t.queueMs = q;
  return t;
}

/** Send a /score answer; its timing goes into the meter's sums once it is out. */
export function sendScore(ctx: RequestContext, meter: ProcessMeter, payload: ScoreResponse): void {
  // Summed only once the answer is out: a request whose client (or nginx) gave up was handled but never
  // answered, and counting its timing over the delivered answers skewed the means (a 30 s queue
  // reported in a 7 s run at 10,000 connections).
  ctx.res.once('finish', () => meter.recordScore(payload.timing));
  sendJson(ctx.res, 200, payload);
}

/** Reads an entity's features without blocking: the embedded store in-process, Redis through ioredis. */
export interface FeatureReader {
  /** The entity's features; a 404 naming the entity when the store does not hold it. */
  read(entity: string): Promise<number[]>;
  connect(): Promise<void>;
  close(): void;
}

/** The feature reader of the paths that await (async, queue). */
export function featureReader(config: ScoringServiceConfig): FeatureReader {
  const store = config.store;
  const memory = store.kind === 'memory' ? new MemoryStore(config.seed, store.entities, config.featureCount) : undefined;
  const redis = store.kind === 'redis' ? new RedisStoreClient(store.url, store.keyPrefix, config.timeoutsMs.featureRead) : undefined;
  return {
    read: async (entity) => {
      let features: number[] | undefined;
      if (memory !== undefined) features = memory.get(entity);
      else {
        const raw = await redis!.getRaw(entity);
        features = raw === undefined ? undefined : parseStoredFeatures(raw, config.featureCount);
      }
      if (features === undefined) throw unknownEntity(entity, store.entities);
      return features;
    },
    connect: async () => {
      await redis?.connect();
    },
    close: () => redis?.close(),
  };
}

export function createScoringService(config: ScoringServiceConfig, meter: ProcessMeter): ScoringService {
  const store = config.store;
  const served = { service: 'scoring', pid: process.pid, path: config.path, topology: config.topology, store: store.kind } as const;
  const modelBody = (features: number[], n: number | undefined) => JSON.stringify(n === undefined ? { features } : { features, n });

  const respond = (ctx: RequestContext, entity: string, a: PredictResponse, b: PredictResponse, timing: ScoreTiming) => {
    sendScore(ctx, meter, {
      entity,
      score: (a.prediction + b.prediction) / 2,
      predictions: { a: a.prediction, b: b.prediction },
      timing,
      models: { a: { pid: a.served.pid, timing: a.timing }, b: { pid: b.served.pid, timing: b.timing } },
      served,
    });
  };

  if (config.path === 'sync') {
    const memory = store.kind === 'memory' ? new MemoryStore(config.seed, store.entities, config.featureCount) : undefined;
    const maxWaitMs = Math.max(config.timeoutsMs.featureRead, config.timeoutsMs.model) + 5000;
    const blocking = new BlockingClient(maxWaitMs);
    let initialised = false;
    const init = () => {
      if (initialised) return;
      blocking.init({
        op: 'init',
        ...(store.kind === 'redis' ? { redis: { url: store.url, keyPrefix: store.keyPrefix, timeoutMs: config.timeoutsMs.featureRead } } : {}),
        models: config.models,
        modelTimeoutMs: config.timeoutsMs.model,
      });
      initialised = true;
    };
    const scoreSync = (ctx: RequestContext): void => {
      const { entity, n } = parseScoreRequest(ctx.body, config);
      init();
      const t0 = performance.now();
      let features: number[] | undefined;
      if (memory !== undefined) features = memory.get(entity);
      else {
        const raw = blocking.get(entity);
        features = raw === undefined ? undefined : parseStoredFeatures(raw, config.featureCount);
      }
      const tF = performance.now();
      if (features === undefined) throw unknownEntity(entity, store.entities);
      const body = modelBody(features, n);
      const a = blocking.predict('a', body);
      const tA = performance.now();
      const b = blocking.predict('b', body);
      const tB = performance.now();
      respond(ctx, entity, a, b, scoreTiming(ctx, t0, tF, tA - tF, tB - tA));
    };
    return {
      server: scoringServer(config, meter, scoreSync),
      warm: async () => init(),
      close: async () => undefined,
    };
  }

  const features = featureReader(config);
  // Enough keep-alive connections for every request in flight; undici opens them only as needed.
  const modelA = new ModelClient('model-a', config.models.a, config.timeoutsMs.model, 1024);
  const modelB = new ModelClient('model-b', config.models.b, config.timeoutsMs.model, 1024);
  const timed = async (client: ModelClient, body: string): Promise<{ r: PredictResponse; ms: number }> => {
    const s = performance.now();
    const { response } = await client.predict(body);
    return { r: response, ms: performance.now() - s };
  };
  const scoreAsync = async (ctx: RequestContext): Promise<void> => {
    const { entity, n } = parseScoreRequest(ctx.body, config);
    const t0 = performance.now();
    const body = modelBody(await features.read(entity), n);
    const tF = performance.now();
    const [a, b] = await Promise.all([timed(modelA, body), timed(modelB, body)]);
    respond(ctx, entity, a.r, b.r, scoreTiming(ctx, t0, tF, a.ms, b.ms));
  };
  return {
    server: scoringServer(config, meter, scoreAsync),
    warm: () => features.connect(),
    close: async () => {
      features.close();
      await Promise.all([modelA.close(), modelB.close()]);
    },
  };
}

/**
 * The scoring server of every path: POST /score, and GET /health: its dependencies (feature store, model APIs
 * or the queue; 503 naming a dead one), then the common facts and the path's own.
 */
export function scoringServer(
  config: ScoringServiceConfig,
  meter: ProcessMeter,
  score: (ctx: RequestContext) => void | Promise<void>,
  moreHealth: () => Record<string, unknown> = () => ({}),
): Server {
  const dependencies = scoringDependencies(config);
  const server = createServiceServer({
    service: 'scoring',
    bodyLimitBytes: config.bodyLimitBytes,
    timeoutsMs: config.httpTimeoutsMs,
    routes: { '/score': score },
    checkHealth: () => dependencies.check(),
    health: () => ({
      path: config.path,
      topology: config.topology,
      store: config.store.kind,
      entities: config.store.entities,
      predict: config.predict,
      ...moreHealth(),
    }),
    onResponse: (status, code) => meter.response(status, code),
  });
  server.once('close', () => dependencies.close());
  return server;
}
