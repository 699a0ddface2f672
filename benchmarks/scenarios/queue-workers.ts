// Scenario `queue-workers` (seed 001: "a Redis queue in front of one vs two model workers"): the queue path
// with 1 and with 2 model worker processes, closed loop at 1, 16 and 48 connections, interleaved rounds;
// rps, latency, failures and the depth of the jobs list; the ratio of 2 workers over 1 at 16 connections.
// Each request is two jobs (model A, model B) of 40-50 ms: one worker does them one after the other.

import type { QueueWorkersScenario } from '../../src/load/experiment-types.js';

export const queueWorkers: QueueWorkersScenario = {
  name: 'queue-workers',
  description: 'queue path: 1 vs 2 model workers behind a Redis list (rps, latency, failures, queue depth; ratio 2/1)',
  modelWorkers: [1, 2],
  predict: 'io',
  connections: { default: [1, 16, 48], quick: [1, 16] },
  compareAt: 16,
  ratioTolerance: 0.25,
  queueTimeoutMs: 5000,
  depthIntervalMs: 250,
  repeats: { default: 3, quick: 2 },
  baselineTiming: {
    default: { warmupMs: 300, durationMs: 1500 },
    quick: { warmupMs: 200, durationMs: 1000 },
  },
  timing: {
    default: { warmupMs: 1000, durationMs: 2500 },
    quick: { warmupMs: 700, durationMs: 1500 },
  },
  overloadAbove: 16,
};
