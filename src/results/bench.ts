// `servebench bench`: a sequence of suites whose results become sections of one results.json.

import type { ErrorInfo } from './common.js';
import type { KernelsData } from './kernels.js';
import type { LoadData } from './load.js';
import type { ProfileData } from './profile.js';
import type { HardwareData } from './hardware.js';
import type { CapacityData } from './capacity.js';

import type { SuiteName } from './vocab.js';

export type { SuiteName } from './vocab.js';

export interface SuiteRecord {
  suite: SuiteName;
  state: 'completed' | 'errored' | 'skipped' | 'interrupted';
  startedAt: string;
  durationMs: number;
  error?: ErrorInfo;
  reason?: string;
}

export interface BenchData {
  quick: boolean;
  suites: SuiteRecord[];
  sections: {
    hardware?: HardwareData;
    kernels?: KernelsData;
    capacity?: CapacityData;
    load?: LoadData;
    /** The high-concurrency experiment (one process vs a pool behind nginx, up to the open-file limit); its figures in `highConcurrency`. */
    concurrency?: LoadData;
    experiments?: LoadData;
    profile?: ProfileData;
  };
}
