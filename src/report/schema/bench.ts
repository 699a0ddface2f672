// `servebench bench`: a sequence of suites whose results become sections of one results.json.

import type { ErrorInfo } from './common.js';
import type { KernelsData } from './kernels.js';
import type { LoadData } from './load.js';
import type { ProfileData } from './profile.js';
import type { HardwareData } from './hardware.js';
import type { CapacityData } from './capacity.js';

/** `experiments` is the load suite on the experiment scenarios (queue-workers, autoscale), kept apart from the matrix. */
export type SuiteName = 'hardware' | 'kernels' | 'capacity' | 'load' | 'experiments' | 'profile';

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
    experiments?: LoadData;
    profile?: ProfileData;
  };
}
