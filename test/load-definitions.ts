// The scenario and experiment definitions of benchmarks/scenarios/ (those `servebench load` passes), for
// tests that run the load suite with them.

import { experiments, scenarios } from '../benchmarks/scenarios/index.js';
import type { LoadSuiteOptions } from '../src/load/plan.js';

/** Load suite options with benchmarks/scenarios' definitions, unless the test gives its own. */
export function withDefinitions(o: Partial<LoadSuiteOptions> = {}): LoadSuiteOptions {
  return { definitions: scenarios, experimentDefinitions: experiments, ...o };
}
