// Scenario `sustained` (seed 004's "Example 3: maximum performance"): the breaking-point load found by the
// ramp (or the load given with --connections / --rate) held for a set period.

import type { SustainedScenario } from '../../src/load/scenario-types.js';

export const sustained: SustainedScenario = {
  name: 'sustained',
  description: 'the breaking-point load (or --connections / --rate) held for a set period',
  timing: {
    default: { warmupMs: 300, durationMs: 2500 },
    quick: { warmupMs: 200, durationMs: 1000 },
  },
};
