// Runs the planned experiments into a load-shaped run: each starts its own systems, puts its runs among
// the run's runs (so summaries, flags and rendering treat them like any other) and adds its own figures
// (queue depth, replica timelines, what each fault cost, the high-concurrency rows) beside them. Used by the experiments
// and concurrency suites, and by the load suite when `--scenario` names an experiment.

import type { RunCollector } from '../load/collector.js';
import type { LoadSettingsOptions, StepSettings } from '../load/settings.js';
import { defaultStoreChoice } from '../load/store-default.js';
import type { LoadComparison, LoadRun } from '../results/load.js';
import { SERVING_DEFAULTS } from '../serving/index.js';
import { runAutoscale } from './autoscale.js';
import { runBatching } from './batching.js';
import type { ExperimentContext } from './context.js';
import { runFaults } from './faults.js';
import { runHighConcurrency } from './high-concurrency.js';
import type { ExperimentsPlan } from './plan.js';
import { queueSteps, queueWorkersComparisons, runQueueWorkers } from './queue-workers.js';
import { runScaling } from './scaling.js';

/** The context the experiments run in: the step settings, the system options, and the collector of the run. */
export function experimentContext(settings: StepSettings, o: LoadSettingsOptions & { workers?: number }, collector: RunCollector): ExperimentContext {
  return {
    settings,
    ...(o.workers === undefined ? {} : { workers: o.workers }),
    // Redis by default wherever a redis-server can be started (else the embedded store, with the reason echoed).
    store: o.store ?? defaultStoreChoice(o.redisUrl).store,
    ...(o.redisUrl === undefined ? {} : { redisUrl: o.redisUrl }),
    entities: o.entities ?? SERVING_DEFAULTS.entities,
    seed: settings.seed,
    ...(o.repeats === undefined ? {} : { repeats: o.repeats }),
    ...(o.scaling === undefined ? {} : { scaling: o.scaling }),
    ...(o.signal === undefined ? {} : { signal: o.signal }),
    onRun: collector.addRun,
    addConfiguration: collector.addConfiguration,
    addFlag: collector.addFlag,
  };
}

/** Run the planned experiments in order, filling the collector's data (`queueWorkers`, `autoscale`, `scaling`, `faults`). */
export async function runExperiments(plan: ExperimentsPlan, collector: RunCollector, ctx: ExperimentContext): Promise<void> {
  for (const name of plan.selected) {
    if (ctx.signal?.aborted === true) return;
    if (name === 'queue-workers') collector.data.queueWorkers = await runQueueWorkers(plan.definitions['queue-workers'], ctx);
    else if (name === 'autoscale') collector.data.autoscale = await runAutoscale(plan.definitions.autoscale, ctx);
    else if (name === 'scaling') collector.data.scaling = await runScaling(plan.definitions.scaling, ctx);
    else if (name === 'batching') collector.data.batching = await runBatching(plan.definitions.batching, ctx);
    else if (name === 'high-concurrency') {
      if (plan.concurrency !== undefined) {
        collector.data.highConcurrency = await runHighConcurrency(plan.definitions['high-concurrency'], plan.concurrency, ctx);
      }
    } else collector.data.faults = await runFaults(plan.definitions.faults, ctx, plan.faultSchedule ?? []);
  }
}

/** The comparisons the experiments add, from the runs so far (pure: called whenever results are summarised). */
export function experimentComparisons(plan: ExperimentsPlan | undefined, runs: readonly LoadRun[], s: StepSettings): LoadComparison[] {
  if (plan === undefined || !plan.selected.includes('queue-workers')) return [];
  const def = plan.definitions['queue-workers'];
  const { steps, compareAt } = queueSteps(def, s.quick, s.connections);
  return queueWorkersComparisons(runs, def, steps, compareAt);
}
