// Scenario `high-concurrency` (the published Flask vs nginx + gunicorn experiment: one development server
// against nginx over 4 gunicorn workers, 50,000 Locust users: 41.7% vs 0.5% failed, median latency 76% lower
// with the pool, about the same throughput): both request paths on one process, a node:cluster pool and
// nginx over a pool, closed loop stepped up to the most connections the host's open-file limit allows (about
// 19,500 under a 20,000 limit), each step on a freshly started system; failures by kind, median and mean
// latency, throughput, the mean wait by Little's law, and the CPU each process used. Full: 5 steps, about 5
// minutes on 2 cores; --quick: single and nginx only, 2 steps, about 60 s.

import type { HighConcurrencyScenario } from '../../src/experiments/types.js';

export const highConcurrency: HighConcurrencyScenario = {
  name: 'high-concurrency',
  description: 'one process vs a pool (node:cluster, nginx) on both paths, connections stepped up to the open-file limit',
  paths: ['sync', 'async'],
  topologies: ['single', 'cluster', 'nginx'],
  quickTopologies: ['single', 'nginx'],
  predict: 'io',
  // 50,000 is the published experiment's user count: kept only where the open-file limit allows it.
  connections: { default: [100, 1000, 5000, 10_000, 50_000], quick: [1000, 50_000] },
  timing: {
    default: { warmupMs: 3000, durationMs: 5000 },
    quick: { warmupMs: 2000, durationMs: 3000 },
  },
  // Longer than a step: like the published experiment's Locust users, a connection waits for its answer, so
  // failures are what the servers (or the host) refuse, and the wait shows in latency and Little's law.
  requestTimeoutMs: { default: 60_000, quick: 60_000 },
  repeats: { default: 1, quick: 1 },
};
