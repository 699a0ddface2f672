// The experiments suite: queue-workers (a Redis queue in front of one vs two model workers), autoscale (an
// emulated HorizontalPodAutoscaler under a rate profile) and faults (a fault schedule under a sustained load) by
// default; batching in the main job; scaling and high-concurrency (the bench's concurrency suite) when named. Each
// starts systems of its own. runExperimentsSuite(options) returns plain data shaped as a load run's
// (ExperimentsData), the same a `servebench load --scenario <the same>` run gives. Progress on stderr only.

import { performance } from 'node:perf_hooks';
import { RunCollector } from '../load/collector.js';
import { ensureFdLimit, fdsNeeded } from '../load/fd-limit.js';
import type { ScenarioSet } from '../load/scenario-types.js';
import { isAborted, optionsEcho, resolveEngine, resolveSettings, type LoadSettingsOptions } from '../load/settings.js';
import { resolveStore } from '../load/store-default.js';
import { progress } from '../progress.js';
import type { ExperimentsData } from '../results/load.js';
import { EXPERIMENT_SCENARIOS, type ExperimentName } from '../results/vocab.js';
import { planExperiments } from './plan.js';
import { experimentComparisons, experimentContext, runExperiments } from './run.js';
import type { ExperimentSet } from './types.js';

export interface ExperimentsSuiteOptions extends LoadSettingsOptions {
  /** @default SUITE_EXPERIMENTS: queue-workers, autoscale and faults; the bench adds batching (MAIN_JOB_EXPERIMENTS). Run in EXPERIMENT_SCENARIOS' order. */
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

/** The experiments run when none is named: the seeds' two and the fault schedule. */
const SUITE_EXPERIMENTS: readonly ExperimentName[] = ['queue-workers', 'autoscale', 'faults'];

/**
 * The experiments the main job names: those and batching. scaling's sweeps (about 90 s, 25 s quick) would overrun
 * its budget, so only when named.
 */
export const MAIN_JOB_EXPERIMENTS: readonly ExperimentName[] = [...SUITE_EXPERIMENTS, 'batching'];

/** Run the experiments suite; returns plain data (progress on stderr only). */
export async function runExperimentsSuite(options: ExperimentsSuiteOptions): Promise<ExperimentsData> {
  const t0 = performance.now();
  const engine = resolveEngine(options);
  const requested = options.experiments ?? SUITE_EXPERIMENTS;
  const selected = EXPERIMENT_SCENARIOS.filter((e) => requested.includes(e));
  const settings = resolveSettings(options, options.loadDefinitions, engine);
  const plan = planExperiments(selected, options.definitions, {
    engine,
    quick: settings.quick,
    ...(options.connections === undefined ? {} : { connections: options.connections }),
    ...(options.rateRps === undefined ? {} : { rateRps: options.rateRps }),
    ...(options.repeats === undefined ? {} : { repeats: options.repeats }),
    ...(options.faults === undefined ? {} : { faults: options.faults }),
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
  return collector.done();
}
