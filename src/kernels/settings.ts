// Defaults of the kernels suite, in one place, and the validation of its options.

import { OptionError } from '../errors.js';
import { checkInteger } from '../options.js';
import type { KernelsSettings } from '../results/kernels.js';
import { KERNEL_NAMES, type KernelName } from './types.js';

/** Sizes of the full run: 1e3 to 1e8 doubles (8 KB to 800 MB). */
const FULL_SIZES: readonly number[] = [1e3, 1e4, 1e5, 1e6, 1e7, 1e8];
/** Sizes of --quick: 1e3 to 1e7. */
const QUICK_SIZES: readonly number[] = [1e3, 1e4, 1e5, 1e6, 1e7];
/** Small sizes for the call overhead (n = 1) and the native-vs-typed crossover. */
const SMALL_SIZES: readonly number[] = [1, 10, 100];
/** The bandwidth probe runs from this n up; below it a call's fixed cost, not memory, decides. */
export const PROBE_MIN_N = 1000;
/** Largest n accepted: 2e8 doubles is 1.6 GB per copy, and the naive kernel holds a second copy. */
export const MAX_N = 2e8;

export interface KernelsOptions {
  /** Shorter run: sizes 1e3..1e7, 2 processes per case, shorter time budgets. @default false */
  quick?: boolean;
  /** Main sizes (each 1..2e8). @default 1e3..1e8, or 1e3..1e7 with quick */
  sizes?: number[];
  /** Small sizes for call overhead and crossover; [] to skip. @default [1, 10, 100] */
  smallSizes?: number[];
  /** Kernels to measure. @default all five */
  kernels?: KernelName[];
  /** Fresh processes per (kernel, n), 2..20. @default 3, or 2 with quick */
  processes?: number;
  /** tinybench time budget per kernel per process, ms (10..60000). @default 250, or 120 with quick */
  timePerKernelMs?: number;
  /** Seed of the input values. @default 3 */
  seed?: number;
}

/** Fill in the defaults and validate; throws OptionError naming the option. */
export function resolveKernelsSettings(options: KernelsOptions = {}): KernelsSettings {
  const quick = options.quick ?? false;
  const sizes = [...new Set(options.sizes ?? (quick ? QUICK_SIZES : FULL_SIZES))].sort((a, b) => a - b);
  if (sizes.length === 0) throw new OptionError('--sizes', 'needs at least one size');
  for (const n of sizes) checkInteger('--sizes', n, 1, MAX_N);
  const smallSizes = [...new Set(options.smallSizes ?? SMALL_SIZES)].filter((n) => !sizes.includes(n)).sort((a, b) => a - b);
  for (const n of smallSizes) checkInteger('smallSizes', n, 1, MAX_N);
  const kernels = options.kernels ?? [...KERNEL_NAMES];
  if (kernels.length === 0) throw new OptionError('--kernels', 'needs at least one kernel');
  for (const k of kernels) {
    if (!KERNEL_NAMES.includes(k)) throw new OptionError('--kernels', `must be among ${KERNEL_NAMES.join(', ')}; got '${k}'`);
  }
  const processesPerCase = options.processes ?? (quick ? 2 : 3);
  checkInteger('--processes', processesPerCase, 2, 20);
  const timePerKernelMs = options.timePerKernelMs ?? (quick ? 120 : 250);
  checkInteger('--time', timePerKernelMs, 10, 60_000);
  const seed = options.seed ?? 3;
  checkInteger('--seed', seed, 0, 2 ** 32 - 1);
  return {
    quick,
    sizes,
    smallSizes,
    kernels: [...new Set(kernels)],
    processesPerCase,
    timePerKernelMs,
    warmupMs: quick ? 30 : 60,
    minSamples: quick ? 5 : 6,
    targetSampleNs: 50_000,
    probeRepeats: quick ? 5 : 7,
    seed,
    noise: { maxSpreadAcrossProcesses: 0.1, maxRmePercent: 5 },
  };
}
