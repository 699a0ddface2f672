// Scenario `response-time` (seed 004's "Example 1"): one connection, normal traffic. Its mean latency is
// the denominator of Little's law for every other step of the same system.

import type { ResponseTimeScenario } from '../../src/load/scenario-types.js';

export const responseTime: ResponseTimeScenario = {
  name: 'response-time',
  description: "one connection: the latency baseline (and the basis of the Little's-law expectation)",
  connections: 1,
  timing: {
    default: { warmupMs: 300, durationMs: 1500 },
    quick: { warmupMs: 200, durationMs: 1000 },
  },
};
