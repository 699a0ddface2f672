// The load scenarios `servebench load --scenario ...` knows, one definition per file.

import type { ScenarioSet } from '../../src/load/scenario-types.js';
import { ramp } from './ramp.js';
import { requestPaths } from './request-paths.js';
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
