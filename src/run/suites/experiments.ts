// The experiments (a Redis queue with 1 vs 2 model workers; the emulated autoscaler) as a Suite of their own.

import { type LoadSuiteOptions, runLoadSuite } from '../../load/suite.js';
import { renderLoadMarkdown, renderLoadTerminal } from '../../report/load.js';
import type { LoadData } from '../../results/index.js';
import type { Suite } from '../suite.js';
import { loadFailed } from './load.js';

export const experimentsSuite: Suite<LoadSuiteOptions, LoadData> = {
  name: 'experiments',
  kind: 'load',
  file: 'experiments.json',
  capture: {},
  run: (options, ctx) => runLoadSuite({ scenarios: ['queue-workers', 'autoscale'], ...options, signal: ctx.signal, onUpdate: ctx.onUpdate }),
  benchOptions: ({ quick }) => ({ quick }),
  failed: loadFailed,
  interrupted: (data) => ({ ...data, interrupted: true }),
  terminal: (result) => renderLoadTerminal(result.data),
  files: (result) => [{ name: 'experiments.md', text: renderLoadMarkdown(result.data) }],
};
