// The load suite (src/load/) as a Suite: the scenarios over the serving matrix (or a --target), load.md beside
// load.json. The scenario definitions are an input (benchmarks/scenarios/ holds them; the command layer passes them).

import type { ExperimentSet } from '../../experiments/types.js';
import type { LoadSuiteOptions } from '../../load/plan.js';
import type { ScenarioSet } from '../../load/scenario-types.js';
import { runLoadSuite } from '../../load/suite.js';
import { renderLoadMarkdown, renderLoadTerminal } from '../../report/load.js';
import type { LoadData } from '../../results/index.js';
import { MATRIX_SCENARIOS } from '../../results/vocab.js';
import type { BenchModel, Suite } from '../suite.js';

/** The scenario definitions every load-driving suite needs, from benchmarks/scenarios/. */
export interface ScenarioInputs {
  loadDefinitions: ScenarioSet;
  experimentDefinitions: ExperimentSet;
}

/** The load options a caller gives: the definitions come from the registry's inputs. */
export type LoadOptions = Omit<LoadSuiteOptions, 'definitions' | 'experimentDefinitions' | 'signal' | 'onUpdate'>;

/**
 * `bench --model`: the matrix scenarios over both paths and every topology on the model (request-paths is the
 * seeds' io comparison, left to the built-in run; --quick leaves stress out as it does for the built-ins).
 */
function modelLoadOptions(quick: boolean, model: BenchModel): LoadOptions {
  return {
    quick,
    predicts: [model.predict],
    model: { modelFile: model.file },
    scenarios: MATRIX_SCENARIOS.filter((s) => !(quick && s === 'stress')),
  };
}

/** The load data says a run or a configuration errored. */
export function loadFailed(data: LoadData): boolean {
  return data.runs.some((r) => r.state === 'errored') || data.configurations.some((c) => c.state === 'errored');
}

export function loadSuite(inputs: ScenarioInputs): Suite<LoadOptions, LoadData> {
  return {
    name: 'load',
    kind: 'load',
    file: 'load.json',
    capture: {},
    expectedSeconds: { full: 242, quick: 75 },
    run: (options, ctx) =>
      runLoadSuite({
        definitions: inputs.loadDefinitions,
        experimentDefinitions: inputs.experimentDefinitions,
        ...options,
        signal: ctx.signal,
        onUpdate: ctx.onUpdate,
      }),
    benchOptions: ({ quick, model }) => (model === undefined ? { quick } : modelLoadOptions(quick, model)),
    failed: loadFailed,
    interrupted: (data) => ({ ...data, interrupted: true }),
    terminal: (result) => renderLoadTerminal(result.data),
    files: (result) => [{ name: 'load.md', text: renderLoadMarkdown(result.data) }],
  };
}
