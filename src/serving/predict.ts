// The two predicts of a model API: an io wait (a remote model: 40-50 ms, seeded) that blocks the process
// on the sync path and yields on the async one; and a cpu mean kernel over n values, run inline (sync),
// on the libuv pool (native-async) or on a worker-thread pool (any sync kernel, async path).

import { setTimeout as delay } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { Piscina } from 'piscina';
import { getKernel, type KernelArg, type KernelName } from '../kernels/index.js';
import { compiledEntry } from '../paths.js';
import { createRng, randomVector, type Rng } from '../stats/random.js';
import type { ModelService } from './types.js';

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Block this thread for `ms`, as time.sleep does in a WSGI worker: nothing else runs meanwhile. */
export function blockFor(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** Wait `ms` without blocking the event loop. */
export function waitFor(ms: number): Promise<void> {
  return delay(ms);
}

/**
 * A model's weights, from the seed: model-a and model-b differ, and every process that plays one (a model
 * API, a queue worker) holds the same, so every path scores an entity alike.
 */
export function modelWeights(seed: number, model: ModelService, featureCount: number): Float64Array {
  return randomVector(featureCount, (seed + (model === 'model-a' ? 101 : 202)) >>> 0);
}

/** The weighted sum of the features, before the sigmoid (and the cpu predict's mean). */
export function linearScore(weights: Float64Array, features: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < features.length; i++) s += features[i]! * weights[i]!;
  return s;
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Each process its own stream of io waits (processes must not wait in lockstep), reproducible from the seed. */
export function waitRng(seed: number, processName: string): Rng {
  return createRng((seed * 31 + hashName(processName)) >>> 0);
}

function hashName(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** The seed of the values a cpu predict averages (the same in every process, so results agree). */
export function vectorSeed(seed: number): number {
  return (seed * 7919 + 17) >>> 0;
}

/** An input of at most this many bytes (8 a value) is small: up to four small ones are kept. @default 1 MiB */
const VECTOR_CACHE_SMALL_BYTES = 1024 ** 2;
const VECTOR_CACHE_MAX_SMALL = 4;

/**
 * Prepared kernel inputs by kernel and n. Up to four small inputs are kept, and one large one: a new large
 * input replaces the previous one, which is let go before the new one is built, so a vector near the
 * process's memory limit never has to fit beside another (what fits alone fits). Requests at one n share
 * one input; alternating between two large n rebuilds each time.
 */
export class VectorCache {
  private readonly entries = new Map<string, { arg: KernelArg; bytes: number }>();
  constructor(
    private readonly seed: number,
    private readonly smallBytes = VECTOR_CACHE_SMALL_BYTES,
  ) {}

  /** How many inputs are kept. */
  get size(): number {
    return this.entries.size;
  }

  get(kernel: KernelName, n: number): KernelArg {
    const key = `${kernel}:${n}`;
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.arg;
    }
    const bytes = 8 * n;
    this.makeRoom(bytes > this.smallBytes);
    const arg = getKernel(kernel).prepare(randomVector(n, vectorSeed(this.seed)));
    this.entries.set(key, { arg, bytes });
    return arg;
  }

  /**
   * Before a new input is built: a large one drops the large input kept, a small one the least recently used
   * small input beyond four. A method of its own that returns nothing, so that no dropped input stays
   * reachable from a stack frame while the new one is built.
   */
  private makeRoom(large: boolean): void {
    let small = 0;
    for (const { bytes } of this.entries.values()) if (bytes <= this.smallBytes) small++;
    for (const [key, { bytes }] of this.entries) {
      if (bytes > this.smallBytes) {
        if (large) this.entries.delete(key);
      } else if (!large && small >= VECTOR_CACHE_MAX_SMALL) {
        this.entries.delete(key);
        small--;
      }
    }
  }
}

/** A task for the pool worker (predict-worker.ts). */
export interface PoolTask {
  kernel: KernelName;
  n: number;
  seed: number;
  /** A batch: the n of each of its predicts (then `n` is unused and the result has `means`). */
  ns?: number[];
}

export interface PoolResult {
  mean: number;
  /** A batch's means, in order. */
  means?: number[];
  /** The kernel's run inside the worker. */
  kernelMs: number;
}

/** A worker-thread pool running sync kernels off the event loop (piscina). */
export class KernelPool {
  private readonly pool: Piscina<PoolTask, PoolResult>;
  constructor(threads: number) {
    this.pool = new Piscina({ filename: compiledEntry('src/serving/predict-worker'), minThreads: threads, maxThreads: threads, idleTimeout: 60_000 });
  }

  /** Run a kernel; `queueMs` is the time not spent in the kernel (waiting for a worker, and the hop). */
  async run(task: PoolTask): Promise<{ mean: number; kernelMs: number; queueMs: number }> {
    const t0 = performance.now();
    const r = await this.pool.run(task);
    const total = performance.now() - t0;
    return { mean: r.mean, kernelMs: r.kernelMs, queueMs: Math.max(0, total - r.kernelMs) };
  }

  /** Run a batch's means as one task (one hop for the whole batch); `queueMs` as in run. */
  async runBatch(kernel: KernelName, ns: number[], seed: number): Promise<{ means: number[]; kernelMs: number; queueMs: number }> {
    const t0 = performance.now();
    const r = await this.pool.run({ kernel, n: ns[0] ?? 1, seed, ns });
    const total = performance.now() - t0;
    return { means: r.means ?? [], kernelMs: r.kernelMs, queueMs: Math.max(0, total - r.kernelMs) };
  }

  /** Warm the workers: each builds its vector before the first request. */
  async warm(task: PoolTask, threads: number): Promise<void> {
    await Promise.all(Array.from({ length: threads }, () => this.pool.run(task)));
  }

  get threads(): number {
    return this.pool.threads.length;
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
