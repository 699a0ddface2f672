// The load suite: runLoadSuite(options) measures the scenarios over the configurations (the matrix
// {sync, async} x {single, cluster, nginx} x {io, cpu} by default, or a --target deployment) and returns
// plain data. Repeats are rounds that interleave the configurations (A B C ... A B C ...), each
// configuration started fresh for its turn and stopped after it, so drift on a noisy machine spreads over
// all of them instead of favouring one. Progress goes to stderr; nothing is printed to stdout.

import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { experiments as defaultExperiments, scenarios as defaultScenarios } from '../../benchmarks/scenarios/index.js';
import { OptionError } from '../errors.js';
import { progress, warn } from '../progress.js';
import type { KernelName } from '../kernels/types.js';
import type {
  ArrivalProcess,
  Flag,
  LoadComparison,
  LoadConfiguration,
  LoadData,
  LoadEngineName,
  LoadRun,
  RampRepeatResult,
  ScenarioName,
  StressRepeatResult,
} from '../results/index.js';
import type { PredictKind, RequestPath, StoreKind, Topology } from '../results/serving.js';
import { SERVING_DEFAULTS } from '../serving/index.js';
import { flagsFor, requestPathsVerdicts, summarise } from './aggregate.js';
import { ensureFdLimit, fdsNeeded } from './fd-limit.js';
import { ServerSampler } from './sampler.js';
import type { ScenarioSet } from './scenario-types.js';
import { runRequestPathsChain, runScenarioChain, type ChainOutput, type ChainSettings } from './scenarios.js';
import { isAborted } from './experiment-context.js';
import { markSkipped, markStartFailure, servingConfigId, servingConfiguration, targetConfiguration, type ConfigurationSpec } from './systems.js';
import { DEFAULT_VALIDITY_LIMITS, statedRules, type ValidityLimits } from './validity.js';
import type { ExperimentSet } from './experiment-types.js';
import { EXPERIMENT_SCENARIOS, experimentComparisons, isExperiment, runExperiments, type ExperimentName } from './experiments.js';

export const MATRIX_SCENARIOS: readonly ScenarioName[] = ['response-time', 'ramp', 'sustained', 'stress'];
export const ALL_SCENARIOS: readonly ScenarioName[] = [...MATRIX_SCENARIOS, 'request-paths'];
/** Everything --scenario accepts: the default scenarios and the experiments (queue-workers, autoscale), which only run when named. */
export const SELECTABLE_SCENARIOS: readonly ScenarioName[] = [...ALL_SCENARIOS, ...EXPERIMENT_SCENARIOS];

export interface LoadTargetOptions {
  url: string;
  /** @default 'POST' when bodies are given, else 'GET' */
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD';
  headers?: Record<string, string>;
  /** Request bodies sent in turn. */
  bodies?: string[];
  /** Processes of the deployment to sample (CPU %, RSS). */
  pids?: number[];
}

export interface LoadSuiteOptions {
  /**
   * @default response-time, ramp, sustained, stress and request-paths (no request-paths with a target;
   * no stress with quick; response-time and sustained when connections or rateRps is given)
   */
  scenarios?: ScenarioName[];
  /** @default ['sync', 'async'] */
  paths?: RequestPath[];
  /** @default ['single', 'cluster', 'nginx'] */
  topologies?: Topology[];
  /** @default ['io', 'cpu'] */
  predicts?: PredictKind[];
  /** Workers per service for cluster and nginx. @default os.availableParallelism() */
  workers?: number;
  /** @default 'memory' */
  store?: StoreKind;
  redisUrl?: string;
  kernel?: KernelName;
  n?: number;
  /** @default 10000 */
  entities?: number;
  /** Load a running deployment instead of starting the serving system. */
  target?: LoadTargetOptions;
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
  /** Rounds over the configurations. @default 1 for the matrix, the request-paths definition's for it */
  repeats?: number;
  /** Shorter steps and fewer repeats (CI, `npm run bench -- --quick`). @default false */
  quick?: boolean;
  /** @default 1 */
  seed?: number;
  /** @default 500000 (500 ms) */
  latencyGoalP99Us?: number;
  /** @default 0.01 */
  errorBudget?: number;
  limits?: Partial<ValidityLimits>;
  /** @default the definitions in benchmarks/scenarios/ */
  definitions?: ScenarioSet;
  /** The experiments' definitions. @default those in benchmarks/scenarios/ */
  experimentDefinitions?: ExperimentSet;
  /** Stop after the current step; what finished is returned with interrupted: true. */
  signal?: AbortSignal;
  /** Called after every run with the data so far (to write partial results on interrupt). */
  onUpdate?: (data: LoadData) => void;
}

/** One configuration and what runs on it in each round (the system is started once per round for both). */
interface PlanEntry {
  config: ConfigurationSpec;
  /** Rounds in which the matrix scenarios run on it (0: none). */
  matrixRounds: number;
  /** request-paths: concurrencies after the one-connection baseline, and its rounds (0: none). */
  rpSteps: number[];
  rpRounds: number;
  /** Listed as skipped with this reason instead of running (e.g. left out by --quick). */
  leftOut?: string;
}

/** Run the load suite; returns plain data (progress on stderr only). */
export async function runLoadSuite(options: LoadSuiteOptions = {}): Promise<LoadData> {
  const t0 = performance.now();
  const defs = options.definitions ?? defaultScenarios;
  const quick = options.quick ?? false;
  const engine: LoadEngineName = options.engine ?? (options.rateRps !== undefined ? 'open' : 'autocannon');
  if (options.rateRps !== undefined && engine !== 'open') {
    throw new OptionError(
      '--rate',
      "needs --engine open: autocannon's rate option is a per-connection budget per second, not an open loop, and its latency under it is not trustworthy",
    );
  }
  if (options.connections !== undefined && engine === 'open')
    throw new OptionError('--connections', 'applies to the closed-loop engine (autocannon); the open engine takes --rate');
  const explicitLoad = options.connections !== undefined || options.rateRps !== undefined;
  // Defaults: everything on the matrix; with an explicit load, the baseline and that load held; --quick
  // leaves stress (and the cpu predict, below) to the full run, to stay well under two minutes.
  const defaultSelection = explicitLoad
    ? (['response-time', 'sustained'] as ScenarioName[])
    : (options.target !== undefined ? [...MATRIX_SCENARIOS] : [...ALL_SCENARIOS]).filter((s) => !(quick && s === 'stress'));
  const requested = options.scenarios ?? defaultSelection;
  const scenarios = resolveScenarios(requested, engine, explicitLoad);
  if (options.target !== undefined && scenarios.includes('request-paths')) {
    throw new OptionError('--scenario', "request-paths compares servebench's own serving configurations; it cannot run against --target");
  }
  const experimentsSelected = scenarios.filter(isExperiment) as ExperimentName[];
  if (options.target !== undefined && experimentsSelected.length > 0) {
    throw new OptionError(
      '--scenario',
      `${experimentsSelected.join(', ')} start${experimentsSelected.length === 1 ? 's' : ''} servebench's own systems; it cannot run against --target`,
    );
  }
  const experimentDefs = options.experimentDefinitions ?? defaultExperiments;
  if (experimentsSelected.includes('queue-workers') && engine === 'open') {
    throw new OptionError(
      options.rateRps !== undefined ? '--rate' : '--engine',
      "queue-workers runs a closed loop (users, as seed 001's Locust); give --connections C for its loaded step instead",
    );
  }
  if (experimentsSelected.includes('autoscale') && options.connections !== undefined && !experimentsSelected.includes('queue-workers')) {
    throw new OptionError('--connections', "autoscale follows its arrival-rate profile (an open loop); --rate R sets the profile's peak");
  }
  const errorBudget = options.errorBudget ?? defs.ramp.errorBudget;
  const limits: ValidityLimits = { ...DEFAULT_VALIDITY_LIMITS, errorBudget, ...options.limits };
  const workers = options.workers ?? availableParallelism();
  const seed = options.seed ?? 1;
  const entities = options.entities ?? SERVING_DEFAULTS.entities;
  const settings: ChainSettings = {
    engine,
    quick,
    defs,
    ...(options.durationMs === undefined ? {} : { durationMs: options.durationMs }),
    ...(options.warmupMs === undefined ? {} : { warmupMs: options.warmupMs }),
    timeoutMs: options.timeoutMs ?? 10_000,
    ...(options.amount === undefined ? {} : { amount: options.amount }),
    ...(options.connections === undefined ? {} : { connections: options.connections }),
    ...(options.rateRps === undefined ? {} : { rateRps: options.rateRps }),
    pipelining: options.pipelining ?? 1,
    generatorWorkers: options.generatorWorkers ?? 0,
    arrivals: options.arrivals ?? 'poisson',
    maxInFlight: options.maxInFlight ?? 1000,
    seed,
    latencyGoalP99Us: options.latencyGoalP99Us ?? defs.ramp.latencyGoalP99Us,
    errorBudget,
    limits,
  };

  // The plan: matrix (or target) entries, then the request-paths entries.
  const matrixScenarios = scenarios.filter((s) => s !== 'request-paths' && !isExperiment(s));
  const entries: PlanEntry[] = [];
  const serving = (path: RequestPath, topology: Topology, predict: PredictKind) =>
    servingConfiguration({
      path,
      topology,
      predict,
      workers,
      store: options.store ?? 'memory',
      ...(options.redisUrl === undefined ? {} : { redisUrl: options.redisUrl }),
      ...(options.kernel === undefined ? {} : { kernel: options.kernel }),
      ...(options.n === undefined ? {} : { n: options.n }),
      entities,
      seed,
    });
  const matrixRepeats = options.repeats ?? 1;
  if (matrixScenarios.length > 0) {
    if (options.target !== undefined) {
      const t = options.target;
      const bodies = t.bodies ?? [];
      entries.push({
        config: targetConfiguration({
          url: t.url,
          method: t.method ?? (bodies.length > 0 ? 'POST' : 'GET'),
          headers: t.headers ?? {},
          bodies,
          pids: t.pids ?? [],
        }),
        matrixRounds: matrixRepeats,
        rpSteps: [],
        rpRounds: 0,
      });
    } else {
      // --quick keeps the io predict only (unless --predict says otherwise); the rest stays listed as skipped.
      const predicts = options.predicts ?? ['io', 'cpu'];
      for (const predict of predicts) {
        for (const topology of options.topologies ?? ['single', 'cluster', 'nginx']) {
          for (const path of options.paths ?? ['sync', 'async']) {
            const e: PlanEntry = { config: serving(path, topology, predict), matrixRounds: matrixRepeats, rpSteps: [], rpRounds: 0 };
            if (quick && options.predicts === undefined && predict === 'cpu') e.leftOut = 'left out by --quick (the full run covers the cpu predict)';
            entries.push(e);
          }
        }
      }
    }
  }
  const rp = defs['request-paths'];
  if (scenarios.includes('request-paths')) {
    const rounds = options.repeats ?? (quick ? rp.repeats.quick : rp.repeats.default);
    const rpConfigs: [RequestPath, Topology, number[]][] = [
      ['sync', 'single', [rp.connections]],
      ['async', 'single', [rp.connections, rp.littleConnections]],
      ['sync', 'cluster', [rp.connections]],
    ];
    // Run on the matrix's own start of the same configuration when there is one (one start per round).
    for (const [path, topology, steps] of rpConfigs) {
      const id = servingConfigId(path, topology, 'io');
      const existing = entries.find((e) => e.config.id === id && e.leftOut === undefined);
      if (existing !== undefined) {
        existing.rpSteps = steps;
        existing.rpRounds = rounds;
      } else {
        entries.push({ config: serving(path, topology, 'io'), matrixRounds: 0, rpSteps: steps, rpRounds: rounds });
      }
    }
  }

  // One descriptor per connection in this process: check (and raise) the limit before anything starts.
  const experimentConnections = Math.max(
    0,
    ...(experimentsSelected.includes('queue-workers') ? [options.connections ?? 0, ...experimentDefs['queue-workers'].connections.default] : []),
    ...(experimentsSelected.includes('autoscale') ? [experimentDefs.autoscale.maxInFlight] : []),
  );
  const fdLimit = await ensureFdLimit(fdsNeeded(Math.max(plannedConnections(entries, settings, matrixScenarios), experimentConnections)));
  if (fdLimit.raised) progress('load', `open-file limit: ${fdLimit.note}`);

  const data: LoadData = {
    options: {
      scenarios,
      engine,
      repeats: Math.max(
        0,
        ...entries.map((e) => Math.max(e.matrixRounds, e.rpRounds)),
        ...(experimentsSelected.includes('queue-workers')
          ? [options.repeats ?? (quick ? experimentDefs['queue-workers'].repeats.quick : experimentDefs['queue-workers'].repeats.default)]
          : []),
        ...(experimentsSelected.includes('autoscale') ? [options.repeats ?? 1] : []),
      ),
      quick,
      ...(options.target === undefined ? {} : { target: options.target.url }),
      durationMs: options.durationMs ?? (quick ? defs.sustained.timing.quick.durationMs : defs.sustained.timing.default.durationMs),
      warmupMs: options.warmupMs ?? (quick ? defs.sustained.timing.quick.warmupMs : defs.sustained.timing.default.warmupMs),
      timeoutMs: settings.timeoutMs,
      ...(options.amount === undefined ? {} : { amount: options.amount }),
      latencyGoalP99Us: settings.latencyGoalP99Us,
      errorBudget,
      ...(options.connections === undefined ? {} : { connections: options.connections }),
      ...(options.rateRps === undefined ? {} : { rateRps: options.rateRps }),
      seed,
    },
    validityRules: statedRules(limits),
    fdLimit,
    configurations: [],
    runs: [],
    summaries: [],
    ramps: [],
    stresses: [],
    comparisons: [],
    goals: [],
    flags: [],
    durationMs: 0,
    interrupted: false,
  };
  const configs = new Map<string, LoadConfiguration>();
  for (const e of entries) if (!configs.has(e.config.id)) configs.set(e.config.id, { id: e.config.id, ...e.config.describe, state: 'completed' });
  data.configurations = [...configs.values()];
  const ramps: RampRepeatResult[] = [];
  const stresses: StressRepeatResult[] = [];
  const extraFlags: Flag[] = [];
  let rpComparisons: LoadComparison[] = [];

  const finish = (): LoadData => {
    data.summaries = summarise(data.runs);
    data.ramps = ramps;
    data.stresses = stresses;
    if (scenarios.includes('request-paths')) {
      const v = requestPathsVerdicts(data.runs, {
        ...rp,
        syncSingle: servingConfigId('sync', 'single', 'io'),
        asyncSingle: servingConfigId('async', 'single', 'io'),
        syncCluster: servingConfigId('sync', 'cluster', 'io'),
        workers,
      });
      rpComparisons = v.comparisons;
      data.goals = v.goals;
    }
    data.comparisons = [...rpComparisons, ...experimentComparisons(experimentsSelected, experimentDefs, data, quick, options.connections)];
    data.flags = [...extraFlags, ...flagsFor(data.runs, data.summaries)];
    data.interrupted = options.signal?.aborted === true;
    data.durationMs = Math.round(performance.now() - t0);
    return data;
  };

  // Skipped before the first round: a topology that cannot run here stays in the results, marked so.
  for (const e of entries) {
    const c = configs.get(e.config.id)!;
    if (c.state !== 'completed') continue;
    const reason = e.leftOut ?? (await e.config.unavailable());
    if (reason !== undefined) {
      extraFlags.push(markSkipped(c, reason));
      warn('load', `${c.id} skipped: ${reason}`);
    }
  }

  const onRun = (run: LoadRun) => {
    data.runs.push(run);
    progress('load', describeRun(run));
    options.onUpdate?.(finish());
  };

  options.onUpdate?.(finish());
  const rounds = Math.max(0, ...entries.map((e) => Math.max(e.matrixRounds, e.rpRounds)));
  const active = entries.filter((e) => configs.get(e.config.id)!.state === 'completed');
  if (active.length > 0)
    progress(
      'load',
      `${active.length} configuration(s), ${rounds} round(s) interleaving them; scenarios: ${scenarios.filter((x) => !isExperiment(x)).join(', ')}; engine: ${engine}`,
    );
  outer: for (let round = 1; round <= rounds; round++) {
    for (const e of entries) {
      if (isAborted(options.signal)) break outer;
      const c = configs.get(e.config.id)!;
      const matrixDue = round <= e.matrixRounds;
      const rpDue = round <= e.rpRounds;
      if ((!matrixDue && !rpDue) || c.state !== 'completed') continue;
      progress('load', `round ${round}/${rounds}: starting ${c.id}`);
      const startT = performance.now();
      let sut: Awaited<ReturnType<typeof e.config.start>>;
      try {
        sut = await e.config.start();
      } catch (err) {
        extraFlags.push(markStartFailure(c, err));
        continue;
      }
      (c.startupMs ??= []).push(Math.round(performance.now() - startT));
      c.url = sut.url;
      c.processes = sut.processes;
      if (sut.store !== undefined) c.store = sut.store;
      c.notes = sut.notes;
      const sampler = new ServerSampler(sut.processes, sut.metrics);
      const chainInput = {
        configId: c.id,
        repeat: round,
        target: e.config.target(sut.url),
        sampler,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        onRun,
      };
      try {
        if (matrixDue) {
          const out: ChainOutput = await runScenarioChain(matrixScenarios, settings, chainInput);
          if (out.ramp !== undefined) ramps.push(out.ramp);
          if (out.stress !== undefined) stresses.push(out.stress);
        }
        if (rpDue && !isAborted(options.signal)) await runRequestPathsChain({ connections: e.rpSteps }, settings, chainInput);
      } finally {
        sampler.close();
        await sut.stop();
      }
    }
  }
  if (experimentsSelected.length > 0 && !isAborted(options.signal)) {
    await runExperiments(experimentsSelected, experimentDefs, data, {
      settings,
      store: options.store ?? 'memory',
      ...(options.redisUrl === undefined ? {} : { redisUrl: options.redisUrl }),
      entities,
      seed,
      ...(options.repeats === undefined ? {} : { repeats: options.repeats }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      onRun,
      addConfiguration: (c: LoadConfiguration) => {
        data.configurations.push(c);
        return c;
      },
      addFlag: (f: Flag) => extraFlags.push(f),
    });
  }
  return finish();
}

/** Add the scenarios a selection depends on: sustained and stress need a breaking point unless the load is given. */
export function resolveScenarios(requested: readonly ScenarioName[], engine: LoadEngineName, explicitLoad: boolean): ScenarioName[] {
  const set = new Set(requested);
  if ((set.has('sustained') || set.has('stress')) && !explicitLoad) set.add('ramp');
  // The open ramp's rates are multiples of the one-connection throughput.
  if (set.has('ramp') && engine === 'open' && !explicitLoad) set.add('response-time');
  return SELECTABLE_SCENARIOS.filter((s) => set.has(s));
}

/** The most connections (or requests in flight) any step may open, for the descriptor budget. */
function plannedConnections(entries: readonly PlanEntry[], s: ChainSettings, matrix: readonly ScenarioName[]): number {
  let most = 1;
  for (const e of entries) {
    if (e.leftOut !== undefined) continue;
    if (e.rpRounds > 0) most = Math.max(most, ...e.rpSteps);
    if (e.matrixRounds === 0) continue;
    if (s.engine === 'open') {
      most = Math.max(most, s.maxInFlight);
      continue;
    }
    const rampTop = matrix.includes('ramp') ? Math.max(...s.defs.ramp.connections.filter((c) => s.connections === undefined || c <= s.connections)) : 1;
    const held = s.connections ?? rampTop;
    const top = Math.max(rampTop, held);
    most = Math.max(most, matrix.includes('stress') ? Math.ceil(top * s.defs.stress.multiplier) : top);
  }
  return most;
}

/** One progress line per run. */
export function describeRun(r: LoadRun): string {
  const head = `${r.configId} r${r.repeat} ${r.scenario} ${r.step.label}`;
  if (r.state === 'errored') return `${head}: errored: ${r.error.message}`;
  if (r.state === 'skipped') return `${head}: skipped: ${r.reason}`;
  const f = r.failures.total > 0 ? `, ${r.failures.total} failed` : '';
  const ll = r.littlesLaw !== undefined ? `, ${Math.round(r.littlesLaw.ratio * 100)}% of Little's law` : '';
  return `${head}: ${r.rps.toFixed(1)} rps, p50 ${fmtUs(r.latencyUs.p50)}, p99 ${fmtUs(r.latencyUs.p99)}${f}${ll}${
    r.valid
      ? ''
      : ` [invalid: ${r.validity.rules
          .filter((x) => x.applies && !x.passed)
          .map((x) => x.rule)
          .join(', ')}]`
  }`;
}

function fmtUs(us: number): string {
  if (us >= 1_000_000) return `${(us / 1e6).toFixed(2)} s`;
  if (us >= 1000) return `${(us / 1000).toFixed(1)} ms`;
  return `${Math.round(us)} us`;
}
