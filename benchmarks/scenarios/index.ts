// The load scenarios `servebench load --scenario ...` knows, one definition per file.

import type { ExperimentSet } from '../../src/experiments/types.js';
import type { ScenarioSet } from '../../src/load/scenario-types.js';
import { autoscale } from './autoscale.js';
import { batching } from './batching.js';
import { faults } from './faults.js';
import { highConcurrency } from './high-concurrency.js';
import { queueWorkers } from './queue-workers.js';
import { ramp } from './ramp.js';
import { requestPaths } from './request-paths.js';
import { scaling } from './scaling.js';
import { responseTime } from './response-time.js';
import { stress } from './stress.js';
import { sustained } from './sustained.js';

export const scenarios: ScenarioSet = {
  'response-time': responseTime,
  ramp,
  sustained,
  stress,
  'request-paths': requestPaths,
};

/** The experiments (selectable with --scenario, never in the default matrix). */
export const experiments: ExperimentSet = {
  'queue-workers': queueWorkers,
  autoscale,
  faults,
  scaling,
  batching,
  'high-concurrency': highConcurrency,
};
