// The messages between the kernels suite (parent, src/kernels/suite.ts) and one benchmark process
// (benchmarks/kernels.bench.ts): the job goes in as argv[2] (JSON), the result comes back over IPC.

import type { NativeStatus, Outcome } from '../results/common.js';
import type { KernelProcessFigure, KernelsSettings } from '../results/kernels.js';
import type { KernelName } from './types.js';

/** One process's job: every kernel at one n, with the run's timing settings. */
export interface KernelJob extends Pick<KernelsSettings, 'seed' | 'timePerKernelMs' | 'warmupMs' | 'minSamples' | 'targetSampleNs' | 'probeRepeats'> {
  /** Number of values. */
  n: number;
  /** Kernels to measure, in this order. */
  order: KernelName[];
  /** Thread counts to probe the read bandwidth with (skipped when empty). */
  probeThreads: number[];
}

/** One kernel's figures in this process (the parent adds the process and pid), and its result check. */
export type KernelTaskResult = { kernel: KernelName; position: number } & Outcome<
  Omit<KernelProcessFigure, 'process' | 'pid' | 'position'> & {
    /** The kernel's result, and the reference's, from the check before timing. */
    result: number;
    reference: number;
  }
>;

export type ProbeTaskResult = { threads: number } & Outcome<{ gbPerSec: number; bestGbPerSec: number; samplesGbPerSec: number[]; isa: string }>;

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
