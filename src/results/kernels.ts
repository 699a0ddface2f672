// Result types of the kernels suite (src/kernels/suite.ts measures, src/report/kernels.ts renders).
// kernels.json is the envelope('kernels', env, KernelsData). Every figure carries its unit in its name.

import type { KernelName } from './vocab.js';
import type { ErrorInfo, Flag, NativeStatus, Outcome, Spread } from './common.js';

/** Version of KernelsData's shape; bumped on a change (the envelope carries the schema version too). */
export const KERNELS_DATA_VERSION = 1 as const;

/** The settings a run used (defaults filled in), so a reader can tell how every figure was made. */
export interface KernelsSettings {
  quick: boolean;
  /** The sizes of the main table, ascending. */
  sizes: number[];
  /** Extra small sizes measured for the call overhead (n = 1) and the native-vs-typed crossover. */
  smallSizes: number[];
  kernels: KernelName[];
  /** Fresh processes per (kernel, n); each measures every kernel at one n, in a rotated order. */
  processesPerCase: number;
  /** tinybench time budget per kernel per process. */
  timePerKernelMs: number;
  /** Calls of each kernel before it is timed (JIT tier-up), ms; at least one call. */
  warmupMs: number;
  /** tinybench's minimum sample count per kernel per process. */
  minSamples: number;
  /** Calls are batched so one sample lasts about this long (timer overhead stays negligible). */
  targetSampleNs: number;
  /** Bandwidth-probe figures per process and thread count. */
  probeRepeats: number;
  /** Seed of the input values (uniform in [-1, 1)). */
  seed: number;
  /** A figure is flagged noisy above these (spread of per-process medians; medianRme, percent). */
  noise: { maxSpreadAcrossProcesses: number; maxRmePercent: number };
}

/** One kernel at one n in one process. */
export interface KernelProcessFigure {
  /** Index of the process in the run's start order. */
  process: number;
  pid: number;
  /** Where this kernel came in that process's order (0 = first). */
  position: number;
  /** tinybench's median per-call latency. */
  nsPerCall: number;
  minNsPerCall: number;
  /** tinybench's relative margin of error of the mean, percent. */
  rme: number;
  /** Half-width of the 95% confidence interval of the median, percent of the median. */
  medianRme: number;
  samples: number;
  /** Kernel calls timed together as one sample. */
  callsPerSample: number;
}

/** The figures of one (kernel, n), over every process that measured it. */
export interface KernelFigures {
  /** Median across processes of each process's median ns per call. */
  nsPerCall: number;
  /** Fastest single sample seen in any process. */
  minNsPerCall: number;
  /** 8 * n bytes / nsPerCall: bytes per nanosecond = GB/s. */
  gbPerSec: number;
  /** gbPerSec / probeGbPerSec: the share of the memory-read roofline at this n (null when no probe). */
  bandwidthFraction: number | null;
  /** The bandwidth probe at the same n with probeThreads threads (null when unavailable). */
  probeGbPerSec: number | null;
  /** Threads the roofline assumes: 1, or rayon's threads for native-parallel when it splits the work. */
  probeThreads: number;
  /** tinybench's rme (margin of error of the mean, 95%), the largest of the processes, percent. */
  rme: number;
  /**
   * Margin of error of the median (half the 95% distribution-free interval), the largest of the
   * processes, percent. The noise rule uses this one: the figure reported is the median, and rare
   * preemptions that inflate the mean's rme do not move it.
   */
  medianRme: number;
  /** Samples over all processes. */
  samples: number;
  /** Per-process medians, ns/call: their spread is the between-process (JIT, placement) noise. */
  acrossProcesses: Spread;
  perProcess: KernelProcessFigure[];
  /** True when a noise rule flagged this figure (see flags for why). */
  noisy: boolean;
  /** Processes that failed for this case (the figures come from the others). */
  processErrors: ErrorInfo[];
}

export type KernelEntry = { kernel: KernelName; n: number } & Outcome<KernelFigures>;

/** The bandwidth probe at one n and thread count, over every process. */
export type ProbeEntry = { n: number; threads: number } & Outcome<{
  /** Median over processes of each process's best repeat (STREAM's convention: the best is the roofline). */
  gbPerSec: number;
  /** Per-process best repeats, GB/s. */
  acrossProcesses: Spread;
  isa: string;
}>;

/** Speedups at one n (ratios of nsPerCall, so > 1 means the first is faster); null when either is missing. */
export interface KernelRatios {
  n: number;
  nativeOverTyped: number | null;
  nativeOverNaive: number | null;
  typedOverNaive: number | null;
  parallelOverNative: number | null;
  /** How much slower native-async is than native per call (its Promise and libuv round trip). */
  asyncOverNative: number | null;
}

/** The n above which native beats typed, as measured on this run's grid of sizes. */
export type Crossover =
  | {
      state: 'found';
      /** The smallest measured n from which native is faster at every larger measured n. */
      n: number;
      /** The largest measured n below it (typed at least as fast there), or null when native wins everywhere. */
      below: number | null;
    }
  | { state: 'not-found'; reason: string };

/** Fixed per-call costs, from the n = 1 figures. */
export interface CallOverhead {
  /** A native (napi-rs) sync call on one value: napi argument checks, borrow bookkeeping, the result. */
  nativeNsPerCall: number | null;
  /** A native-async call on one value: AsyncTask, libuv pool round trip, Promise resolution. */
  nativeAsyncNsPerCall: number | null;
  /** The typed JS kernel on one value, for scale (a JIT-compiled JS call). */
  typedNsPerCall: number | null;
}

/** A speed goal of the issue, checked on this run's figures. */
export interface SpeedGoal {
  id: string;
  description: string;
  n: number;
  /** The measured value (a fraction or a ratio) from the median figures, null when not measured. */
  value: number | null;
  /**
   * The same from the fastest samples (minNsPerCall): what the hardware can do when nothing interferes.
   * A second view for noisy machines; the goal's state is decided by `value`.
   */
  valueFromFastest: number | null;
  threshold: number;
  unit: 'fraction of probe' | 'x typed';
  state: 'met' | 'not-met' | 'not-measured';
  /** True when a figure behind the value is flagged noisy. */
  noisy: boolean;
}

/** One fresh benchmark process. */
export interface KernelProcessRecord {
  index: number;
  n: number;
  /** Kernel order inside the process (rotated from process to process). */
  order: KernelName[];
  pid: number | null;
  state: 'completed' | 'errored';
  durationMs: number;
  error?: ErrorInfo;
}

export interface KernelsData {
  dataVersion: typeof KERNELS_DATA_VERSION;
  startedAt: string;
  durationMs: number;
  /** True when the run was stopped early; the figures are those finished by then. */
  interrupted: boolean;
  settings: KernelsSettings;
  /** The addon as the parent process saw it; every process reports the same or says otherwise in flags. */
  native: NativeStatus;
  entries: KernelEntry[];
  probes: ProbeEntry[];
  ratios: KernelRatios[];
  crossover: Crossover;
  callOverhead: CallOverhead;
  goals: SpeedGoal[];
  processes: KernelProcessRecord[];
  /** Noisy, failed or doubtful figures, each with the reason. */
  flags: Flag[];
}
