// Scenario `scaling` (seeds 001 and 002: "how does throughput grow with model servers?"): the queue path with
// 1, 2 and 4 model workers behind the Redis list, and 1, 2 and 4 model-server replicas of each model service
// behind nginx (the autoscale experiment's replica sets, held fixed; the scoring handler stays one process),
// each at the same closed load of 16 connections, in interleaved rounds. The cpu predict (a mean over 1e6
// values, a few ms per job) makes every server a core's worth of work, so on a small host the cores run out
// before the servers do, and the finding says where. About 90 s; --quick: 1 and 2 of each, one round, about 25 s.

import type { ScalingScenario } from '../../src/experiments/scaling-types.js';

export const scaling: ScalingScenario = {
  name: 'scaling',
  description: 'throughput over the number of model servers: queue model workers and nginx replicas (rps, p99, CPU per process, efficiency)',
  modelWorkers: { default: [1, 2, 4], quick: [1, 2] },
  replicas: { default: [1, 2, 4], quick: [1, 2] },
  predict: 'cpu',
  n: 1_000_000,
  // 16 clients keep 4 servers busy: each request is two jobs (model A, model B), so up to 32 wait.
  connections: 16,
  repeats: { default: 2, quick: 1 },
  timing: {
    default: { warmupMs: 1500, durationMs: 3000 },
    quick: { warmupMs: 1000, durationMs: 2000 },
  },
  queueTimeoutMs: 5000,
  paysAbove: 0.5,
  coresBusyAbove: 0.85,
  processBusyAbove: 0.9,
};
