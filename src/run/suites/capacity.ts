// The capacity suite (src/capacity/) as a Suite: the largest n each kernel's predict fits under a memory budget.

import { type CapacityOptions, runCapacitySuite } from '../../capacity/suite.js';
import { renderCapacityTable } from '../../report/capacity.js';
import type { CapacityData } from '../../results/index.js';
import type { Suite } from '../suite.js';

export const capacitySuite: Suite<CapacityOptions, CapacityData> = {
  name: 'capacity',
  kind: 'capacity',
  file: 'capacity.json',
  capture: { measureFrequency: 'never', toolVersions: false },
  expectedSeconds: { full: 163, quick: 47 },
  run: (options, ctx) => runCapacitySuite(options, { signal: ctx.signal, onUpdate: ctx.onUpdate, supervisor: ctx.supervisor }),
  benchOptions: ({ quick }) => ({ quick }),
  failed: (data) => data.kernels.some((k) => k.state === 'errored') || data.flags.some((f) => f.kind === 'errored'),
  interrupted: (data) => ({ ...data, interrupted: true }),
  terminal: (result) => renderCapacityTable(result.data),
};
