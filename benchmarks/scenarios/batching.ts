// Scenario `batching` (issue 17: BentoML's adaptive batching, Triton's dynamic batcher): a cpu model API
// alone (n = 1000, so the per-request overhead dominates), batching off vs three (max-size, max-wait)
// settings (--quick: one), on the sync and async paths. Batching off's capacity is measured first (closed
// loop); then an open-loop ramp at multiples of it, the settings interleaved at each rate. About 40 s;
// --quick about 15 s.

import type { BatchingScenario } from '../../src/experiments/types.js';

export const batching: BatchingScenario = {
  name: 'batching',
  description: 'cpu model API alone (n=1000): batching off vs (max-size, max-wait) settings under an open-loop ramp, sync and async paths',
  predict: 'cpu',
  n: 1000,
  paths: ['sync', 'async'],
  settings: {
    default: [
      { maxSize: 8, maxWaitMs: 1 },
      { maxSize: 32, maxWaitMs: 2 },
      { maxSize: 64, maxWaitMs: 5 },
    ],
    quick: [{ maxSize: 16, maxWaitMs: 1 }],
  },
  calibration: {
    connections: 32,
    timing: { default: { warmupMs: 200, durationMs: 700 }, quick: { warmupMs: 200, durationMs: 500 } },
  },
  rateMultiples: { default: [0.5, 1.5, 3], quick: [1, 3] },
  // The validity rules' shortest window and warm-up.
  timing: { default: { warmupMs: 200, durationMs: 1000 }, quick: { warmupMs: 200, durationMs: 1000 } },
  maxInFlight: 128,
  speedupGoal: 1.5,
};
