// The registry of suites, built with the scenario definitions of benchmarks/scenarios/: the command layer is
// the only part of src/ that imports benchmarks/ (the load and autocannon suites are built on src/).

import { experiments, scenarios } from '../../benchmarks/scenarios/index.js';
import { createSuites } from '../run/registry.js';

export const suites = createSuites({ loadDefinitions: scenarios, experimentDefinitions: experiments });
