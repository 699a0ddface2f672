// Scenario `high-concurrency` (the published Flask vs nginx + gunicorn experiment: one development server
// against nginx over 4 gunicorn workers, 50,000 Locust users: 41.7% vs 0.5% failed, median latency 76% lower
// with the pool, about the same throughput): both request paths on one process, a node:cluster pool and
// nginx over a pool, closed loop stepped up to the most connections the host's open-file limit allows (about
// 19,500 under a 20,000 limit), each system started once with its steps going up; failures by kind, median
// and mean latency, throughput, the mean wait by Little's law, and the CPU each process used. Full: 6 systems
// x 2 steps, about a minute on 2 cores; --quick: single and nginx, one step of 1,000 connections, about 20 s.

import type { HighConcurrencyScenario } from '../../src/experiments/types.js';

export const highConcurrency: HighConcurrencyScenario = {
  name: 'high-concurrency',
  description: 'one process vs a pool (node:cluster, nginx) on both paths, connections stepped up to the open-file limit',
  paths: ['sync', 'async'],
  topologies: ['single', 'cluster', 'nginx'],
  quickTopologies: ['single', 'nginx'],
  predict: 'io',
  // 50,000 is the published experiment's user count: kept only where the open-file limit allows it.
  connections: { default: [1000, 50_000], quick: [1000] },
  timing: {
    default: { warmupMs: 1000, durationMs: 2500 },
    quick: { warmupMs: 500, durationMs: 2000 },
  },
  // No longer than the window: a request the servers leave unanswered that long ends inside the window as a
  // timeout (a failure, as a Locust user's request that never came back), so an overloaded step shows its
  // failures instead of a window in which nothing ended; the wait shows in latency and Little's law.
  requestTimeoutMs: { default: 2500, quick: 2000 },
  repeats: { default: 1, quick: 1 },
};
