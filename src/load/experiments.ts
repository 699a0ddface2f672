// The experiment scenarios of the load suite: queue-workers (seed 001) and autoscale (seed 002). They are
// selected with --scenario and never run in the default matrix; each starts its own systems, puts its
// runs among the suite's runs (so summaries, flags and rendering treat them like any other) and adds its
// own figures (queue depth, replica timelines) beside them.

import type { LoadComparison, LoadData, ScenarioName } from '../results/load.js';
import { runAutoscale } from './autoscale.js';
import type { ExperimentContext } from './experiment-context.js';
import type { ExperimentSet } from './experiment-types.js';
import { queueSteps, queueWorkersComparisons, runQueueWorkers } from './queue-workers.js';

export const EXPERIMENT_SCENARIOS = ['queue-workers', 'autoscale'] as const satisfies readonly ScenarioName[];
export type ExperimentName = (typeof EXPERIMENT_SCENARIOS)[number];

export function isExperiment(s: ScenarioName): s is ExperimentName {
  return (EXPERIMENT_SCENARIOS as readonly string[]).includes(s);
}

/** Run the selected experiments in order, filling `data.queueWorkers` / `data.autoscale`. */
export async function runExperiments(selected: readonly ExperimentName[], defs: ExperimentSet, data: LoadData, ctx: ExperimentContext): Promise<void> {
  for (const name of selected) {
    if (ctx.signal?.aborted === true) return;
    if (name === 'queue-workers') data.queueWorkers = await runQueueWorkers(defs['queue-workers'], ctx);
    else data.autoscale = await runAutoscale(defs.autoscale, ctx);
  }
}

/** The comparisons the experiments add, from the runs so far (pure: called whenever results are summarised). */
export function experimentComparisons(
  selected: readonly ExperimentName[],
  defs: ExperimentSet,
  data: LoadData,
  quick: boolean,
  connections: number | undefined,
): LoadComparison[] {
  if (!selected.includes('queue-workers')) return [];
  const { steps, compareAt } = queueSteps(defs['queue-workers'], quick, connections);
  return queueWorkersComparisons(data.runs, defs['queue-workers'], steps, compareAt);
}
