// Scenario `stress` (seed 004's "Example 4", seed 000's 50,000 users): well past the breaking point, then
// back down to it, counting failures by kind and timing how long latency takes to recover.

import type { StressScenario } from '../../src/load/scenario-types.js';

export const stress: StressScenario = {
  name: 'stress',
  description: '4x the breaking-point load, then back down: failures by kind and the time latency takes to recover',
  multiplier: 4,
  overload: {
    default: { warmupMs: 200, durationMs: 1500 },
    quick: { warmupMs: 200, durationMs: 1000 },
  },
  recoveryMs: { default: 2500, quick: 1500 },
  binMs: 500,
  recoveredAtP99Ratio: 1.5,
};
