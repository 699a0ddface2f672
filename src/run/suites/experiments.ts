// The experiments (src/experiments/: a Redis queue with 1 vs 2 model workers; the emulated autoscaler; batching) as a
// Suite of their own, with their own runner and result type.

import { type ExperimentsSuiteOptions, runExperimentsSuite } from '../../experiments/suite.js';
import { renderLoadMarkdown, renderLoadTerminal } from '../../report/load.js';
import { EXPERIMENT_SCENARIOS, type ExperimentsData } from '../../results/index.js';
import type { Suite } from '../suite.js';
import { loadFailed, type ScenarioInputs } from './load.js';

export type ExperimentsOptions = Omit<ExperimentsSuiteOptions, 'definitions' | 'loadDefinitions' | 'signal' | 'onUpdate'>;

export function experimentsSuite(inputs: ScenarioInputs): Suite<ExperimentsOptions, ExperimentsData> {
  return {
    name: 'experiments',
    kind: 'load',
    file: 'experiments.json',
    capture: {},
    expectedSeconds: { full: 153, quick: 77 },
    run: (options, ctx) =>
      runExperimentsSuite({
        definitions: inputs.experimentDefinitions,
        loadDefinitions: inputs.loadDefinitions,
        ...options,
        signal: ctx.signal,
        onUpdate: ctx.onUpdate,
      }),
    // The main job runs every experiment, batching included.
    benchOptions: ({ quick }) => ({ quick, experiments: [...EXPERIMENT_SCENARIOS] }),
    failed: loadFailed,
    interrupted: (data) => ({ ...data, interrupted: true }),
    terminal: (result) => renderLoadTerminal(result.data),
    files: (result) => [{ name: 'experiments.md', text: renderLoadMarkdown(result.data) }],
  };
}
