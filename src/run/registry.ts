// The registry: every suite, in the order the main job runs them. The only place that knows them all.

import type { SuiteName } from '../results/index.js';
import type { AnySuite } from './suite.js';
import { capacitySuite } from './suites/capacity.js';
import { experimentsSuite } from './suites/experiments.js';
import { hardwareSuite } from './suites/hardware.js';
import { kernelsSuite } from './suites/kernels.js';
import { loadSuite } from './suites/load.js';
import { profileSuite } from './suites/profile.js';

export const SUITES: readonly AnySuite[] = [hardwareSuite, kernelsSuite, capacitySuite, loadSuite, experimentsSuite, profileSuite];

/** The suites named, in the registry's order. */
export function selectSuites(names: readonly SuiteName[]): AnySuite[] {
  return SUITES.filter((s) => names.includes(s.name));
}
