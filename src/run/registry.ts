// The registry: every suite, in the order the main job runs them. The only place that knows them all. The
// scenario definitions are inputs (benchmarks/ is built on src/, so only the command layer imports it).

import type { SuiteName } from '../results/index.js';
import type { AnySuite } from './suite.js';
import { capacitySuite } from './suites/capacity.js';
import { concurrencySuite } from './suites/concurrency.js';
import { experimentsSuite } from './suites/experiments.js';
import { hardwareSuite } from './suites/hardware.js';
import { kernelsSuite } from './suites/kernels.js';
import { loadSuite, type ScenarioInputs } from './suites/load.js';
import { profileSuite } from './suites/profile.js';

export type { ScenarioInputs } from './suites/load.js';

/** Every suite, in the main job's order. */
export function createSuites(inputs: ScenarioInputs) {
  return {
    hardware: hardwareSuite,
    kernels: kernelsSuite,
    capacity: capacitySuite,
    load: loadSuite(inputs),
    experiments: experimentsSuite(inputs),
    profile: profileSuite,
    concurrency: concurrencySuite(inputs),
  } as const satisfies Record<SuiteName, AnySuite>;
}

export type Suites = ReturnType<typeof createSuites>;

/** The suites in the main job's order. */
export function suiteList(suites: Suites): AnySuite[] {
  return [suites.hardware, suites.kernels, suites.capacity, suites.load, suites.experiments, suites.profile, suites.concurrency];
}
