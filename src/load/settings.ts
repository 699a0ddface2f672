// The settings every measured step shares, for the load suite and the experiments suite alike: the options
// both take (engine, load, timings, validity), checked and given their defaults once, and the echo of them
// that a results file carries. Pure: nothing here starts a process.

import type { ArrivalProcess, ClosedLoopEngine, LoadData, LoadEngineName, LoadLoop, LoadOptionsEcho, OpenLoopEngine, ScenarioName } from '../results/load.js';
import type { StoreKind } from '../results/serving.js';
import { checkEngineOptions, resolveLoop, type EngineChoice } from './engine-choice.js';
import type { ScenarioSet } from './scenario-types.js';
import { DEFAULT_VALIDITY_LIMITS, type ValidityLimits } from './validity.js';

/** The options of a load-shaped suite that are not about which systems run (see LoadSuiteOptions for those). */
export interface LoadSettingsOptions {
  /** @default 'memory' */
  store?: StoreKind;
  redisUrl?: string;
  /** @default 10000 */
  entities?: number;
  /**
   * @default 'native' for both loops where the addon loads (the load suite's scenarios); else 'autocannon'
   * for a closed loop and 'open' for a rate
   */
  engine?: LoadEngineName;
  /** @default 'open' with rateRps or engine 'open', else 'closed' */
  loop?: LoadLoop;
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
  /** The native engine's load threads. @default one per core left after the system under test's, at least 1 */
  generatorThreads?: number;
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
  /** Stop after the current step; what finished is returned with interrupted: true. */
  signal?: AbortSignal;
  /** Called after every run with the data so far (to write partial results on interrupt). */
  onUpdate?: (data: LoadData) => void;
}

/** What every measured step of a run shares (the experiments get these; the scenario chains also the definitions). */
export interface StepSettings {
  /** The engine of the loop below (the options echo's). */
  engine: LoadEngineName;
  /** Why that engine ran ('default', '--engine', 'fallback: ...'): set when the load suite chose it for its scenarios. */
  engineReason?: string;
  /** The loop of ramp, sustained and stress. */
  loop: LoadLoop;
  /** The engines of the closed-loop and the open-loop steps. */
  closedEngine: ClosedLoopEngine;
  openEngine: OpenLoopEngine;
  /** The engine was named with --engine (scenario definitions that name one of their own yield to it). */
  engineExplicit: boolean;
  /** The native engine's load threads. */
  generatorThreads: number;
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

/**
 * The engine the options name, or the JS engine of their loop, checked against the load they give: the
 * experiments' (their loads run on autocannon and the JS open loop). The load suite's scenarios choose
 * theirs with chooseEngines (engine-choice.ts), native by default.
 */
export function resolveEngine(o: Pick<LoadSettingsOptions, 'engine' | 'loop' | 'rateRps' | 'connections'>): LoadEngineName {
  const loop = resolveLoop(o);
  checkEngineOptions(o, loop);
  return o.engine ?? (loop === 'open' ? 'open' : 'autocannon');
}

/** The engines of an engine named alone (no choice made for it): its loop's JS engines, or native for both. */
function namedEngine(o: LoadSettingsOptions, engine: LoadEngineName): EngineChoice {
  const native = engine === 'native';
  const loop = resolveLoop({ ...o, engine });
  return {
    loop,
    closed: native ? 'native' : 'autocannon',
    open: native ? 'native' : 'open',
    engine,
    reason: '',
    explicit: o.engine !== undefined,
    generatorThreads: o.generatorThreads ?? 1,
  };
}

/** The step settings with their defaults; the definitions give the latency goal and the error budget. */
export function resolveSettings(o: LoadSettingsOptions, defs: ScenarioSet, engine: LoadEngineName | EngineChoice): ChainSettings {
  const errorBudget = o.errorBudget ?? defs.ramp.errorBudget;
  const choice = typeof engine === 'string' ? namedEngine(o, engine) : engine;
  return {
    engine: choice.engine,
    ...(choice.reason === '' ? {} : { engineReason: choice.reason }),
    loop: choice.loop,
    closedEngine: choice.closed,
    openEngine: choice.open,
    engineExplicit: choice.explicit,
    generatorThreads: choice.generatorThreads,
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
    ...(s.engineReason === undefined ? {} : { engineChoice: engineChoiceEcho(s, s.engineReason) }),
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

/** Why the engine ran, the loop, and the native engine's threads when it runs. */
function engineChoiceEcho(s: StepSettings, reason: string): NonNullable<LoadOptionsEcho['engineChoice']> {
  const native = s.closedEngine === 'native' || s.openEngine === 'native';
  return { reason, loop: s.loop, ...(native ? { generatorThreads: s.generatorThreads } : {}) };
}

/** Whether the run was asked to stop (a function, so TypeScript does not narrow it across awaits). */
export function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}
