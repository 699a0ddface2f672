// The Kernel interface: every mean kernel (naive, typed, native, ...) implements it, so benchmarks, tests
// and the cpu predict loop over the list instead of naming each one.

import type { KernelName } from '../results/vocab.js';

export { KERNEL_NAMES, type KernelName } from '../results/vocab.js';

/** The argument a kernel is called with, made by its `prepare` outside any timed region. */
export type KernelArg = Float64Array | number[];

export type Availability = { available: true } | { available: false; reason: string };

interface KernelBase {
  readonly name: KernelName;
  /** One line for tables and help text. */
  readonly description: string;
  /** Whether it runs in the native addon (and so depends on it loading). */
  readonly native: boolean;
  /** Whether the kernel can be used here; a native kernel without its addon says why. */
  availability(): Availability;
  /** Make the kernel's input from the shared Float64Array (the naive kernel copies it into a plain Array). */
  prepare(values: Float64Array): KernelArg;
}

export interface SyncKernel extends KernelBase {
  readonly mode: 'sync';
  /**
   * Arithmetic mean of the values. n = 0 gives NaN; any NaN gives NaN; +Infinity (without -Infinity)
   * gives +Infinity, -Infinity likewise, both give NaN. Agrees with `referenceMean` within
   * `parityTolerance`: (n + 2) * 2^-53 * mean(|x|) (docs/kernels.md). Native kernels throw a TypeError
   * unless given a Float64Array.
   */
  mean(arg: KernelArg): number;
}

export interface AsyncKernel extends KernelBase {
  readonly mode: 'async';
  /**
   * Arithmetic mean computed off the event loop; resolves with the value the matching sync kernel returns
   * (same edge results and tolerance); rejects with a TypeError unless given a Float64Array.
   */
  mean(arg: KernelArg): Promise<number>;
}

export type Kernel = SyncKernel | AsyncKernel;
