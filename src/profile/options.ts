// The profile suite's options: defaults in one place, validated once with errors naming the option.

import { OptionError } from '../errors.js';
import { checkChoice, checkInteger } from '../options.js';
import type { HttpTarget } from '../load/engines/types.js';
import { defaultStoreChoice } from '../load/store-default.js';
import type { RequestDataEcho } from '../results/request-data.js';
import type {
  ProfileCommand,
  ProfilePredict,
  ProfileRequestPath,
  ProfileService,
  ProfileSettings,
  ProfileToolName,
  ProfileTopology,
} from '../results/profile.js';
import {
  FILE_PREDICTS,
  isOneOf,
  KERNEL_NAMES,
  type KernelName,
  MATRIX_PATHS,
  PREDICT_KINDS,
  type PredictKind,
  PROFILE_SERVICES,
  PROFILE_TOOLS,
  STORE_KINDS,
  type StoreKind,
  TOPOLOGIES,
} from '../results/vocab.js';
import type { StartTarget } from './target.js';
import { ADAPTERS } from './tools/adapters.js';
import type { ToolPaths } from './tools/types.js';

export interface ProfileOptions {
  /** @default ['0x', 'doctor'] */
  tools?: ProfileToolName[];
  /** @default ['sync', 'async'] */
  paths?: ProfileRequestPath[];
  /** The service under the profiler: the scoring handler (whole system) or one model API alone. @default 'scoring' */
  service?: ProfileService;
  /** @default 'io' */
  predict?: ProfilePredict;
  /** cpu predict only: the kernel (the serving system picks one per path when absent). */
  kernel?: KernelName;
  /** cpu predict only: values averaged per predict. */
  n?: number;
  /** 'cluster' needs a tool that follows cluster workers (cpuprof, perf). @default 'single' */
  topology?: ProfileTopology;
  /** Processes of the scoring service for cluster and nginx. */
  workers?: number;
  /** @default 'memory' */
  store?: StoreKind;
  /** Load applied to each case while it is profiled. @default 10000 */
  durationMs?: number;
  /** Connections of the closed-loop load. @default 20 */
  connections?: number;
  /** The run folder. @default profiles/<timestamp> */
  outDir?: string;
  /** Time a tool gets to write its output after the profiled process is told to stop. @default 120000 */
  finishTimeoutMs?: number;
  /** Override where the tools are (a missing tool is reported as an errored case). */
  toolPaths?: Partial<ToolPaths>;
  /** What to profile. @default the serving system (startServingTarget), or the command (startCommandTarget) */
  startTarget?: StartTarget;
  /** onnx and module predicts: the model file (both model services; the model API alone runs it as model-a). */
  modelFile?: string;
  /** onnx predict: intra-op threads of each onnxruntime session. */
  onnxThreads?: number;
  /** Your own server instead of servebench's: started from its command under the profiler (service 'command'). */
  command?: CommandTargetOptions;
}

/** Your own server, as `servebench profile [options] -- node app.js` gives it. */
export interface CommandTargetOptions {
  argv: string[];
  /** Where it listens. @default the first port it listens on (/proc), or the port a line it prints names */
  port?: number;
  /** @default '/' */
  urlPath?: string;
  /** @default 'POST' with bodies, else 'GET' */
  method?: HttpTarget['method'];
  headers?: Record<string, string>;
  /** Sent in turn (already in their order: random sequences are drawn by readRequestData). */
  bodies?: string[];
  requestData?: RequestDataEcho;
}

/** The options after defaults and checks: the settings the results record, and the tools' time to finish. */
export type ResolvedProfileOptions = Omit<ProfileSettings, 'kernel'> & {
  kernel?: KernelName;
  finishTimeoutMs: number;
  /** Service 'command': the request bodies the load sends, in order. */
  bodies?: string[];
};

export const PROFILE_DEFAULTS = {
  tools: ['0x', 'doctor'] as ProfileToolName[],
  paths: [...MATRIX_PATHS] as ProfileRequestPath[],
  service: 'scoring' as ProfileService,
  predict: 'io' as ProfilePredict,
  topology: 'single' as ProfileTopology,
  /** The embedded store for a model API alone (it reads no features) and your own server; else `defaultStoreChoice()`. */
  store: 'memory' as StoreKind,
  durationMs: 10_000,
  connections: 20,
  finishTimeoutMs: 120_000,
};

/** Apply defaults and check every option; throws OptionError naming the option. */
export function resolveProfileOptions(o: ProfileOptions): ResolvedProfileOptions {
  const tools = [...new Set(o.tools ?? PROFILE_DEFAULTS.tools)].map((t) => checkChoice('--tool', t, PROFILE_TOOLS));
  if (tools.length === 0) throw new OptionError('--tool', `name at least one of ${PROFILE_TOOLS.join(', ')}`);
  const durationMs = checkInteger('--duration', o.durationMs ?? PROFILE_DEFAULTS.durationMs, 500, 600_000);
  const connections = checkInteger('--connections', o.connections ?? PROFILE_DEFAULTS.connections, 1, 10_000);
  const finishTimeoutMs = checkInteger('finishTimeoutMs', o.finishTimeoutMs ?? PROFILE_DEFAULTS.finishTimeoutMs, 1000, 3_600_000);
  if (o.command !== undefined || o.service === 'command') return resolveCommand(o, { tools, durationMs, connections, finishTimeoutMs });
  const paths = [...new Set(o.paths ?? PROFILE_DEFAULTS.paths)].map((p) => checkChoice('--path', p, MATRIX_PATHS));
  if (paths.length === 0) throw new OptionError('--path', `name at least one of ${MATRIX_PATHS.join(', ')}`);
  const service = checkChoice('--service', o.service ?? PROFILE_DEFAULTS.service, PROFILE_SERVICES);
  if (service === 'model' && o.store !== undefined && o.store !== 'memory')
    throw new OptionError('--store', 'applies to --service scoring (a model API alone reads no features)');
  const predict = checkChoice('--predict', o.predict ?? PROFILE_DEFAULTS.predict, PREDICT_KINDS);
  const topology = checkChoice('--topology', o.topology ?? PROFILE_DEFAULTS.topology, TOPOLOGIES);
  // Redis by default wherever a redis-server can be started; a model API alone reads no features.
  const choice = o.store === undefined && service === 'scoring' ? defaultStoreChoice() : undefined;
  const store = checkChoice('--store', o.store ?? choice?.store ?? PROFILE_DEFAULTS.store, STORE_KINDS);
  if (topology === 'cluster') {
    const refuse = tools.filter((t) => !ADAPTERS[t].followsClusterWorkers);
    const can = PROFILE_TOOLS.filter((t) => ADAPTERS[t].followsClusterWorkers).join(' or ');
    if (refuse.length > 0) {
      const why = `${refuse.join(', ')} cannot profile cluster workers (they refuse node:cluster)`;
      throw new OptionError('--tool', `${why}; use --tool ${can} with --topology cluster, or --topology nginx`);
    }
  }
  if (o.workers !== undefined) {
    if (topology === 'single') throw new OptionError('--workers', 'applies to --topology cluster or nginx');
    checkInteger('--workers', o.workers, 1, 64);
  }
  checkPredictOptions(o, predict);
  const r: ResolvedProfileOptions = { tools, paths, service, predict, topology, store, durationMs, connections, finishTimeoutMs };
  if (choice?.fallback !== undefined) r.storeFallback = choice.fallback;
  if (o.kernel !== undefined) r.kernel = o.kernel;
  if (o.n !== undefined) r.n = o.n;
  if (o.workers !== undefined) r.workers = o.workers;
  if (o.modelFile !== undefined || o.onnxThreads !== undefined) {
    r.model = { ...(o.modelFile === undefined ? {} : { file: o.modelFile }), ...(o.onnxThreads === undefined ? {} : { onnxThreads: o.onnxThreads }) };
  }
  return r;
}

/** The options that go with the predict: a kernel and n for cpu, a model file for onnx and module. */
function checkPredictOptions(o: ProfileOptions, predict: PredictKind): void {
  if (predict !== 'cpu' && o.kernel !== undefined) {
    const why = predict === 'io' ? 'the io predict waits, it computes nothing' : `the ${predict} predict runs its model file`;
    throw new OptionError('--kernel', `applies only to --predict cpu (${why})`);
  }
  if (predict !== 'cpu' && o.n !== undefined) throw new OptionError('--n', 'applies only to --predict cpu');
  if (o.kernel !== undefined) checkChoice('--kernel', o.kernel, KERNEL_NAMES);
  if (o.n !== undefined) checkInteger('--n', o.n, 1, 1_000_000_000);
  if (o.modelFile !== undefined && !isOneOf(FILE_PREDICTS, predict)) throw new OptionError('--model', `applies to --predict ${FILE_PREDICTS.join(' or ')}`);
  if (predict === 'module' && o.modelFile === undefined) {
    throw new OptionError('--model', 'required with --predict module: a .mjs, .js or .cjs file exporting predict(features) (see examples/predict-module.mjs)');
  }
  if (o.onnxThreads !== undefined) {
    if (predict !== 'onnx') throw new OptionError('--onnx-threads', 'applies only to --predict onnx');
    checkInteger('--onnx-threads', o.onnxThreads, 1, 256);
  }
}

type Common = Pick<ResolvedProfileOptions, 'tools' | 'durationMs' | 'connections' | 'finishTimeoutMs'>;

/** Your own server: one case per tool; the serving system's options do not apply. */
function resolveCommand(o: ProfileOptions, common: Common): ResolvedProfileOptions {
  const c = o.command;
  if (c === undefined || c.argv.length === 0) throw new OptionError('--service', 'command needs the server to start after --, e.g. -- node app.js');
  const serving = { '--path': o.paths, '--predict': o.predict, '--topology': o.topology, '--workers': o.workers, '--store': o.store, '--kernel': o.kernel };
  const more = { '--n': o.n, '--model': o.modelFile, '--onnx-threads': o.onnxThreads };
  for (const [name, v] of Object.entries({ ...serving, ...more })) {
    if (v !== undefined) throw new OptionError(name, "configures servebench's serving system; with a command after -- your own server is profiled");
  }
  if (o.service !== undefined && o.service !== 'command') {
    throw new OptionError('--service', "chooses a service of servebench's serving system; with a command after -- your own server is profiled");
  }
  if (c.port !== undefined) checkInteger('--port', c.port, 1, 65535);
  const urlPath = c.urlPath ?? '/';
  if (!urlPath.startsWith('/')) throw new OptionError('--url-path', `must start with '/', got '${urlPath}'`);
  const bodies = c.bodies ?? [];
  const command: ProfileCommand = {
    argv: [...c.argv],
    ...(c.port === undefined ? {} : { port: c.port }),
    urlPath,
    method: c.method ?? (bodies.length > 0 ? 'POST' : 'GET'),
    headers: c.headers ?? {},
    requestData: c.requestData ?? { bodies: new Set(bodies).size, files: [], order: 'turn', headerFiles: [] },
  };
  return { ...common, service: 'command', paths: [], store: 'memory', command, bodies };
}
