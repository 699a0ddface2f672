// The built-in models, the seeds' stand-ins: io (a 40-50 ms wait, as a remote model costs: it blocks the
// process on the sync path, a timer elsewhere) and cpu (a mean kernel over n values: inline on the sync path
// and in queue workers, on the libuv pool or a worker-thread pool on the async path). Both score
// sigmoid(features . weights [+ mean]) with the seed's weights, so every process playing a model agrees.

import { performance } from 'node:perf_hooks';
import { getKernel, type Kernel } from '../../kernels/index.js';
import type { CpuPlacement, ModelDescription, ModelPlacement, PredictResponse, RequestPath } from '../../results/serving.js';
import { uniform } from '../../stats/random.js';
import { HttpError } from '../http-error.js';
import { blockFor, KernelPool, linearScore, modelWeights, sigmoid, VectorCache, waitFor, waitRng } from '../predict.js';
import type { AsyncModel, BlockingModel, ModelKind, ModelSettings, PredictInput, PredictOutcome } from './types.js';

const NODE_RUNTIME = { name: 'node', version: process.versions.node };

function builtinDescription(s: ModelSettings, name: string, placement: ModelPlacement, pool?: number): ModelDescription {
  return {
    predict: s.predict,
    name,
    inputs: [{ name: 'features', type: 'number', shape: [s.featureCount] }],
    outputs: [{ name: 'prediction', type: 'number', shape: [] }],
    featureCount: s.featureCount,
    runtime: NODE_RUNTIME,
    placement,
    threads: pool === undefined ? {} : { pool },
  };
}

export const ioModel: ModelKind = {
  predict: 'io',
  describe: (s, path) => builtinDescription(s, `io (a ${s.ioWaitMs.min}-${s.ioWaitMs.max} ms wait)`, path === 'sync' ? 'inline' : 'event-loop'),
  blocking(s): BlockingModel {
    const rng = waitRng(s.seed, s.processName);
    const weights = modelWeights(s.seed, s.service, s.featureCount);
    return {
      predict: 'io',
      mode: 'blocking',
      description: ioModel.describe(s, 'sync'),
      warm: async () => undefined,
      close: async () => undefined,
      run(input) {
        const t0 = performance.now();
        blockFor(uniform(rng, s.ioWaitMs.min, s.ioWaitMs.max));
        return { prediction: sigmoid(linearScore(weights, input.features)), predictMs: performance.now() - t0, extra: {} };
      },
    };
  },
  async(s, path): AsyncModel {
    const rng = waitRng(s.seed, s.processName);
    const weights = modelWeights(s.seed, s.service, s.featureCount);
    return {
      predict: 'io',
      mode: 'async',
      description: ioModel.describe(s, path),
      warm: async () => undefined,
      close: async () => undefined,
      async run(input) {
        const t0 = performance.now();
        await waitFor(uniform(rng, s.ioWaitMs.min, s.ioWaitMs.max));
        return { prediction: sigmoid(linearScore(weights, input.features)), predictMs: performance.now() - t0, extra: {} };
      },
    };
  },
};

/** Where the cpu predict runs on a path: the options decided it for the model APIs; a queue worker runs it inline. */
function cpuPlacement(s: ModelSettings, path: RequestPath): CpuPlacement {
  if (path === 'sync') return 'inline';
  if (path === 'queue') return getKernel(s.kernel ?? 'typed').mode === 'async' ? 'native-async' : 'inline';
  return s.placement ?? 'inline';
}

/** The kernel a cpu model runs, checked available (the options checked already; a child process checks again). */
function cpuKernel(s: ModelSettings): Kernel {
  const kernel = getKernel(s.kernel ?? 'typed');
  const avail = kernel.availability();
  if (!avail.available) throw new Error(`kernel ${kernel.name} is unavailable: ${avail.reason}`);
  return kernel;
}

/** The n of one predict: the request's, else the service's, never above the cap. */
const sizeOf = (s: ModelSettings, input: PredictInput) => Math.min(input.n ?? s.n, s.nMax);

function cpuOutcome(
  s: ModelSettings,
  weights: Float64Array,
  input: PredictInput,
  mean: number,
  predictMs: number,
  extra: Partial<PredictResponse>,
): PredictOutcome {
  return { prediction: sigmoid(linearScore(weights, input.features) + mean), predictMs, extra: { ...extra, n: sizeOf(s, input), mean } };
}

export const cpuModel: ModelKind = {
  predict: 'cpu',
  describe(s, path) {
    const placement = cpuPlacement(s, path);
    return builtinDescription(s, `cpu (${s.kernel ?? 'typed'} mean kernel)`, placement, placement === 'worker-pool' ? s.poolThreads : undefined);
  },
  blocking(s): BlockingModel {
    const kernel = cpuKernel(s);
    const weights = modelWeights(s.seed, s.service, s.featureCount);
    const vectors = new VectorCache(s.seed);
    const extra = { kernel: kernel.name, placement: 'inline' as const };
    return {
      predict: 'cpu',
      mode: 'blocking',
      description: cpuModel.describe(s, 'sync'),
      warm: async () => void vectors.get(kernel.name, s.n),
      close: async () => undefined,
      run(input) {
        if (kernel.mode !== 'sync') throw new HttpError(500, 'internal', `kernel ${kernel.name} is not a sync kernel`);
        const arg = vectors.get(kernel.name, sizeOf(s, input));
        const t0 = performance.now();
        const mean = kernel.mean(arg);
        return cpuOutcome(s, weights, input, mean, performance.now() - t0, extra);
      },
    };
  },
  async(s, path): AsyncModel {
    const kernel = cpuKernel(s);
    const weights = modelWeights(s.seed, s.service, s.featureCount);
    const placement = cpuPlacement(s, path);
    const vectors = new VectorCache(s.seed);
    const pool = placement === 'worker-pool' ? new KernelPool(s.poolThreads) : undefined;
    const extra = { kernel: kernel.name, placement };
    if (pool === undefined && path === 'async' && kernel.mode !== 'async') {
      throw new Error(`kernel ${kernel.name} cannot run off the event loop without the worker pool`);
    }
    return {
      predict: 'cpu',
      mode: 'async',
      description: cpuModel.describe(s, path),
      async warm() {
        if (pool !== undefined) await pool.warm({ kernel: kernel.name, n: s.n, seed: s.seed }, s.poolThreads);
        else vectors.get(kernel.name, s.n);
      },
      close: async () => pool?.close(),
      async run(input) {
        if (pool !== undefined) {
          const r = await pool.run({ kernel: kernel.name, n: sizeOf(s, input), seed: s.seed });
          return { ...cpuOutcome(s, weights, input, r.mean, r.kernelMs, extra), queueMs: r.queueMs };
        }
        const arg = vectors.get(kernel.name, sizeOf(s, input));
        const t0 = performance.now();
        const mean = await kernel.mean(arg);
        return cpuOutcome(s, weights, input, mean, performance.now() - t0, extra);
      },
    };
  },
};
