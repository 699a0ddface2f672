// Defaults of the capacity suite, in one place, and the validation of its options (each error names the
// command-line option and the allowed range).

import { readFileSync } from 'node:fs';
import { OptionError } from '../errors.js';
import { checkChoice, checkInteger } from '../options.js';
import { PREDICT_KINDS, type PredictKind } from '../results/vocab.js';
import { parseMeminfo } from '../env/parse.js';
import { KERNEL_NAMES, type KernelName } from '../kernels/types.js';
import type { CapacitySettings } from '../results/capacity.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const DEFAULT_BUDGET_BYTES = 2 * GiB;
const QUICK_BUDGET_BYTES = 1 * GiB;
/** Node itself needs about 50 MB of data segment; below this a probe measures start-up, not a predict. */
const MIN_BUDGET_BYTES = 128 * MiB;
const MAX_BUDGET_BYTES = 64 * GiB;
/** Memory the machine must keep free beside one probe (or one model API) at the full budget. */
export const SAFETY_MARGIN_BYTES = 2 * GiB;
/** The smallest n a search tries (below, the runtime's own memory decides, not the values). */
export const MIN_N = 1000;
/** The JS heap's share of the budget (V8's --max-old-space-size); the rest is room for off-heap memory. */
const HEAP_SHARE = 0.75;

export interface CapacityOptions {
  /**
   * Shorter run: a 1 GiB budget, tolerance 10%, at most 9 probes per kernel, no probes of the derived figures, the server check for
   * naive and typed only. @default false
   */
  quick?: boolean;
  /** Kernels to probe. @default all five */
  kernels?: KernelName[];
  /** The memory budget of each probe process, bytes (128 MiB .. 64 GiB, and 2 GiB below what is free). @default 2 GiB, or 1 GiB with quick */
  budgetBytes?: number;
  /** Stop when (first failing n - largest ok n) / largest ok n is at most this (0.005..0.5). @default 0.05, or 0.1 with quick */
  tolerance?: number;
  /** Probes per kernel at most (4..40). @default 16, or 9 with quick */
  maxProbesPerKernel?: number;
  /** The first n tried. @default a round number at most budget / 32 (a quarter of the ceiling, budget / 8) */
  startN?: number;
  /** Concurrent requests to derive the capacity for (1..64 each); the largest is also checked on a model API. @default [1, 4] */
  concurrency?: number[];
  /** Check the capacities against a real model API under the same budget. @default true */
  serverCheck?: boolean;
  /** Seed of the values. @default 3 */
  seed?: number;
  /** A probe's time limit: this plus perValueNs per value. @default 20000 */
  probeTimeoutBaseMs?: number;
  /** Bytes of free memory (MemAvailable) to check the budget against. @default read from /proc/meminfo */
  availableBytes?: number;
  /**
   * Whose capacity: the cpu predict's kernels (n values), or a model's (onnx: the largest input batch; io and
   * module: the answer that the question does not apply). @default 'cpu'
   */
  predict?: PredictKind;
  /** onnx and module: the model file. @default onnx: the shipped models/model-a.onnx */
  modelFile?: string;
  /** onnx: intra-op threads of the probes' sessions. @default 1 */
  onnxThreads?: number;
}

/** A round number (1, 2 or 5 times a power of ten) at most x. */
function roundDown125(x: number): number {
  if (x < 1) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [5, 2, 1]) if (m * p <= x) return m * p;
  return p;
}

/** MemAvailable from /proc/meminfo, or undefined where there is none. */
export function availableMemoryBytes(): number | undefined {
  try {
    return parseMeminfo(readFileSync('/proc/meminfo', 'utf8')).get('MemAvailable');
  } catch {
    // not Linux: the caller decides without it
    return undefined;
  }
}

/** Bytes as people read them: 2 GiB, 512 MiB, 1.5 GiB. */
export function formatBytes(bytes: number): string {
  if (bytes >= GiB) return `${+(bytes / GiB).toFixed(2)} GiB`;
  if (bytes >= MiB) return `${+(bytes / MiB).toFixed(1)} MiB`;
  return `${Math.round(bytes / 1024)} KiB`;
}

/** Fill in the defaults and validate; throws OptionError naming the option. */
export function resolveCapacitySettings(options: CapacityOptions = {}): CapacitySettings & { quick: boolean } {
  const quick = options.quick ?? false;
  const predict = checkChoice('--predict', options.predict ?? 'cpu', PREDICT_KINDS);
  checkModelOptions(predict, options);
  const kernels = predict === 'cpu' ? [...new Set(options.kernels ?? KERNEL_NAMES)] : [];
  if (predict === 'cpu' && kernels.length === 0) throw new OptionError('--kernels', 'needs at least one kernel');
  for (const k of kernels) {
    if (!KERNEL_NAMES.includes(k)) throw new OptionError('--kernels', `must be among ${KERNEL_NAMES.join(', ')}; got '${k}'`);
  }
  const budgetBytes = options.budgetBytes ?? (quick ? QUICK_BUDGET_BYTES : DEFAULT_BUDGET_BYTES);
  if (!Number.isInteger(budgetBytes) || budgetBytes < MIN_BUDGET_BYTES || budgetBytes > MAX_BUDGET_BYTES) {
    throw new OptionError(
      '--memory-budget',
      `must be between ${formatBytes(MIN_BUDGET_BYTES)} and ${formatBytes(MAX_BUDGET_BYTES)}, got ${budgetBytes} bytes (${formatBytes(budgetBytes)})`,
    );
  }
  const available = options.availableBytes ?? availableMemoryBytes();
  if (available !== undefined && budgetBytes + SAFETY_MARGIN_BYTES > available) {
    throw new OptionError(
      '--memory-budget',
      `${formatBytes(budgetBytes)} would leave less than ${formatBytes(SAFETY_MARGIN_BYTES)} of the ${formatBytes(available)} available now; ` +
        `at most ${formatBytes(Math.max(0, available - SAFETY_MARGIN_BYTES))}`,
    );
  }
  const tolerance = options.tolerance ?? (quick ? 0.1 : 0.05);
  if (!(Number.isFinite(tolerance) && tolerance >= 0.005 && tolerance <= 0.5)) {
    throw new OptionError('--tolerance', `must be between 0.5% and 50% (0.005..0.5), got ${tolerance}`);
  }
  const maxProbesPerKernel = options.maxProbesPerKernel ?? (quick ? 9 : 16);
  checkInteger('--max-probes', maxProbesPerKernel, 4, 40);
  const ceiling = searchCeiling(budgetBytes);
  // A model's search starts from its own ceiling (budget / one row's input), known once the file is read.
  const startN = options.startN ?? roundDown125(budgetBytes / 32);
  checkInteger('--start-n', startN, predict === 'cpu' ? MIN_N : 1, ceiling);
  const concurrency = [...new Set(options.concurrency ?? [1, 4])].sort((a, b) => a - b);
  if (concurrency.length === 0) throw new OptionError('--concurrency', 'needs at least one value');
  for (const c of concurrency) checkInteger('--concurrency', c, 1, 64);
  const seed = options.seed ?? 3;
  checkInteger('--seed', seed, 0, 2 ** 32 - 1);
  const baseMs = options.probeTimeoutBaseMs ?? 20_000;
  checkInteger('--probe-timeout', baseMs, 1000, 3_600_000);
  return {
    quick,
    kernels,
    budgetBytes,
    tolerance,
    maxProbesPerKernel,
    startN,
    concurrency,
    // A naive probe spends about 30 ns a value (random values, the copy into an Array, the kernel, the
    // reference); 250 leaves room for a busy machine.
    probeTimeout: { baseMs, perValueNs: 250 },
    // Wider than the search's tolerance: the capacity itself is known only within it. Not in --quick (two
    // probes of C inputs each per kernel cost about a third of the quick run).
    derivedCheckMargin: quick ? null : Math.min(0.25, 1.5 * tolerance),
    seed,
    serverCheck: predict === 'cpu' && (options.serverCheck ?? true),
    ...(predict === 'cpu' ? {} : { predict }),
    ...(options.modelFile === undefined ? {} : { modelFile: options.modelFile }),
  };
}

/** The model options go with a model's predict, and the kernels' with the cpu predict. */
function checkModelOptions(predict: PredictKind, o: CapacityOptions): void {
  if (predict !== 'cpu' && o.kernels !== undefined) throw new OptionError('--kernels', `applies to --predict cpu (the kernels); got --predict ${predict}`);
  if (o.modelFile !== undefined && predict !== 'onnx' && predict !== 'module') throw new OptionError('--model', 'applies to --predict onnx or module');
  if (predict === 'module' && o.modelFile === undefined) throw new OptionError('--model', 'required with --predict module');
  if (o.onnxThreads !== undefined) {
    if (predict !== 'onnx') throw new OptionError('--onnx-threads', 'applies only to --predict onnx');
    checkInteger('--onnx-threads', o.onnxThreads, 1, 256);
  }
}

/** The largest n worth trying: the values alone take 8 bytes each. */
export function searchCeiling(budgetBytes: number): number {
  return Math.floor(budgetBytes / 8);
}

/** V8's --max-old-space-size for a budget, MiB. */
export function heapLimitMiB(budgetBytes: number): number {
  return Math.max(16, Math.floor((budgetBytes * HEAP_SHARE) / MiB));
}
