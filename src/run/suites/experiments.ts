// The experiments (src/experiments/: a Redis queue with 1 vs 2 model workers; the emulated autoscaler; a fault
// schedule under load; batching) as a Suite of their own, with their own runner and result type.

import { type ExperimentsSuiteOptions, MAIN_JOB_EXPERIMENTS, runExperimentsSuite } from '../../experiments/suite.js';
import { renderLoadMarkdown, renderLoadTerminal } from '../../report/load.js';
import type { ExperimentsData } from '../../results/index.js';
import type { Suite } from '../suite.js';
import { loadFailed, type ScenarioInputs } from './load.js';

export type ExperimentsOptions = Omit<ExperimentsSuiteOptions, 'definitions' | 'loadDefinitions' | 'signal' | 'onUpdate'>;

export function experimentsSuite(inputs: ScenarioInputs): Suite<ExperimentsOptions, ExperimentsData> {
  return {
    name: 'experiments',
    kind: 'load',
    file: 'experiments.json',
    capture: {},
    // faults adds about 34 s (full) and 18 s (quick); batching about 45 s and 20 s.
    expectedSeconds: { full: 190, quick: 100 },
    run: (options, ctx) =>
      runExperimentsSuite({
        definitions: inputs.experimentDefinitions,
        loadDefinitions: inputs.loadDefinitions,
        ...options,
        signal: ctx.signal,
        onUpdate: ctx.onUpdate,
      }),
    // The main job runs every experiment, batching included.
    benchOptions: ({ quick }) => ({ quick, experiments: [...MAIN_JOB_EXPERIMENTS] }),
    failed: loadFailed,
    interrupted: (data) => ({ ...data, interrupted: true }),
    terminal: (result) => renderLoadTerminal(result.data),
    files: (result) => [{ name: 'experiments.md', text: renderLoadMarkdown(result.data) }],
  };
}
