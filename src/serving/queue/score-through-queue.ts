// The queue path's work for one request, shared by its synchronous handler (queue/scoring.ts) and the job
// pattern (queue/jobs.ts): the entity's features, then a model-a and a model-b job on the Redis list, side by
// side, and their results combined as the other paths combine their two model calls.

import { performance } from 'node:perf_hooks';
import type { ScoreResponse } from '../../results/serving.js';
import type { FeatureReader } from '../scoring.js';
import type { QueueClient } from './client.js';

export interface QueuedScore extends Pick<ScoreResponse, 'score' | 'predictions' | 'models'> {
  /** performance.now() when the features had been read. */
  featuresReadAt: number;
  /** Each job's round trip through the queue, ms. */
  modelAMs: number;
  modelBMs: number;
}

export async function scoreThroughQueue(features: FeatureReader, queue: QueueClient, entity: string, n: number | undefined): Promise<QueuedScore> {
  const f = await features.read(entity);
  const featuresReadAt = performance.now();
  const [a, b] = await Promise.all(
    queue.submit([
      { model: 'model-a', features: f, n },
      { model: 'model-b', features: f, n },
    ]),
  );
  const ra = a!.result;
  const rb = b!.result;
  return {
    featuresReadAt,
    modelAMs: a!.roundTripMs,
    modelBMs: b!.roundTripMs,
    score: (ra.prediction + rb.prediction) / 2,
    predictions: { a: ra.prediction, b: rb.prediction },
    models: { a: { pid: ra.served.pid, timing: ra.timing, jobId: ra.id }, b: { pid: rb.served.pid, timing: rb.timing, jobId: rb.id } },
  };
}
