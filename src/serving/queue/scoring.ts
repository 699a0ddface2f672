// The scoring handler on the queue path: POST /score reads the entity's features as the async path does,
// then, instead of calling two model APIs, pushes a model-a job and a model-b job on the Redis jobs list
// and awaits their results (QueueClient). Nothing blocks. The answer has the contract of the other paths:
// modelAMs / modelBMs are each job's round trip through the queue, and models.*.timing.queueMs the time
// the job waited on the list before a worker took it.

import { performance } from 'node:perf_hooks';
import type { ScoringServiceConfig } from '../config.js';
import type { RequestContext } from '../http.js';
import type { ProcessMeter } from '../metrics.js';
import { featureReader, parseScoreRequest, scoreTiming, scoringServer, sendScore, type ScoringService } from '../scoring.js';
import { QueueClient } from './client.js';
import { scoreThroughQueue } from './score-through-queue.js';

export function createQueueScoringService(config: ScoringServiceConfig, meter: ProcessMeter): ScoringService {
  const q = config.queue;
  if (q === undefined) throw new Error('the queue path needs its queue settings (config.queue): this process is started by servebench');
  const store = config.store;
  const features = featureReader(config);
  const queue = new QueueClient(q);
  const served = { service: 'scoring', pid: process.pid, path: config.path, topology: config.topology, store: store.kind } as const;

  const score = async (ctx: RequestContext): Promise<void> => {
    const { entity, n } = parseScoreRequest(ctx.body, config);
    const t0 = performance.now();
    const r = await scoreThroughQueue(features, queue, entity, n);
    sendScore(ctx, meter, {
      entity,
      score: r.score,
      predictions: r.predictions,
      timing: scoreTiming(ctx, t0, r.featuresReadAt, r.modelAMs, r.modelBMs),
      models: r.models,
      served,
    });
  };

  return {
    server: scoringServer(config, meter, score, () => ({
      queue: {
        jobsKey: q.jobsKey,
        replyKey: queue.replyKey,
        timeoutMs: q.timeoutMs,
        inFlight: queue.inFlight,
        lateResults: queue.lateResults,
        badResults: queue.badResults,
      },
    })),
    warm: async () => {
      await features.connect();
      await queue.connect();
    },
    close: async () => {
      features.close();
      await queue.close();
    },
  };
}
