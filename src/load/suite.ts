// The load suite: runLoadSuite(options) measures the scenarios over the configurations (the matrix
// {sync, async} x {single, cluster, nginx} x {io, cpu} by default, or a --target deployment) and returns
// plain data. planLoad (plan.ts) decides what runs; this executor carries a plan out. Repeats are rounds
// that interleave the configurations (A B C ... A B C ...), each configuration started fresh for its turn
// and stopped after it, so drift on a noisy machine spreads over all of them instead of favouring one.
// Experiments named among the scenarios run after the rounds, through src/experiments/. Progress goes to
// stderr; nothing is printed to stdout.

import { performance } from 'node:perf_hooks';
import { isExperiment } from '../experiments/plan.js';
import { experimentComparisons, experimentContext, runExperiments } from '../experiments/run.js';
import { progress, warn } from '../progress.js';
import type { LoadConfiguration, LoadData } from '../results/load.js';
import { requestPathsVerdicts } from './aggregate.js';
import { RunCollector, type Verdicts } from './collector.js';
import { ensureFdLimit, fdsNeeded } from './fd-limit.js';
import { planLoad, type LoadPlan, type LoadSuiteOptions, type PlanEntry } from './plan.js';
import { ServerSampler } from './sampler.js';
import { runRequestPathsChain, runScenarioChain } from './scenarios.js';
import { isAborted } from './settings.js';
import { markSkipped, markStartFailure, servingConfigId, type SystemUnderTest } from './systems.js';
import { checkModelFiles } from './model-options.js';
import type { PredictKind } from '../results/vocab.js';

export type { LoadSuiteOptions } from './plan.js';

/** Run the load suite; returns plain data (progress on stderr only). */
export async function runLoadSuite(options: LoadSuiteOptions): Promise<LoadData> {
  const t0 = performance.now();
  const plan = planLoad(options);
  await checkModelFiles(activePredicts(plan), options.model);
  return executeLoadPlan(plan, options, t0);
}

/** The predicts of the configurations that will run (not left out). */
function activePredicts(plan: LoadPlan): PredictKind[] {
  return plan.entries.flatMap((e) => (e.leftOut === undefined && e.config.describe.predict !== undefined ? [e.config.describe.predict] : []));
}

/** Carry out a plan: the rounds over its entries, then its experiments. */
async function executeLoadPlan(plan: LoadPlan, options: LoadSuiteOptions, t0: number): Promise<LoadData> {
  // One descriptor per connection in this process: check (and raise) the limit before anything starts.
  const fdLimit = await ensureFdLimit(fdsNeeded(plan.connections));
  if (fdLimit.raised) progress('load', `open-file limit: ${fdLimit.note}`);
  const collector = new RunCollector({ options: plan.echo, limits: plan.settings.limits, fdLimit }, verdictsOf(plan), options, t0);
  const configs = new Map<string, LoadConfiguration>();
  for (const e of plan.entries) if (!configs.has(e.config.id)) configs.set(e.config.id, { id: e.config.id, ...e.config.describe, state: 'completed' });
  for (const c of configs.values()) collector.addConfiguration(c);
  await skipUnavailable(plan.entries, configs, collector);
  collector.update();

  const active = plan.entries.filter((e) => configs.get(e.config.id)!.state === 'completed');
  if (active.length > 0) {
    const scenarios = plan.scenarios.filter((x) => !isExperiment(x)).join(', ');
    const why = plan.settings.engineReason === undefined ? '' : ` (${plan.settings.engineReason})`;
    progress(
      'load',
      `${active.length} configuration(s), ${plan.rounds} round(s) interleaving them; scenarios: ${scenarios}; engine: ${plan.settings.engine}${why}`,
    );
  }
  outer: for (let round = 1; round <= plan.rounds; round++) {
    for (const e of plan.entries) {
      if (isAborted(options.signal)) break outer;
      const c = configs.get(e.config.id)!;
      if ((round > e.matrixRounds && round > e.rpRounds) || c.state !== 'completed') continue;
      await runTurn(plan, e, c, round, collector, options.signal);
    }
  }
  if (plan.experiments !== undefined && !isAborted(options.signal)) {
    await runExperiments(plan.experiments, collector, experimentContext(plan.settings, options, collector));
  }
  return collector.finish();
}

/** The comparisons and goals of a plan's data: request-paths' speed goals, and the experiments' ratios. */
function verdictsOf(plan: LoadPlan): Verdicts {
  const rp = plan.settings.defs['request-paths'];
  return (runs) => {
    const v = plan.requestPaths
      ? requestPathsVerdicts(runs, {
          ...rp,
          syncSingle: servingConfigId('sync', 'single', 'io'),
          asyncSingle: servingConfigId('async', 'single', 'io'),
          syncCluster: servingConfigId('sync', 'cluster', 'io'),
          workers: plan.workers,
        })
      : { comparisons: [], goals: [] };
    return { comparisons: [...v.comparisons, ...experimentComparisons(plan.experiments, runs, plan.settings)], goals: v.goals };
  };
}

/** Skipped before the first round: a configuration that cannot run here stays in the results, marked so. */
async function skipUnavailable(entries: readonly PlanEntry[], configs: ReadonlyMap<string, LoadConfiguration>, collector: RunCollector): Promise<void> {
  for (const e of entries) {
    const c = configs.get(e.config.id)!;
    if (c.state !== 'completed') continue;
    const reason = e.leftOut ?? (await e.config.unavailable());
    if (reason !== undefined) {
      collector.addFlag(markSkipped(c, reason));
      warn('load', `${c.id} skipped: ${reason}`);
    }
  }
}

/** One entry's turn in a round: its system started, the chains due this round run on it, and stopped. */
async function runTurn(plan: LoadPlan, e: PlanEntry, c: LoadConfiguration, round: number, collector: RunCollector, signal?: AbortSignal): Promise<void> {
  progress('load', `round ${round}/${plan.rounds}: starting ${c.id}`);
  const startT = performance.now();
  let sut: SystemUnderTest;
  try {
    sut = await e.config.start();
  } catch (err) {
    collector.addFlag(markStartFailure(c, err));
    return;
  }
  (c.startupMs ??= []).push(Math.round(performance.now() - startT));
  c.url = sut.url;
  c.processes = sut.processes;
  if (sut.store !== undefined) c.store = sut.store;
  if (sut.models !== undefined) {
    c.model = sut.models.a;
    if (sut.models.b !== undefined) c.modelB = sut.models.b;
  }
  c.notes = sut.notes;
  const sampler = new ServerSampler(sut.processes, sut.metrics);
  const input = {
    configId: c.id,
    repeat: round,
    target: e.config.target(sut.url),
    sampler,
    ...(signal === undefined ? {} : { signal }),
    onRun: collector.addRun,
  };
  try {
    if (round <= e.matrixRounds) {
      const out = await runScenarioChain(plan.matrixScenarios, plan.settings, input);
      if (out.ramp !== undefined) collector.data.ramps.push(out.ramp);
      if (out.stress !== undefined) collector.data.stresses.push(out.stress);
    }
    if (round <= e.rpRounds && !isAborted(signal)) await runRequestPathsChain({ connections: e.rpSteps }, plan.settings, input);
  } finally {
    sampler.close();
    await sut.stop();
  }
}
