// The profile suite's options: defaults in one place, validated once with errors naming the option.

import { OptionError } from '../errors.js';
import { checkChoice, checkInteger } from '../options.js';
import type { ProfilePredict, ProfileRequestPath, ProfileService, ProfileSettings, ProfileToolName, ProfileTopology } from '../results/profile.js';
import {
  KERNEL_NAMES,
  type KernelName,
  MATRIX_PATHS,
  PREDICT_KINDS,
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
  /** What to profile. @default the serving system (startServingTarget) */
  startTarget?: StartTarget;
}

/** The options after defaults and checks: the settings the results record, and the tools' time to finish. */
export type ResolvedProfileOptions = Omit<ProfileSettings, 'kernel'> & {
  kernel?: KernelName;
  finishTimeoutMs: number;
};

export const PROFILE_DEFAULTS = {
  tools: ['0x', 'doctor'] as ProfileToolName[],
  paths: [...MATRIX_PATHS] as ProfileRequestPath[],
  service: 'scoring' as ProfileService,
  predict: 'io' as ProfilePredict,
  topology: 'single' as ProfileTopology,
  store: 'memory' as StoreKind,
  durationMs: 10_000,
  connections: 20,
  finishTimeoutMs: 120_000,
};

/** Apply defaults and check every option; throws OptionError naming the option. */
export function resolveProfileOptions(o: ProfileOptions): ResolvedProfileOptions {
  const tools = [...new Set(o.tools ?? PROFILE_DEFAULTS.tools)].map((t) => checkChoice('--tool', t, PROFILE_TOOLS));
  if (tools.length === 0) throw new OptionError('--tool', `name at least one of ${PROFILE_TOOLS.join(', ')}`);
  const paths = [...new Set(o.paths ?? PROFILE_DEFAULTS.paths)].map((p) => checkChoice('--path', p, MATRIX_PATHS));
  if (paths.length === 0) throw new OptionError('--path', `name at least one of ${MATRIX_PATHS.join(', ')}`);
  const service = checkChoice('--service', o.service ?? PROFILE_DEFAULTS.service, PROFILE_SERVICES);
  if (service === 'model' && o.store !== undefined && o.store !== 'memory')
    throw new OptionError('--store', 'applies to --service scoring (a model API alone reads no features)');
  const predict = checkChoice('--predict', o.predict ?? PROFILE_DEFAULTS.predict, PREDICT_KINDS);
  const topology = checkChoice('--topology', o.topology ?? PROFILE_DEFAULTS.topology, TOPOLOGIES);
  const store = checkChoice('--store', o.store ?? PROFILE_DEFAULTS.store, STORE_KINDS);
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
  if (predict === 'io' && o.kernel !== undefined)
    throw new OptionError('--kernel', 'applies only to --predict cpu (the io predict waits, it computes nothing)');
  if (predict === 'io' && o.n !== undefined) throw new OptionError('--n', 'applies only to --predict cpu');
  if (o.kernel !== undefined) checkChoice('--kernel', o.kernel, KERNEL_NAMES);
  if (o.n !== undefined) checkInteger('--n', o.n, 1, 1_000_000_000);
  const durationMs = checkInteger('--duration', o.durationMs ?? PROFILE_DEFAULTS.durationMs, 500, 600_000);
  const connections = checkInteger('--connections', o.connections ?? PROFILE_DEFAULTS.connections, 1, 10_000);
  const finishTimeoutMs = checkInteger('finishTimeoutMs', o.finishTimeoutMs ?? PROFILE_DEFAULTS.finishTimeoutMs, 1000, 3_600_000);
  const r: ResolvedProfileOptions = { tools, paths, service, predict, topology, store, durationMs, connections, finishTimeoutMs };
  if (o.kernel !== undefined) r.kernel = o.kernel;
  if (o.n !== undefined) r.n = o.n;
  if (o.workers !== undefined) r.workers = o.workers;
  return r;
}
