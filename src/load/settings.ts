// The settings every measured step shares, for the load suite and the experiments suite alike: the options
// both take (engine, load, timings, validity), checked and given their defaults once, and the echo of them
// that a results file carries. Pure: nothing here starts a process.

import { OptionError } from '../errors.js';
import type { FaultSpec } from '../results/faults.js';
import type { ArrivalProcess, LoadData, LoadEngineName, LoadOptionsEcho, ScenarioName } from '../results/load.js';
import type { StoreKind } from '../results/serving.js';
import type { ScenarioSet } from './scenario-types.js';
import { DEFAULT_VALIDITY_LIMITS, type ValidityLimits } from './validity.js';

/** The options of a load-shaped suite that are not about which systems run (see LoadSuiteOptions for those). */
export interface LoadSettingsOptions {
  /** @default 'memory' */
  store?: StoreKind;
  redisUrl?: string;
  /** @default 10000 */
  entities?: number;
  /** @default 'autocannon' (or 'open' when rateRps is given) */
  engine?: LoadEngineName;
  /** Closed loop: the load of sustained and stress, and the ramp's ceiling. */
  connections?: number;
  /** Open loop: the rate of sustained and stress, and the ramp's ceiling. */
  rateRps?: number;
  /** @default 'poisson' */
  arrivals?: ArrivalProcess;
  /** @default 1000 */
  maxInFlight?: number;
  /** @default 1 */
  pipelining?: number;
  /** autocannon worker threads; 0 runs it in this process with microsecond latencies. @default 0 */
  generatorWorkers?: number;
  /** Measured window of every step (overrides the scenario definitions). */
  durationMs?: number;
  warmupMs?: number;
  /** @default 10000 */
  timeoutMs?: number;
  /** End every step after this many requests instead of its duration (autocannon's amount). */
  amount?: number;
  /** Rounds over the configurations. @default 1 for the matrix, each definition's own for request-paths and the experiments */
  repeats?: number;
  /** Shorter steps and fewer repeats (CI, `npm run bench -- --quick`). @default false */
  quick?: boolean;
  /** @default 1 */
  seed?: number;
  /** @default the ramp definition's (500000: 500 ms) */
  latencyGoalP99Us?: number;
  /** @default the ramp definition's (0.01) */
  errorBudget?: number;
  limits?: Partial<ValidityLimits>;
  /** The faults experiment's schedule (--fault), instead of its definition's. */
  faults?: FaultSpec[];
  /** Stop after the current step; what finished is returned with interrupted: true. */
  signal?: AbortSignal;
  /** Called after every run with the data so far (to write partial results on interrupt). */
  onUpdate?: (data: LoadData) => void;
}

/** What every measured step of a run shares (the experiments get these; the scenario chains also the definitions). */
export interface StepSettings {
  engine: LoadEngineName;
  quick: boolean;
  /** Override of every step's measured window, ms. */
  durationMs?: number;
  /** Override of every step's warm-up, ms. */
  warmupMs?: number;
  timeoutMs: number;
  /** End every step's window after this many requests instead of its duration. */
  amount?: number;
  /** An explicit load: sustained and stress use it instead of the ramp's breaking point; it caps the ramp. */
  connections?: number;
  rateRps?: number;
  pipelining: number;
  /** autocannon worker threads (0: in this process). */
  generatorWorkers: number;
  arrivals: ArrivalProcess;
  maxInFlight: number;
  seed: number;
  latencyGoalP99Us: number;
  errorBudget: number;
  limits: ValidityLimits;
}

/** Settings shared by every scenario chain of a load run: the step settings and the scenario definitions. */
export interface ChainSettings extends StepSettings {
  defs: ScenarioSet;
}

/** The engine the options ask for, checked against the load they give. */
export function resolveEngine(o: Pick<LoadSettingsOptions, 'engine' | 'rateRps' | 'connections'>): LoadEngineName {
  const engine: LoadEngineName = o.engine ?? (o.rateRps !== undefined ? 'open' : 'autocannon');
  if (o.rateRps !== undefined && engine !== 'open') {
    throw new OptionError(
      '--rate',
      "needs --engine open: autocannon's rate option is a per-connection budget per second, not an open loop, and its latency under it is not trustworthy",
    );
  }
  if (o.connections !== undefined && engine === 'open')
    throw new OptionError('--connections', 'applies to the closed-loop engine (autocannon); the open engine takes --rate');
  return engine;
}

/** The step settings with their defaults; the definitions give the latency goal and the error budget. */
export function resolveSettings(o: LoadSettingsOptions, defs: ScenarioSet, engine: LoadEngineName): ChainSettings {
  const errorBudget = o.errorBudget ?? defs.ramp.errorBudget;
  return {
    engine,
    quick: o.quick ?? false,
    defs,
    ...(o.durationMs === undefined ? {} : { durationMs: o.durationMs }),
    ...(o.warmupMs === undefined ? {} : { warmupMs: o.warmupMs }),
    timeoutMs: o.timeoutMs ?? 10_000,
    ...(o.amount === undefined ? {} : { amount: o.amount }),
    ...(o.connections === undefined ? {} : { connections: o.connections }),
    ...(o.rateRps === undefined ? {} : { rateRps: o.rateRps }),
    pipelining: o.pipelining ?? 1,
    generatorWorkers: o.generatorWorkers ?? 0,
    arrivals: o.arrivals ?? 'poisson',
    maxInFlight: o.maxInFlight ?? 1000,
    seed: o.seed ?? 1,
    latencyGoalP99Us: o.latencyGoalP99Us ?? defs.ramp.latencyGoalP99Us,
    errorBudget,
    limits: { ...DEFAULT_VALIDITY_LIMITS, errorBudget, ...o.limits },
  };
}

/** The options as the results echo them: what ran, with every default filled in. */
export function optionsEcho(o: LoadSettingsOptions, s: ChainSettings, run: { scenarios: ScenarioName[]; repeats: number; target?: string }): LoadOptionsEcho {
  const timing = s.quick ? s.defs.sustained.timing.quick : s.defs.sustained.timing.default;
  return {
    scenarios: run.scenarios,
    engine: s.engine,
    repeats: run.repeats,
    quick: s.quick,
    ...(run.target === undefined ? {} : { target: run.target }),
    durationMs: o.durationMs ?? timing.durationMs,
    warmupMs: o.warmupMs ?? timing.warmupMs,
    timeoutMs: s.timeoutMs,
    ...(o.amount === undefined ? {} : { amount: o.amount }),
    latencyGoalP99Us: s.latencyGoalP99Us,
    errorBudget: s.errorBudget,
    ...(o.connections === undefined ? {} : { connections: o.connections }),
    ...(o.rateRps === undefined ? {} : { rateRps: o.rateRps }),
    seed: s.seed,
  };
}

/** Whether the run was asked to stop (a function, so TypeScript does not narrow it across awaits). */
export function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}
