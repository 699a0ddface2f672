// The load suite's plan, from its options: every check of them, the defaults, the scenarios resolved, the
// configurations and the rounds each runs in, and the options echo. Pure: nothing is started, so a plan can
// be tested (and printed) without a process; suite.ts carries it out.

import { availableParallelism } from 'node:os';
import { OptionError } from '../errors.js';
import { shardLoad } from '../k8s/shards.js';
import type { ExperimentSet } from '../experiments/types.js';
import { isExperiment, planExperiments, type ExperimentsPlan } from '../experiments/plan.js';
import { nativeLoadRun } from '../kernels/native-binding.js';
import type { KernelName } from '../kernels/types.js';
import type { LoadEngineName, LoadLoop, LoadOptionsEcho, ScenarioName } from '../results/load.js';
import {
  FILE_PREDICTS,
  MATRIX_PATHS,
  MATRIX_SCENARIOS,
  BUILTIN_PREDICTS,
  SCENARIO_NAMES,
  TOPOLOGIES,
  isOneOf,
  type PredictKind,
  type RequestPath,
  type Topology,
} from '../results/vocab.js';
import { SERVING_DEFAULTS } from '../serving/index.js';
import { chooseEngines, expectedServerCores, resolveLoop, type EngineChoice } from './engine-choice.js';
import type { ScenarioSet } from './scenario-types.js';
import { optionsEcho, resolveEngine, resolveSettings, type ChainSettings, type LoadSettingsOptions } from './settings.js';
import { type ModelFileOptions, servingConfigId, servingConfiguration, targetConfiguration, type ConfigurationSpec } from './systems.js';
import { checkModelOptions } from './model-options.js';
import { checkGeneratorProcesses } from './generator-processes.js';
import type { RequestDataEcho } from '../results/request-data.js';
import type { BatchingSettings } from '../results/serving.js';
import { resolveStore } from './store-default.js';

/** The scenarios run by default: the matrix chain, then request-paths (the experiments run only when named). */
export const ALL_SCENARIOS = [...MATRIX_SCENARIOS, 'request-paths'] as const satisfies readonly ScenarioName[];

type MatrixScenario = (typeof MATRIX_SCENARIOS)[number];

interface LoadTargetOptions {
  url: string;
  /** @default 'POST' when bodies are given, else 'GET' */
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD';
  headers?: Record<string, string>;
  /** Request bodies sent in turn. */
  bodies?: string[];
  /** Processes of the deployment to sample (CPU %, RSS). */
  pids?: number[];
  /** The server to start first (and stop after): `load --target URL -- node app.js`. */
  command?: string[];
  /** Where the bodies and headers came from (files), for the results. */
  requestData?: RequestDataEcho;
}

export interface LoadSuiteOptions extends LoadSettingsOptions {
  /**
   * @default response-time, ramp, sustained, stress and request-paths (no request-paths with a target or
   * with only onnx and module predicts; no stress with quick; response-time and sustained when connections
   * or rateRps is given)
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
  kernel?: KernelName;
  n?: number;
  /** onnx and module predicts: the model file(s) (--model, --model-a, --model-b) and --onnx-threads. */
  model?: ModelFileOptions;
  /** The model APIs batch their requests (--batching max-size=B,max-wait=W), on the sync and async paths. */
  batching?: BatchingSettings;
  /** Load a running deployment instead of starting the serving system. */
  target?: LoadTargetOptions;
  /** The scenarios' definitions (benchmarks/scenarios/ holds them). */
  definitions: ScenarioSet;
  /** The experiments' definitions: needed when `scenarios` names one (queue-workers, autoscale). */
  experimentDefinitions?: ExperimentSet;
}

/** One configuration and what runs on it in each round (the system is started once per round for both). */
export interface PlanEntry {
  config: ConfigurationSpec;
  /** Rounds in which the matrix scenarios run on it (0: none). */
  matrixRounds: number;
  /** request-paths: concurrencies after the one-connection baseline, and its rounds (0: none). */
  rpSteps: number[];
  rpRounds: number;
  /** Listed as skipped with this reason instead of running (e.g. left out by --quick). */
  leftOut?: string;
}

export interface LoadPlan {
  /** The selection with the scenarios it depends on added, in run order (the echo's). */
  scenarios: ScenarioName[];
  /** The selected scenarios of the matrix chain (response-time, ramp, sustained, stress). */
  matrixScenarios: MatrixScenario[];
  requestPaths: boolean;
  /** The experiments named among the scenarios; they run after the rounds. */
  experiments?: ExperimentsPlan;
  settings: ChainSettings;
  /** Workers per service for cluster and nginx (request-paths' expected cluster speed-up). */
  workers: number;
  /** Matrix (or target) entries first, then those request-paths adds. */
  entries: PlanEntry[];
  /** Rounds over the entries. */
  rounds: number;
  /** The most connections (or requests in flight) any step opens, for the descriptor budget. */
  connections: number;
  echo: LoadOptionsEcho;
}

/** Plan a load run: throws an OptionError for options that do not fit together. */
export function planLoad(given: LoadSuiteOptions): LoadPlan {
  const options = withShard(given);
  const defs = options.definitions;
  const engine = resolveEngine(options);
  const loop = resolveLoop(options);
  const scenarios = selectScenarios(options, engine, loop);
  checkGeneratorProcesses(options, scenarios);
  const experiments = planExperiments(scenarios.filter(isExperiment), options.experimentDefinitions, {
    engine,
    loop,
    quick: options.quick ?? false,
    ...(options.connections === undefined ? {} : { connections: options.connections }),
    ...(options.rateRps === undefined ? {} : { rateRps: options.rateRps }),
    ...(options.repeats === undefined ? {} : { repeats: options.repeats }),
    ...(options.faults === undefined ? {} : { faults: options.faults }),
    ...(options.scaling === undefined ? {} : { scaling: options.scaling }),
  });
  checkModelOptions(options.predicts ?? BUILTIN_PREDICTS, options.model, options.target !== undefined);
  const workers = options.workers ?? availableParallelism();
  const matrixScenarios = scenarios.filter((s): s is MatrixScenario => isOneOf(MATRIX_SCENARIOS, s));
  const requestPaths = scenarios.includes('request-paths');
  // The feature store: Redis by default wherever a redis-server can be started (the echo says how it was chosen).
  const store = resolveStore(options.store, options.redisUrl);
  const withStore = { ...options, store: store.kind };
  const entries = matrixEntries(withStore, matrixScenarios, workers);
  if (requestPaths) addRequestPathsEntries(entries, withStore, workers);
  const settings = resolveSettings(options, defs, scenarios.every(isExperiment) ? engine : planEngines(withStore, entries));
  const rounds = Math.max(0, ...entries.map((e) => Math.max(e.matrixRounds, e.rpRounds)));
  const connections = Math.max(plannedConnections(entries, settings, matrixScenarios), experiments?.connections ?? 0);
  const echo = optionsEcho(options, settings, {
    scenarios,
    repeats: Math.max(rounds, experiments?.rounds ?? 0),
    ...(options.target === undefined ? {} : { target: options.target.url }),
  });
  if (options.model !== undefined) echo.model = modelEcho(options.model);
  if (options.target?.requestData !== undefined) echo.requestData = options.target.requestData;
  if (options.target === undefined) echo.store = store;
  const experimentsPart = experiments === undefined ? {} : { experiments };
  return { scenarios, matrixScenarios, requestPaths, ...experimentsPart, settings, workers, entries, rounds, connections, echo };
}

/**
 * `--shard i/N`: the options with the shard's own load (rate R/N or its share of the connections, seed base +
 * i, as src/k8s/shards.ts splits them), so the run and its echo are the shard's; `servebench merge` adds the
 * shards up. Only a --target's explicit load is split: the scenarios' own steps (a ramp) are not.
 */
function withShard(o: LoadSuiteOptions): LoadSuiteOptions {
  const shard = o.shard;
  if (shard === undefined) return o;
  if (o.target === undefined) throw new OptionError('--shard', 'applies to a load of one --target URL (the shards of a distributed load share it)');
  if (o.rateRps === undefined && o.connections === undefined) {
    throw new OptionError('--shard', `needs the whole load to split: --rate R (each shard R/${shard.count}) or --connections C (each its share)`);
  }
  if (o.connections !== undefined && o.connections < shard.count) {
    throw new OptionError('--shard', `each of the ${shard.count} shards needs at least one connection: --connections ${o.connections} cannot be split`);
  }
  if ((o.generatorProcesses ?? 1) > 1 && o.rateRps !== undefined) {
    // Process i of shard s would take seed base + s + i, the seed of process i - 1 of shard s + 1: replayed arrivals.
    throw new OptionError(
      '--generator-processes',
      `cannot go with --shard and --rate: the processes' seeds would repeat the next shard's; run ${shard.count} x N shards instead`,
    );
  }
  const total = { ...pickLoad(o), seed: o.seed ?? 1 };
  const share = shardLoad(total, shard);
  return { ...o, ...share, shard: { index: shard.index, count: shard.count, total } };
}

function pickLoad(o: LoadSuiteOptions): { rateRps?: number; connections?: number } {
  return { ...(o.rateRps === undefined ? {} : { rateRps: o.rateRps }), ...(o.connections === undefined ? {} : { connections: o.connections }) };
}

/**
 * The engines of the scenarios: native by default where the addon loads (with threads for the cores the
 * systems leave free), else the JS engines with the reason. Only experiments: their own engines (resolveEngine).
 */
function planEngines(options: LoadSuiteOptions, entries: readonly PlanEntry[]): EngineChoice {
  const systems = entries.filter((e) => e.leftOut === undefined).map((e) => e.config.describe);
  const t = options.target;
  return chooseEngines(options, {
    native: nativeLoadRun(),
    serverCores: expectedServerCores(systems, t),
    ...(t === undefined ? {} : { targetUrl: t.url }),
  });
}

/** The scenarios to run: the selection (or the defaults), with what it depends on, checked against a target. */
function selectScenarios(options: LoadSuiteOptions, engine: LoadEngineName, loop: LoadLoop): ScenarioName[] {
  const quick = options.quick ?? false;
  const explicitLoad = options.connections !== undefined || options.rateRps !== undefined;
  // Defaults: everything on the matrix; with an explicit load, the baseline and that load held; --quick
  // leaves stress (and the cpu predict, below) to the full run, to stay well under two minutes.
  // request-paths is the seeds' io comparison: a run on your own model alone (onnx, module) leaves it out.
  const ownModel = options.predicts?.every((p) => isOneOf(FILE_PREDICTS, p)) === true;
  const everything: readonly ScenarioName[] = options.target !== undefined || ownModel ? MATRIX_SCENARIOS : ALL_SCENARIOS;
  const defaultSelection: ScenarioName[] = explicitLoad ? ['response-time', 'sustained'] : everything.filter((s) => !(quick && s === 'stress'));
  const scenarios = resolveScenarios(options.scenarios ?? defaultSelection, engine, explicitLoad, loop);
  if (options.target !== undefined && scenarios.includes('request-paths')) {
    throw new OptionError('--scenario', "request-paths compares servebench's own serving configurations; it cannot run against --target");
  }
  const experiments = scenarios.filter(isExperiment);
  if (options.target !== undefined && experiments.length > 0) {
    const verb = experiments.length === 1 ? 'starts' : 'start';
    throw new OptionError('--scenario', `${experiments.join(', ')} ${verb} servebench's own systems; it cannot run against --target`);
  }
  return scenarios;
}

/**
 * Add the scenarios a selection depends on: sustained and stress need a breaking point unless the load is
 * given. `loop` defaults to the engine's (open for the open engine).
 */
export function resolveScenarios(
  requested: readonly ScenarioName[],
  engine: LoadEngineName,
  explicitLoad: boolean,
  loop: LoadLoop = engine === 'open' ? 'open' : 'closed',
): ScenarioName[] {
  const set = new Set(requested);
  if ((set.has('sustained') || set.has('stress')) && !explicitLoad) set.add('ramp');
  // The open ramp's rates are multiples of the one-connection throughput.
  if (set.has('ramp') && loop === 'open' && !explicitLoad) set.add('response-time');
  return SCENARIO_NAMES.filter((s) => set.has(s));
}

/** The serving configuration of the matrix at (path, topology, predict), with the options' system settings. */
function serving(options: LoadSuiteOptions, workers: number, path: RequestPath, topology: Topology, predict: PredictKind): ConfigurationSpec {
  return servingConfiguration({
    path,
    topology,
    predict,
    workers,
    store: options.store ?? 'redis',
    ...(options.redisUrl === undefined ? {} : { redisUrl: options.redisUrl }),
    ...(options.kernel === undefined ? {} : { kernel: options.kernel }),
    ...(options.n === undefined ? {} : { n: options.n }),
    ...(options.model === undefined ? {} : { model: options.model }),
    ...(options.batching === undefined ? {} : { batching: options.batching }),
    entities: options.entities ?? SERVING_DEFAULTS.entities,
    seed: options.seed ?? 1,
  });
}

/** The matrix entries (predict, then topology, then path), or the one target entry. */
function matrixEntries(options: LoadSuiteOptions, matrixScenarios: readonly MatrixScenario[], workers: number): PlanEntry[] {
  if (matrixScenarios.length === 0) return [];
  const matrixRounds = options.repeats ?? 1;
  const t = options.target;
  if (t !== undefined) {
    const bodies = t.bodies ?? [];
    const config = targetConfiguration({
      url: t.url,
      method: t.method ?? (bodies.length > 0 ? 'POST' : 'GET'),
      headers: t.headers ?? {},
      bodies,
      pids: t.pids ?? [],
      ...(t.command === undefined ? {} : { command: t.command }),
    });
    return [{ config, matrixRounds, rpSteps: [], rpRounds: 0 }];
  }
  const entries: PlanEntry[] = [];
  // --quick keeps the io predict only (unless --predict says otherwise); the rest stays listed as skipped.
  for (const predict of options.predicts ?? BUILTIN_PREDICTS) {
    for (const topology of options.topologies ?? TOPOLOGIES) {
      for (const path of options.paths ?? MATRIX_PATHS) {
        const e: PlanEntry = { config: serving(options, workers, path, topology, predict), matrixRounds, rpSteps: [], rpRounds: 0 };
        if (options.quick === true && options.predicts === undefined && predict === 'cpu') {
          e.leftOut = 'left out by --quick (the full run covers the cpu predict)';
        }
        entries.push(e);
      }
    }
  }
  return entries;
}

/** request-paths' configurations: on the matrix's own start of the same configuration when there is one (one start per round). */
function addRequestPathsEntries(entries: PlanEntry[], options: LoadSuiteOptions, workers: number): void {
  const rp = options.definitions['request-paths'];
  const rounds = options.repeats ?? (options.quick === true ? rp.repeats.quick : rp.repeats.default);
  const rpConfigs: [RequestPath, Topology, number[]][] = [
    ['sync', 'single', [rp.connections]],
    ['async', 'single', [rp.connections, rp.littleConnections]],
    ['sync', 'cluster', [rp.connections]],
  ];
  for (const [path, topology, steps] of rpConfigs) {
    const id = servingConfigId(path, topology, 'io');
    const existing = entries.find((e) => e.config.id === id && e.leftOut === undefined);
    if (existing !== undefined) {
      existing.rpSteps = steps;
      existing.rpRounds = rounds;
    } else {
      entries.push({ config: serving(options, workers, path, topology, 'io'), matrixRounds: 0, rpSteps: steps, rpRounds: rounds });
    }
  }
}

/** The model options as the results echo them. */
function modelEcho(m: ModelFileOptions): NonNullable<LoadOptionsEcho['model']> {
  return {
    ...(m.modelFile === undefined ? {} : { file: m.modelFile }),
    ...(m.modelFiles?.a === undefined ? {} : { a: m.modelFiles.a }),
    ...(m.modelFiles?.b === undefined ? {} : { b: m.modelFiles.b }),
    ...(m.onnxThreads === undefined ? {} : { onnxThreads: m.onnxThreads }),
  };
}

/** The most connections (or requests in flight) any step may open, for the descriptor budget. */
function plannedConnections(entries: readonly PlanEntry[], s: ChainSettings, matrix: readonly ScenarioName[]): number {
  let most = 1;
  for (const e of entries) {
    if (e.leftOut !== undefined) continue;
    if (e.rpRounds > 0) most = Math.max(most, ...e.rpSteps);
    if (e.matrixRounds === 0) continue;
    if (s.loop === 'open') {
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
