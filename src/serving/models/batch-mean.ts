// The cpu predict's batched mean: the means of a batch's vectors in as few calls as the kernel allows. The
// native kernels take the whole batch in one addon call (meanBatch on the calling thread, meanBatchAsync as
// one libuv task: one hop per batch instead of one per request); the others are called once per vector.

import { loadNative, type AsyncKernel, type KernelArg, type NativeBinding, type SyncKernel } from '../../kernels/index.js';

/** The addon, when it loaded and has the batched means (an older build has not). */
function batchBinding(): NativeBinding | undefined {
  const load = loadNative();
  return 'binding' in load ? load.binding : undefined;
}

/** The means of `args`, in order, on the calling thread. */
export function meanBatchSync(kernel: SyncKernel, args: KernelArg[]): number[] {
  const batch = kernel.name === 'native' ? batchBinding()?.meanBatch : undefined;
  if (batch !== undefined) return batch(args as Float64Array[]);
  return args.map((a) => kernel.mean(a));
}

/** The means of `args`, in order, off the event loop. */
export function meanBatchAsync(kernel: AsyncKernel, args: KernelArg[]): Promise<number[]> {
  const batch = kernel.name === 'native-async' ? batchBinding()?.meanBatchAsync : undefined;
  if (batch === undefined) return Promise.all(args.map((a) => kernel.mean(a)));
  try {
    return batch(args as Float64Array[]);
  } catch (err) {
    // A wrong argument type throws synchronously; an async API rejects instead.
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}

/** How a batch of this kernel runs, for the model's description. */
export function batchMeanHow(kernel: SyncKernel | AsyncKernel, placement: string): string {
  const native = batchBinding();
  if (kernel.name === 'native' && native?.meanBatch !== undefined) return 'native batched mean: every vector of the batch in one addon call';
  if (kernel.name === 'native-async' && native?.meanBatchAsync !== undefined) {
    return 'native batched mean: the whole batch as one libuv pool task (one hop per batch)';
  }
  if (placement === 'worker-pool') return `the whole batch as one worker-pool task (${kernel.name} kernel once per vector there)`;
  return `the ${kernel.name} kernel once per vector, the batch in one call`;
}
