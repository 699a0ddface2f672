// Scenario `high-concurrency` (the published Flask vs nginx + gunicorn experiment: one development server
// against nginx over 4 gunicorn workers, 50,000 Locust users: 41.7% vs 0.5% failed, median latency 76% lower
// with the pool, about the same throughput): both request paths on one process, a node:cluster pool and
// nginx over a pool, closed loop in steps capped by the host's open-file limit (about 19,500 under a 20,000
// limit), each system started once with its steps going up; failures by kind, median and mean latency,
// throughput, the mean wait by Little's law, and the CPU each process used. Full: 6 systems x 2 steps (1,000
// and 4,000 connections), about a minute on 2 cores; --quick: single and nginx, one step of 1,000, about 20 s.

import type { HighConcurrencyScenario } from '../../src/experiments/types.js';

export const highConcurrency: HighConcurrencyScenario = {
  name: 'high-concurrency',
  description: 'one process vs a pool (node:cluster, nginx) on both paths, connections stepped up to the open-file limit',
  paths: ['sync', 'async'],
  topologies: ['single', 'cluster', 'nginx'],
  quickTopologies: ['single', 'nginx'],
  predict: 'io',
  // The main job's minute: 4,000 at most (a step of 19,000 connections took about 2 minutes on a busy 2-core
  // host). `servebench load --scenario high-concurrency --connections N` goes up to the open-file limit (the
  // published experiment's 50,000 users where the limit allows); a step above the limit is capped to it.
  connections: { default: [1000, 4000], quick: [1000] },
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
