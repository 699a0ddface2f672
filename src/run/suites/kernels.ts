// The kernels suite (src/kernels/) as a Suite: the mean kernels against the memory-read roofline.

import { type KernelsOptions, runKernelsSuite } from '../../kernels/suite.js';
import { renderKernelsTable } from '../../report/kernels.js';
import type { KernelsData } from '../../results/index.js';
import type { Suite } from '../suite.js';

export const kernelsSuite: Suite<KernelsOptions, KernelsData> = {
  name: 'kernels',
  kind: 'kernels',
  file: 'kernels.json',
  capture: { measureFrequency: 'never' },
  expectedSeconds: { full: 86, quick: 17 },
  run: (options, ctx) => runKernelsSuite(options, { signal: ctx.signal, onUpdate: ctx.onUpdate, supervisor: ctx.supervisor }),
  benchOptions: ({ quick }) => ({ quick }),
  failed: (data) => data.entries.some((e) => e.state === 'errored'),
  interrupted: (data) => ({ ...data, interrupted: true }),
  terminal: (result) => renderKernelsTable(result.data),
};
