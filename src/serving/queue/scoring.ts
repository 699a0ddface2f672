// The scoring handler on the queue path: POST /score reads the entity's features as the async path does,
// then, instead of calling two model APIs, pushes a model-a job and a model-b job on the Redis jobs list
// and awaits their results (QueueClient). Nothing blocks. The answer has the contract of the other paths:
// modelAMs / modelBMs are each job's round trip through the queue, and models.*.timing.queueMs the time
// the job waited on the list before a worker took it.

import type { Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ScoreResponse, ScoreTiming } from '../../report/schema/serving.js';
import type { ScoringServiceConfig } from '../config.js';
import { MemoryStore } from '../feature-store/memory.js';
import { RedisStoreClient } from '../feature-store/redis-client.js';
import { createServiceServer, describeJson, HttpError, queueMsFromHeader, sendJson, type RequestContext } from '../http.js';
import type { ProcessMeter } from '../metrics.js';
import { parseScoreRequest, type ScoringService } from '../scoring.js';
import { UpstreamError } from '../upstream.js';
import { QueueClient } from './client.js';

function parseStoredFeatures(raw: string, featureCount: number): number[] {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw new UpstreamError('feature_store', 'bad_answer', 'feature store returned malformed features (not JSON)');
  }
  if (!Array.isArray(v) || v.length !== featureCount) throw new UpstreamError('feature_store', 'bad_answer', `feature store returned ${describeJson(v)}, expected ${featureCount} numbers`);
  return v as number[];
}

export function createQueueScoringService(config: ScoringServiceConfig, meter: ProcessMeter): ScoringService {
  const q = config.queue;
  if (q === undefined) throw new Error('the queue path needs its queue settings (config.queue): this process is started by servebench');
  const store = config.store;
  const memory = store.kind === 'memory' ? new MemoryStore(config.seed, store.entities, config.featureCount) : undefined;
  const redis = store.kind === 'redis' ? new RedisStoreClient(store.url, store.keyPrefix, config.timeoutsMs.featureRead) : undefined;
  const queue = new QueueClient(q);
  const served = { service: 'scoring', pid: process.pid, path: config.path, topology: config.topology, store: store.kind } as const;

  const score = async (ctx: RequestContext): Promise<void> => {
    const { entity, n } = parseScoreRequest(ctx.body, config);
    const t0 = performance.now();
    let features: number[] | undefined;
    if (memory !== undefined) features = memory.get(entity);
    else {
      const raw = await redis!.getRaw(entity);
      features = raw === undefined ? undefined : parseStoredFeatures(raw, config.featureCount);
    }
    const tF = performance.now();
    if (features === undefined) {
      throw new HttpError(404, 'unknown_entity', `unknown entity ${JSON.stringify(entity.length > 60 ? `${entity.slice(0, 60)}...` : entity)}: the feature store holds e0 to e${store.entities - 1}`);
    }
    const [a, b] = await Promise.all(queue.submit([
      { model: 'model-a', features, n },
      { model: 'model-b', features, n },
    ]));
    const timing: ScoreTiming = { featureReadMs: tF - t0, modelAMs: a!.roundTripMs, modelBMs: b!.roundTripMs, totalMs: performance.now() - ctx.startMs };
    const qMs = queueMsFromHeader(ctx.req, ctx.startEpochMs);
    if (qMs !== undefined) timing.queueMs = qMs;
    const ra = a!.result;
    const rb = b!.result;
    const payload: ScoreResponse = {
      entity,
      score: (ra.prediction + rb.prediction) / 2,
      predictions: { a: ra.prediction, b: rb.prediction },
      timing,
      models: { a: { pid: ra.served.pid, timing: ra.timing, jobId: ra.id }, b: { pid: rb.served.pid, timing: rb.timing, jobId: rb.id } },
      served,
    };
    // Summed once the answer is out (see scoring.ts).
    ctx.res.once('finish', () => {
      const s = meter.timingSumsMs;
      s.featureRead += timing.featureReadMs;
      s.modelA += timing.modelAMs;
      s.modelB += timing.modelBMs;
      s.total += timing.totalMs;
      meter.timedRequests++;
      if (timing.queueMs !== undefined) {
        s.queue += timing.queueMs;
        meter.queueKnownRequests++;
      }
    });
    sendJson(ctx.res, 200, payload);
  };

  const server: Server = createServiceServer({
    service: 'scoring',
    bodyLimitBytes: config.bodyLimitBytes,
    routes: { '/score': score },
    health: () => ({
      path: config.path,
      topology: config.topology,
      store: store.kind,
      entities: store.entities,
      predict: config.predict,
      queue: { jobsKey: q.jobsKey, replyKey: queue.replyKey, timeoutMs: q.timeoutMs, inFlight: queue.inFlight, lateResults: queue.lateResults, badResults: queue.badResults },
    }),
    onResponse: (status) => meter.response(status),
  });
  return {
    server,
    warm: async () => {
      await redis?.connect();
      await queue.connect();
    },
    close: async () => {
      redis?.close();
      await queue.close();
    },
  };
}
