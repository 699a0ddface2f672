// The concurrency suite: the high-concurrency experiment (src/experiments/high-concurrency.ts) as a suite of
// its own, so `bench --skip concurrency` leaves out its thousands of connections, and the report has its
// section: one process vs a pool behind nginx, both paths, up to the host's open-file limit.

import { runExperimentsSuite } from '../../experiments/suite.js';
import { renderConcurrencyMarkdown, renderConcurrencyTerminal } from '../../report/concurrency.js';
import type { ExperimentsData } from '../../results/index.js';
import type { Suite } from '../suite.js';
import type { ExperimentsOptions } from './experiments.js';
import { loadFailed, type ScenarioInputs } from './load.js';

export function concurrencySuite(inputs: ScenarioInputs): Suite<ExperimentsOptions, ExperimentsData> {
  return {
    name: 'concurrency',
    kind: 'load',
    file: 'concurrency.json',
    capture: {},
    expectedSeconds: { full: 60, quick: 20 },
    run: (options, ctx) =>
      runExperimentsSuite({
        definitions: inputs.experimentDefinitions,
        loadDefinitions: inputs.loadDefinitions,
        experiments: ['high-concurrency'],
        ...options,
        signal: ctx.signal,
        onUpdate: ctx.onUpdate,
      }),
    // autocannon (the experiments' engine): at 19,000 connections on a busy 2-core host the native engine ended
    // no request inside a step's window, where autocannon counted the timeouts.
    benchOptions: ({ quick }) => ({ quick }),
    failed: loadFailed,
    interrupted: (data) => ({ ...data, interrupted: true }),
    terminal: (result) => renderConcurrencyTerminal(result.data),
    files: (result) => [{ name: 'concurrency.md', text: renderConcurrencyMarkdown(result.data) }],
  };
}
