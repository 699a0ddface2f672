// The mean kernels, as one list behind the Kernel interface.

import { naive, typed } from './js.js';
import type { Kernel, KernelName } from './types.js';
import { OptionError } from '../errors.js';

export * from './types.js';

/** Every kernel, in a fixed order (JS first, then native). Native ones report their availability. */
export const kernels: readonly Kernel[] = [naive, typed];

export function getKernel(name: string): Kernel {
  const k = kernels.find((x) => x.name === name);
  if (k === undefined) throw new OptionError('--kernel', `must be one of ${kernels.map((x) => x.name).join(', ')}; got '${name}'`);
  return k;
}

export type { KernelName };
