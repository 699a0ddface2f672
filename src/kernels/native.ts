// The native mean kernels: thin Kernel objects over the addon's functions (see native-binding.ts).
// Each reports the addon's availability; calling one while the addon is unavailable throws SB_ERR_NATIVE
// with the reason (never a silent JS substitute).

import { ServebenchError } from '../errors.js';
import { loadNative, type NativeBinding } from './native-binding.js';
import type { AsyncKernel, Availability, KernelArg, SyncKernel } from './types.js';

function availability(): Availability {
  const { status } = loadNative();
  return status.available ? { available: true } : { available: false, reason: status.reason };
}

function binding(kernel: string): NativeBinding {
  const load = loadNative();
  if ('binding' in load) return load.binding;
  throw new ServebenchError('SB_ERR_NATIVE', `${kernel}: native: unavailable (${load.status.reason})`);
}

// Native kernels take the Float64Array itself: no copy. A wrong type reaches the addon, which throws a
// TypeError naming what it got.
const shared = (values: Float64Array): KernelArg => values;

/** Vectorized (AVX-512 / AVX2 / SSE2 chosen at run time) on the calling thread. */
export const native: SyncKernel = {
  name: 'native',
  description: 'napi-rs over &[f64], vectorized, one thread',
  native: true,
  mode: 'sync',
  availability,
  prepare: shared,
  mean(arg: KernelArg): number {
    return binding('native').mean(arg as Float64Array);
  },
};

/** The vectorized sum split across rayon's thread pool. */
export const nativeParallel: SyncKernel = {
  name: 'native-parallel',
  description: 'napi-rs, rayon threads (one per core)',
  native: true,
  mode: 'sync',
  availability,
  prepare: shared,
  mean(arg: KernelArg): number {
    return binding('native-parallel').meanParallel(arg as Float64Array);
  },
};

/** The vectorized mean as an AsyncTask on the libuv pool: the event loop stays free. */
export const nativeAsync: AsyncKernel = {
  name: 'native-async',
  description: 'napi-rs AsyncTask on the libuv pool, Promise',
  native: true,
  mode: 'async',
  availability,
  prepare: shared,
  mean(arg: KernelArg): Promise<number> {
    // The addon throws a wrong argument type synchronously; an async API rejects instead, so callers
    // handle every failure in one place.
    try {
      return binding('native-async').meanAsync(arg as Float64Array);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  },
};
