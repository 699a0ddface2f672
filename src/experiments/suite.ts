// The experiments: queue-workers (a Redis queue in front of one vs two model workers) and autoscale (an
// emulated HorizontalPodAutoscaler under a rate profile) by default, high-concurrency when named (the bench's
// concurrency suite), each starting systems of its own. runExperimentsSuite(options) returns plain data shaped
// as a load run's (ExperimentsData), the same a `servebench load --scenario <the same>` run gives. Progress on
// stderr only.

import { performance } from 'node:perf_hooks';
import { RunCollector } from '../load/collector.js';
import { ensureFdLimit, fdsNeeded } from '../load/fd-limit.js';
import type { ScenarioSet } from '../load/scenario-types.js';
import { isAborted, optionsEcho, resolveEngine, resolveSettings, type LoadSettingsOptions } from '../load/settings.js';
import { resolveStore } from '../load/store-default.js';
import { progress } from '../progress.js';
import type { ExperimentsData } from '../results/load.js';
import { DEFAULT_EXPERIMENTS, EXPERIMENT_SCENARIOS, type ExperimentName } from '../results/vocab.js';
import { planExperiments } from './plan.js';
import { experimentComparisons, experimentContext, runExperiments } from './run.js';
import type { ExperimentSet } from './types.js';

export interface ExperimentsSuiteOptions extends LoadSettingsOptions {
  /** Run in EXPERIMENT_SCENARIOS' order. @default DEFAULT_EXPERIMENTS (queue-workers, autoscale) */
  experiments?: ExperimentName[];
  /** Worker processes per service of cluster and nginx (high-concurrency). @default os.availableParallelism() */
  workers?: number;
  /** The experiments' definitions (benchmarks/scenarios/ holds them). */
  definitions: ExperimentSet;
  /**
   * The load scenarios' definitions: the settings the experiments share with the load suite take their
   * defaults from them (error budget, latency goal, the step timing the options echo), as in a load run.
   */
  loadDefinitions: ScenarioSet;
}

/** Run the experiments suite; returns plain data (progress on stderr only). */
export async function runExperimentsSuite(options: ExperimentsSuiteOptions): Promise<ExperimentsData> {
  const t0 = performance.now();
  const engine = resolveEngine(options);
  const requested: readonly ExperimentName[] = options.experiments ?? DEFAULT_EXPERIMENTS;
  const selected = EXPERIMENT_SCENARIOS.filter((e) => requested.includes(e));
  const settings = resolveSettings(options, options.loadDefinitions, engine);
  const plan = planExperiments(selected, options.definitions, {
    engine,
    quick: settings.quick,
    ...(options.connections === undefined ? {} : { connections: options.connections }),
    ...(options.rateRps === undefined ? {} : { rateRps: options.rateRps }),
    ...(options.repeats === undefined ? {} : { repeats: options.repeats }),
  });
  const echo = optionsEcho(options, settings, { scenarios: [...selected], repeats: plan?.rounds ?? 0 });
  echo.store = resolveStore(options.store, options.redisUrl);
  // One descriptor per connection in this process: check (and raise) the limit before anything starts.
  const fdLimit = await ensureFdLimit(fdsNeeded(Math.max(1, plan?.connections ?? 0)));
  if (fdLimit.raised) progress('load', `open-file limit: ${fdLimit.note}`);
  const verdicts = (runs: Parameters<typeof experimentComparisons>[1]) => ({ comparisons: experimentComparisons(plan, runs, settings), goals: [] });
  const collector = new RunCollector({ options: echo, limits: settings.limits, fdLimit }, verdicts, options, t0);
  collector.update();
  if (plan !== undefined && !isAborted(options.signal)) await runExperiments(plan, collector, experimentContext(settings, options, collector));
  return collector.finish();
}
