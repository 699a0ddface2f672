// The mean kernels, as one list behind the Kernel interface, plus the reference mean, the bandwidth
// probe and the native addon's wrapper.

import { naive, typed } from './js.js';
import { native, nativeAsync, nativeParallel } from './native.js';
import type { Kernel, KernelName } from './types.js';
import { OptionError } from '../errors.js';

export * from './types.js';
export { naive, typed } from './js.js';
export { native, nativeParallel, nativeAsync } from './native.js';
export { referenceMean, parityTolerance, agreesWithReference, UNIT_ROUNDOFF } from './reference.js';
export { probeBandwidth } from './bandwidth.js';
export type { BandwidthResult, BandwidthOptions } from './bandwidth.js';
export { loadNative, nativeStatus, NATIVE_FUNCTIONS, NATIVE_ENV_SWITCH } from './native-binding.js';
export type { NativeBinding, NativeLoad, NativeBandwidthProbe } from './native-binding.js';

/** Every kernel, in a fixed order (JS first, then native). Native ones report their availability. */
export const kernels: readonly Kernel[] = [naive, typed, native, nativeParallel, nativeAsync];

export function getKernel(name: string): Kernel {
  const k = kernels.find((x) => x.name === name);
  if (k === undefined) throw new OptionError('--kernel', `must be one of ${kernels.map((x) => x.name).join(', ')}; got '${name}'`);
  return k;
}

export type { KernelName };
