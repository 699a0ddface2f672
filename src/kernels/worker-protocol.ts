// The messages between the kernels suite (parent, src/kernels/suite.ts) and one benchmark process
// (benchmarks/kernels.bench.ts): the job goes in as argv[2] (JSON), the result comes back over IPC.

import type { ErrorInfo, NativeStatus } from '../report/schema/common.js';
import type { KernelName } from './types.js';

export interface KernelJob {
  /** Number of values. */
  n: number;
  /** Kernels to measure, in this order. */
  order: KernelName[];
  seed: number;
  timePerKernelMs: number;
  warmupMs: number;
  minSamples: number;
  targetSampleNs: number;
  probeRepeats: number;
  /** Thread counts to probe the read bandwidth with (skipped when empty). */
  probeThreads: number[];
}

export type KernelTaskResult = { kernel: KernelName; position: number } & (
  | {
      state: 'completed';
      nsPerCall: number;
      minNsPerCall: number;
      rme: number;
      /** Half-width of the 95% confidence interval of the median, percent of the median. */
      medianRme: number;
      samples: number;
      callsPerSample: number;
      /** The kernel's result, and the reference's, from the check before timing. */
      result: number;
      reference: number;
    }
  | { state: 'errored'; error: ErrorInfo }
  | { state: 'skipped'; reason: string }
);

export type ProbeTaskResult = { threads: number } & (
  | { state: 'completed'; gbPerSec: number; bestGbPerSec: number; samplesGbPerSec: number[]; isa: string }
  | { state: 'errored'; error: ErrorInfo }
  | { state: 'skipped'; reason: string }
);

export interface KernelJobResult {
  type: 'kernels-result';
  pid: number;
  n: number;
  native: NativeStatus;
  tasks: KernelTaskResult[];
  probes: ProbeTaskResult[];
  /** Time to build the input and the reference, ms (not part of any figure). */
  setupMs: number;
}

export function isKernelJobResult(msg: unknown): msg is KernelJobResult {
  return typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === 'kernels-result';
}
