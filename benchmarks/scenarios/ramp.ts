// Scenario `ramp` (seed 004's "Example 2", seed 001's user steps): load stepped up until the breaking
// point, the highest load at which throughput still grows and the p99 goal and error budget hold.

import type { RampScenario } from '../../src/load/scenario-types.js';

export const ramp: RampScenario = {
  name: 'ramp',
  description: 'load stepped up (connections 1, 4, 16, 64 ... or arrival rate) to the breaking point',
  // x4 a step keeps the default run short; give --connections to cap it, or edit this list for a finer ramp.
  connections: [1, 4, 16, 64, 256, 1024, 4096],
  rateFactors: [0.5, 1, 2, 4, 8, 16, 32, 64, 128],
  minGrowth: 0.1,
  minAchievedShare: 0.9,
  latencyGoalP99Us: 500_000,
  errorBudget: 0.01,
  timing: {
    default: { warmupMs: 300, durationMs: 1000 },
    quick: { warmupMs: 200, durationMs: 1000 },
  },
};
