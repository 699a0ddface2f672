// A worker of the model API's kernel pool (piscina): runs a sync mean kernel off the main event loop.
// Each worker keeps its own prepared vector, built once per (kernel, n); a batch task runs its means in one go.

import { performance } from 'node:perf_hooks';
import { getKernel } from '../kernels/index.js';
import { meanBatchSync } from './models/batch-mean.js';
import { VectorCache, type PoolResult, type PoolTask } from './predict.js';

let cache: VectorCache | undefined;

export default function run(task: PoolTask): PoolResult {
  cache ??= new VectorCache(task.seed);
  const kernel = getKernel(task.kernel);
  if (kernel.mode !== 'sync') throw new Error(`kernel ${task.kernel} is not a sync kernel; the pool runs sync kernels`);
  if (task.ns !== undefined) {
    const c = cache;
    const args = task.ns.map((n) => c.get(task.kernel, n));
    const t0 = performance.now();
    const means = meanBatchSync(kernel, args);
    return { mean: means[0] ?? Number.NaN, means, kernelMs: performance.now() - t0 };
  }
  const arg = cache.get(task.kernel, task.n);
  const t0 = performance.now();
  const mean = kernel.mean(arg);
  return { mean, kernelMs: performance.now() - t0 };
}
