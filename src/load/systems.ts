// The systems a load suite measures: a configuration of the serving system (path x topology x predict,
// started and stopped by servebench for each round), or a deployment the user runs (--target URL), which
// servebench only loads and, given its pids, samples.

import { ServebenchError, toErrorInfo } from '../errors.js';
import { warn } from '../progress.js';
import { createRng } from '../stats/index.js';
import type { Flag } from '../results/common.js';
import type { LoadConfiguration } from '../results/load.js';
import type { BatchingSettings, ModelDescription, PredictKind, RequestPath, StoreKind, SystemDescription, Topology } from '../results/serving.js';
import type { KernelName } from '../kernels/types.js';
import { describeOnnxStatus, formatBatching, onnxStatus, startSystem, topologyAvailability, type SystemOptions } from '../serving/index.js';
import type { HttpTarget } from './engines/types.js';
import { startOwnServer } from './own-server.js';
import type { MetricsSource, SampledProcess } from './sampler.js';
import { readProcStat } from './proc.js';

/** A started system, as the load suite needs it. */
export interface SystemUnderTest {
  url: string;
  processes: SampledProcess[];
  metrics?: MetricsSource;
  store?: { kind: string; detail: string };
  /** onnx and module predicts: what the model services run (model-b's only when it differs). */
  models?: { a: ModelDescription; b?: ModelDescription };
  notes: string[];
  stop(): Promise<void>;
}

/** A configuration to measure: how to start it and what to send it. */
export interface ConfigurationSpec {
  id: string;
  /** The static facts for the results (state is filled in by the suite). */
  describe: Omit<LoadConfiguration, 'state' | 'id'>;
  /** Why it cannot run here (e.g. nginx not installed), checked once before the first round. */
  unavailable(): Promise<string | undefined>;
  start(): Promise<SystemUnderTest>;
  /** The request to send, given the started system's URL. */
  target(url: string): HttpTarget;
}

export interface ServingConfigOptions {
  path: RequestPath;
  topology: Topology;
  predict: PredictKind;
  workers?: number;
  store: StoreKind;
  redisUrl?: string;
  kernel?: KernelName;
  n?: number;
  /** Entities in the store; requests name them at random (seeded). */
  entities: number;
  seed: number;
  /** onnx and module predicts: the model files and intra-op threads (as SystemOptions). */
  model?: ModelFileOptions;
  /** The model APIs batch their requests (--batching; not on the queue path). */
  batching?: BatchingSettings;
}

/** The model options of the onnx and module predicts, passed to every system started with one. */
export type ModelFileOptions = Pick<SystemOptions, 'modelFile' | 'modelFiles' | 'onnxThreads'>;

/** The model options a predict takes: the files for onnx and module, the intra-op threads for onnx only. */
function modelOptionsFor(predict: PredictKind, m: ModelFileOptions | undefined): ModelFileOptions {
  if (m === undefined || (predict !== 'onnx' && predict !== 'module')) return {};
  const { onnxThreads, ...files } = m;
  return predict === 'onnx' && onnxThreads !== undefined ? { ...files, onnxThreads } : files;
}

/** What a started system's model services run, for the results (model-b only when it runs another file). */
function modelsOf(d: SystemDescription): SystemUnderTest['models'] {
  if (d.models === undefined || d.models.a.file === undefined) return undefined;
  const same = d.models.b.file?.sha256 === d.models.a.file.sha256 && d.models.b.name === d.models.a.name;
  return same ? { a: d.models.a } : { a: d.models.a, b: d.models.b };
}

/** Distinct request bodies sent in turn: enough to spread over the store without building one per request. */
const BODY_VARIETY = 64;

export function servingConfigId(path: RequestPath, topology: Topology, predict: PredictKind): string {
  return `${path}/${topology}/${predict}`;
}

/** Scoring requests: POST {"entity":"e<k>"} for seeded random k in [0, entities). */
export function scoringTarget(url: string, entities: number, seed: number): HttpTarget {
  const rng = createRng(seed ^ 0x10ad);
  const bodies = Array.from({ length: Math.min(BODY_VARIETY, entities) }, () => JSON.stringify({ entity: `e${Math.floor(rng() * entities)}` }));
  return { url, method: 'POST', headers: { 'content-type': 'application/json' }, bodies };
}

export function servingConfiguration(o: ServingConfigOptions): ConfigurationSpec {
  const id = servingConfigId(o.path, o.topology, o.predict);
  return {
    id,
    describe: { path: o.path, topology: o.topology, predict: o.predict, ...(o.workers === undefined || o.topology === 'single' ? {} : { workers: o.workers }) },
    unavailable: async () => {
      if (o.predict === 'onnx' && !onnxStatus().available) return describeOnnxStatus();
      const a = await topologyAvailability(o.topology);
      return a.available ? undefined : a.reason;
    },
    start: async () => {
      const sys = await startSystem({
        path: o.path,
        topology: o.topology,
        predict: o.predict,
        store: o.store,
        entities: o.entities,
        seed: o.seed,
        ...(o.topology === 'single' || o.workers === undefined ? {} : { workers: o.workers }),
        ...(o.redisUrl === undefined ? {} : { redisUrl: o.redisUrl }),
        ...(o.predict === 'cpu' && o.kernel !== undefined ? { kernel: o.kernel } : {}),
        ...(o.predict === 'cpu' && o.n !== undefined ? { n: o.n } : {}),
        ...modelOptionsFor(o.predict, o.model),
        ...(o.batching === undefined || o.path === 'queue' ? {} : { batching: o.batching }),
      });
      const models = modelsOf(sys.describe());
      return {
        url: sys.scoringUrl,
        // A getter on the system: read once per start, after it is ready (cluster workers included).
        processes: sys.processes.map((p) => ({ role: p.role, pid: p.pid, name: p.name })),
        metrics: (l) => sys.onMetrics(l),
        store: sys.store,
        ...(models === undefined ? {} : { models }),
        notes: [
          ...sys.notes,
          ...(sys.options.topology === 'single' ? [] : [`${sys.options.workers} workers per service`]),
          ...(sys.options.batching === undefined ? [] : [`model APIs batch their requests: ${formatBatching(sys.options.batching)}`]),
        ],
        stop: () => sys.stop(),
      };
    },
    target: (url) => scoringTarget(url, o.entities, o.seed),
  };
}

export interface TargetConfigOptions {
  url: string;
  method: HttpTarget['method'];
  headers: Record<string, string>;
  bodies: string[];
  /** Processes of the deployment to sample (CPU %, RSS), if the user names them. */
  pids: number[];
  /** A command servebench starts before the run (and stops after): the server behind the URL. */
  command?: string[];
}

/** A deployment the user runs (nothing started or stopped), or the user's own server started from its command. */
export function targetConfiguration(o: TargetConfigOptions): ConfigurationSpec {
  return {
    id: 'target',
    describe: { url: o.url, ...(o.command === undefined ? {} : { command: o.command }) },
    unavailable: async () => undefined,
    start: async () => (o.command === undefined ? runningTarget(o) : startedTarget(o, o.command)),
    target: () => ({ url: o.url, method: o.method, headers: o.headers, bodies: o.bodies }),
  };
}

function runningTarget(o: TargetConfigOptions): SystemUnderTest {
  return {
    url: o.url,
    processes: o.pids.map((pid) => ({ role: 'target', pid, name: readProcStat(pid)?.comm ?? `pid ${pid}` })),
    notes: o.pids.length === 0 ? ['--target: no --pid given, so no server-side sampling'] : [],
    stop: async () => undefined,
  };
}

/** `--target URL -- CMD`: CMD started, waited for on the URL's port, sampled (with its descendants), stopped after. */
async function startedTarget(o: TargetConfigOptions, command: string[]): Promise<SystemUnderTest> {
  const url = new URL(o.url);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname === 'localhost' || url.hostname === '' ? '127.0.0.1' : url.hostname.replace(/^\[|\]$/g, '');
  const server = await startOwnServer({ argv: command, port, host, meter: true });
  const name = readProcStat(server.proc.pid)?.comm ?? command[0] ?? 'target';
  const extra = o.pids.map((pid) => ({ role: 'target', pid, name: readProcStat(pid)?.comm ?? `pid ${pid}` }));
  const notes = [`--target: started \`${command.join(' ')}\` (pid ${server.proc.pid}), listening on port ${server.port}; stopped after the run`];
  return {
    url: o.url,
    processes: [{ role: 'target', pid: server.proc.pid, name }, ...extra],
    ...(server.metrics === undefined ? {} : { metrics: server.metrics }),
    notes,
    stop: () => server.stop(),
  };
}

/** A configuration that cannot run here: skipped with the reason; returns its flag for the results. */
export function markSkipped(c: LoadConfiguration, reason: string): Flag {
  c.state = 'skipped';
  c.reason = reason;
  return { subject: `load:${c.id}`, kind: 'skipped', message: reason };
}

/**
 * A configuration whose system could not start: skipped when a tool it needs is missing, else errored (a
 * warning on stderr either way); returns its flag for the results.
 */
export function markStartFailure(c: LoadConfiguration, err: unknown): Flag {
  const info = toErrorInfo(err);
  const missing = err instanceof ServebenchError && err.code === 'SB_ERR_MISSING_TOOL';
  c.state = missing ? 'skipped' : 'errored';
  if (missing) c.reason = info.message;
  else c.error = info;
  warn('load', `${c.id} ${c.state}: ${info.message}`);
  return { subject: `load:${c.id}`, kind: c.state, message: missing ? info.message : `could not start: ${info.message}` };
}
