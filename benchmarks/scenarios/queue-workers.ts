// Scenario `queue-workers` (seed 001: "a Redis queue in front of one vs two model workers"): the queue path
// with 1 and with 2 model worker processes, closed loop at 1 and 16 connections, 3 interleaved rounds
// (about 45 s; --quick: 2 rounds, about 25 s); rps, latency, failures and the depth of the jobs list; the
// ratio of 2 workers over 1 at 16 connections. Each request is two jobs (model A, model B) of 40-50 ms:
// one worker does them one after the other, two side by side.

import type { QueueWorkersScenario } from '../../src/experiments/types.js';

export const queueWorkers: QueueWorkersScenario = {
  name: 'queue-workers',
  description: 'queue path: 1 vs 2 model workers behind a Redis list (rps, latency, failures, queue depth; ratio 2/1)',
  modelWorkers: [1, 2],
  predict: 'io',
  connections: { default: [1, 16], quick: [1, 16] },
  compareAt: 16,
  ratioTolerance: 0.25,
  queueTimeoutMs: 5000,
  depthIntervalMs: 250,
  repeats: { default: 3, quick: 2 },
  baselineTiming: {
    default: { warmupMs: 200, durationMs: 1000 },
    quick: { warmupMs: 200, durationMs: 1000 },
  },
  // The warm-up covers one full cycle of the queue (16 users x 2 jobs x ~45 ms / 1 worker = 1.45 s), so
  // the window sees the steady state, not the first burst draining.
  timing: {
    default: { warmupMs: 1500, durationMs: 2500 },
    quick: { warmupMs: 1500, durationMs: 1200 },
  },
  // Steps past 16 users (--connections 48): the first cycle (48 / 10.8 = 4.4 s with one worker) and the
  // jobs left by the step before must drain before the window; past the deadline, 504s come in waves
  // one deadline apart, which a short window can miss entirely (the run notes say so).
  overloadTiming: {
    default: { warmupMs: 5000, durationMs: 3000 },
    quick: { warmupMs: 5000, durationMs: 2000 },
  },
  overloadAbove: 16,
};
