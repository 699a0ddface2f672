// The JavaScript mean kernels: naive (a plain Array in a for loop) and typed (Float64Array, several accumulators).

import type { KernelArg, SyncKernel } from './types.js';

const always = () => ({ available: true }) as const;

// Named functions, not object methods: profiles then show 'naiveMean' and 'typedMean', not two 'mean's.

/** One accumulator: each add waits for the one before. */
function naiveMean(arg: KernelArg): number {
  const n = arg.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += arg[i]!;
  return s / n;
}

/** Eight independent accumulators (see `typed` below). */
function typedMean(arg: KernelArg): number {
  const n = arg.length;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  let s5 = 0;
  let s6 = 0;
  let s7 = 0;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    s0 += arg[i]!;
    s1 += arg[i + 1]!;
    s2 += arg[i + 2]!;
    s3 += arg[i + 3]!;
    s4 += arg[i + 4]!;
    s5 += arg[i + 5]!;
    s6 += arg[i + 6]!;
    s7 += arg[i + 7]!;
  }
  for (; i < n; i++) s0 += arg[i]!;
  return (s0 + s1 + (s2 + s3) + (s4 + s5 + (s6 + s7))) / n;
}

/** Seed 003's "naive loop": a plain JS Array summed one element after another. */
export const naive: SyncKernel = {
  name: 'naive',
  description: 'plain JS Array, one accumulator in a for loop',
  native: false,
  mode: 'sync',
  availability: always,
  // push keeps the Array's elements packed doubles (what a JS programmer's Array of numbers is) and is
  // about twice as fast as Array.from on a typed array (2 s instead of 3.6 s at n = 1e8).
  prepare(values: Float64Array): KernelArg {
    const out: number[] = [];
    for (let i = 0; i < values.length; i++) out.push(values[i]!);
    return out;
  },
  mean: naiveMean,
};

/**
 * Float64Array with eight independent accumulators, so adds need not wait for each other. Eight beat four
 * by about 8% at n = 1e4 on the development VM (V8 does not vectorize; loads and bounds checks limit it).
 */
export const typed: SyncKernel = {
  name: 'typed',
  description: 'Float64Array, eight accumulators',
  native: false,
  mode: 'sync',
  availability: always,
  prepare: (values: Float64Array): KernelArg => values,
  mean: typedMean,
};
