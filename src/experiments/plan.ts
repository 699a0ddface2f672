// The experiments' plan: which run, the option checks that concern them, their rounds and the connections
// they open. Pure: the experiments suite plans with it, and so does the load suite's plan when
// `servebench load --scenario` names an experiment.

import { OptionError } from '../errors.js';
import { FD_HEADROOM } from '../load/fd-limit.js';
import { readOpenFileLimit } from '../load/proc.js';
import type { ConnectionCeiling } from '../results/experiments.js';
import type { FaultSpec } from '../results/faults.js';
import type { LoadEngineName, LoadLoop, ScenarioName } from '../results/load.js';
import { EXPERIMENT_SCENARIOS, isOneOf, type ExperimentName } from '../results/vocab.js';
import { connectionSteps } from './ceiling.js';
import { parseFaultSchedule } from './faults-schedule.js';
import type { ExperimentSet } from './types.js';

export interface ExperimentsPlan {
  /** In the order they run (EXPERIMENT_SCENARIOS'). */
  selected: ExperimentName[];
  definitions: ExperimentSet;
  /** The most rounds a selected experiment runs (the options echo's repeats). */
  rounds: number;
  /** The most connections (or requests in flight) a step opens, for the descriptor budget. */
  connections: number;
  /** faults: the schedule it runs (--fault, or the definition's). */
  faultSchedule?: FaultSpec[];
  /** high-concurrency: its connection steps (under the open-file ceiling, or --connections alone) and the ceiling. */
  concurrency?: { steps: number[]; ceiling: ConnectionCeiling };
}

/** The options an experiment reads beyond its definition. */
export interface ExperimentOptions {
  engine: LoadEngineName;
  /** @default open for the open engine, else closed */
  loop?: LoadLoop;
  quick: boolean;
  connections?: number;
  rateRps?: number;
  repeats?: number;
  /** faults: the schedule (--fault) instead of the definition's. */
  faults?: FaultSpec[];
  /** The scaling sweeps' server counts (--model-workers, --replicas). */
  scaling?: { modelWorkers?: number[]; replicas?: number[] };
  /** The load generator's hard open-file limit. @default read from /proc/self/limits */
  hardFdLimit?: number | 'unlimited';
}

export function isExperiment(s: ScenarioName): s is ExperimentName {
  return isOneOf(EXPERIMENT_SCENARIOS, s);
}

/** The scaling sweep's options: only with --scenario scaling, and in a closed loop (a fixed number of users). */
function checkScalingOptions(selected: readonly ExperimentName[], o: ExperimentOptions): void {
  const given = o.scaling;
  if (given !== undefined && !selected.includes('scaling')) {
    const named = given.modelWorkers !== undefined ? '--model-workers' : '--replicas';
    throw new OptionError(named, 'applies to --scenario scaling (throughput swept over the number of model servers)');
  }
  if (selected.includes('scaling') && (o.loop ?? (o.engine === 'open' ? 'open' : 'closed')) === 'open') {
    throw new OptionError(
      o.rateRps !== undefined ? '--rate' : o.engine === 'open' ? '--engine' : '--loop',
      'scaling runs a closed loop (the same users at every server count); give --connections C instead',
    );
  }
}

/** The plan of the selected experiments, after checking the options against them; undefined when none is selected. */
export function planExperiments(
  selected: readonly ExperimentName[],
  definitions: ExperimentSet | undefined,
  o: ExperimentOptions,
): ExperimentsPlan | undefined {
  const faults = selected.includes('faults');
  if (o.faults !== undefined && !faults) throw new OptionError('--fault', 'applies to the faults scenario: add faults to --scenario (or leave --scenario out)');
  checkScalingOptions(selected, o);
  if (selected.length === 0) return undefined;
  const queue = selected.includes('queue-workers');
  const autoscale = selected.includes('autoscale');
  const scaling = selected.includes('scaling');
  if (faults && o.connections !== undefined && !queue && !scaling) {
    throw new OptionError('--connections', 'faults runs a sustained open loop while the faults happen; --rate R sets its rate');
  }
  if (queue && (o.loop ?? (o.engine === 'open' ? 'open' : 'closed')) === 'open') {
    throw new OptionError(
      o.rateRps !== undefined ? '--rate' : o.engine === 'open' ? '--engine' : '--loop',
      "queue-workers runs a closed loop (users, as seed 001's Locust); give --connections C for its loaded step instead",
    );
  }
  if (autoscale && o.connections !== undefined && !queue) {
    throw new OptionError('--connections', "autoscale follows its arrival-rate profile (an open loop); --rate R sets the profile's peak");
  }
  if (definitions === undefined) {
    throw new OptionError('experimentDefinitions', `${selected.join(', ')} need their definitions (benchmarks/scenarios/ holds them)`);
  }
  const qw = definitions['queue-workers'];
  const sc = definitions.scaling;
  // batching runs one ramp (no repeats) with its own in-flight bound.
  const batching = selected.includes('batching') ? [definitions.batching.maxInFlight] : [];
  const hc = selected.includes('high-concurrency') ? concurrencyPlan(definitions, o) : undefined;
  const rounds = Math.max(
    0,
    ...(queue ? [o.repeats ?? (o.quick ? qw.repeats.quick : qw.repeats.default)] : []),
    ...(autoscale ? [o.repeats ?? 1] : []),
    ...(scaling ? [o.repeats ?? (o.quick ? sc.repeats.quick : sc.repeats.default)] : []),
    ...(faults ? [1] : []),
    ...(batching.length > 0 ? [1] : []),
    ...(hc === undefined ? [] : [hc.rounds]),
  );
  const connections = Math.max(
    0,
    ...(queue ? [o.connections ?? 0, ...qw.connections.default] : []),
    ...(autoscale ? [definitions.autoscale.maxInFlight] : []),
    ...(scaling ? [o.connections ?? sc.connections] : []),
    ...(faults ? [definitions.faults.maxInFlight] : []),
    ...batching,
    ...(hc === undefined ? [] : hc.steps),
  );
  const plan: ExperimentsPlan = { selected: EXPERIMENT_SCENARIOS.filter((e) => selected.includes(e)), definitions, rounds, connections };
  if (faults) plan.faultSchedule = o.faults ?? parseFaultSchedule(definitions.faults.schedule[o.quick ? 'quick' : 'default'], 'the faults scenario');
  if (hc !== undefined) plan.concurrency = { steps: hc.steps, ceiling: hc.ceiling };
  return plan;
}

/** high-concurrency's steps: the definition's under the open-file ceiling, or the one --connections gives. */
function concurrencyPlan(definitions: ExperimentSet, o: ExperimentOptions): { steps: number[]; ceiling: ConnectionCeiling; rounds: number } {
  const def = definitions['high-concurrency'];
  if (o.engine === 'open') {
    throw new OptionError(
      o.rateRps !== undefined ? '--rate' : '--engine',
      'high-concurrency runs a closed loop (connections, as Locust users); give --connections C',
    );
  }
  const { steps, ceiling } = connectionSteps(
    o.quick ? def.connections.quick : def.connections.default,
    o.hardFdLimit ?? readOpenFileLimit()?.hard,
    FD_HEADROOM,
  );
  const rounds = o.repeats ?? (o.quick ? def.repeats.quick : def.repeats.default);
  // --connections C: that one step (the descriptor check refuses it, naming the limit, when C does not fit).
  return { steps: o.connections === undefined ? steps : [o.connections], ceiling, rounds };
}
