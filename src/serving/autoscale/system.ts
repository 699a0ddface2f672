// Seed 002's "Kubernetes autoscaling of model servers", without Kubernetes (no cluster, no Docker here):
// model A and model B each run as a replica set of one-request-at-a-time model servers (the sync path: a
// WSGI-like worker, io or cpu predict) behind nginx, and an autoscaling controller per service follows
// the HorizontalPodAutoscaler's algorithm to add and remove replicas (real processes) under load. The
// scoring handler runs on the async path, one process, so that it is not what saturates first. With
// `autoscale: false` the same system keeps a fixed replica count: the baseline.

import { ServebenchError } from '../../errors.js';
import { Supervisor } from '../../processes/index.js';
import type { PredictKind, SystemProcess } from '../../results/serving.js';
import { DEFAULTS, type ModelServiceConfig, type ScoringServiceConfig, type StoreConfig } from '../config.js';
import { SystemEvents } from '../events.js';
import { provisionStore } from '../feature-store/provision.js';
import { runningHandle } from '../running-system.js';
import { startService, type ServiceHandle, type StartContext } from '../topology/index.js';
import { nginxAvailability } from '../topology/nginx.js';
import type { ModelService, RunningHandle } from '../types.js';
import { Autoscaler, type AutoscaleDecision, type AutoscalerOptions } from './controller.js';
import { HPA_DEFAULTS, validateHpaSpec } from './hpa.js';
import { NginxReplicaSet, type ReplicaEvent, type ReplicaInfo } from './replica-set.js';

export const AUTOSCALE_EMULATION_NOTE =
  "an emulation of the Kubernetes HorizontalPodAutoscaler's algorithm inside servebench, not Kubernetes: " +
  'replicas are real model-server processes behind nginx (upstream reloaded with SIGHUP), ' +
  'their utilization comes from the metrics the processes send, and the time constants are compressed';

export interface AutoscaledSystemOptions {
  /** false: the replica count stays at `replicas` (the fixed baseline). */
  autoscale: boolean;
  /** Replicas per model service at start (and throughout without autoscaling). @default 1 */
  replicas?: number;
  /** The controller's settings (HPA rule, sync period, metric); defaults below. */
  autoscaler?: Partial<AutoscalerOptions>;
  /** The model servers' predict (each serves one request at a time). @default 'io' */
  predict?: PredictKind;
  /** cpu predict: values per predict. @default 1e6 */
  n?: number;
  ioWaitMs?: { min: number; max: number };
  entities?: number;
  seed?: number;
  /** How often every process sends its metrics (the controller's input). @default 250 */
  metricsIntervalMs?: number;
  timeoutsMs?: { model?: number; featureRead?: number; ready?: number };
}

/** The controller's defaults in servebench: Kubernetes' rule, its times compressed for a short scenario. */
export const AUTOSCALER_DEFAULTS: AutoscalerOptions = {
  ...HPA_DEFAULTS,
  targetUtilization: 0.6,
  maxReplicas: 6,
  scaleDownStabilizationMs: 10_000,
  syncPeriodMs: 1000,
  metric: 'elu',
};

export interface AutoscaledSystemDescription {
  emulation: string;
  autoscale: boolean;
  scoringUrl: string;
  predict: PredictKind;
  /** The controller's settings (null without autoscaling). */
  autoscaler: AutoscalerOptions | null;
  replicasAtStart: number;
  services: { service: string; baseUrl: string; replicas: ReplicaInfo[] }[];
  versions: Record<string, string>;
  notes: string[];
  processes: SystemProcess[];
}

export interface RunningAutoscaledSystem extends RunningHandle {
  scoringUrl: string;
  services: { 'model-a': NginxReplicaSet; 'model-b': NginxReplicaSet };
  /** One controller per model service (empty without autoscaling). */
  autoscalers: Autoscaler[];
  onReplicaEvent(listener: (e: ReplicaEvent) => void): () => void;
  onDecision(listener: (d: AutoscaleDecision) => void): () => void;
  notes: string[];
  describe(): AutoscaledSystemDescription;
}

/** Whether the autoscaled system can run here: it needs nginx (the balancer whose upstream it resizes). */
export async function autoscaleAvailability(): Promise<{ available: true } | { available: false; reason: string }> {
  const a = await nginxAvailability();
  return a.available ? { available: true } : { available: false, reason: `autoscaling resizes an nginx upstream: ${a.reason}` };
}

/** The options after defaults, as the parts are started with them. */
interface Settings {
  autoscale: boolean;
  replicas: number;
  controller: AutoscalerOptions;
  predict: PredictKind;
  seed: number;
  metricsIntervalMs: number;
  readyTimeoutMs: number;
  options: AutoscaledSystemOptions;
}

/** Apply defaults and check them all at once; throws SB_ERR_OPTION listing every problem. */
function resolveSettings(options: AutoscaledSystemOptions): Settings {
  const replicas = options.replicas ?? 1;
  const as: AutoscalerOptions = { ...AUTOSCALER_DEFAULTS, ...options.autoscaler };
  const errs = validateHpaSpec(as);
  if (!(as.syncPeriodMs >= 50)) errs.push(`syncPeriodMs: must be at least 50, got ${as.syncPeriodMs}`);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 64) errs.push(`replicas: must be an integer between 1 and 64, got ${replicas}`);
  if (options.autoscale && (replicas < as.minReplicas || replicas > as.maxReplicas))
    errs.push(`replicas: must be within minReplicas..maxReplicas (${as.minReplicas}..${as.maxReplicas}), got ${replicas}`);
  const predict = options.predict ?? 'io';
  if (predict !== 'io' && predict !== 'cpu') errs.push(`predict: io or cpu (the autoscale experiment does not run model files yet), got ${predict}`);
  if (errs.length > 0) throw new ServebenchError('SB_ERR_OPTION', `autoscaled system: ${errs.join('; ')}`);
  return {
    autoscale: options.autoscale,
    replicas,
    controller: as,
    predict,
    seed: options.seed ?? DEFAULTS.seed,
    metricsIntervalMs: options.metricsIntervalMs ?? 250,
    readyTimeoutMs: options.timeoutsMs?.ready ?? DEFAULTS.timeoutsMs.ready,
    options,
  };
}

/** A model server replica's settings. */
function replicaConfig(s: Settings, service: ModelService): ModelServiceConfig {
  return {
    service,
    name: service,
    // One request at a time per replica: its utilization is its busy share, and capacity grows with replicas.
    path: 'sync',
    topology: 'nginx',
    host: '127.0.0.1',
    port: 0,
    bodyLimitBytes: DEFAULTS.bodyLimitBytes,
    metricsIntervalMs: s.metricsIntervalMs,
    seed: s.seed,
    featureCount: DEFAULTS.featureCount,
    predict: s.predict,
    ioWaitMs: s.options.ioWaitMs ?? DEFAULTS.ioWaitMs,
    n: s.options.n ?? DEFAULTS.n,
    nMax: DEFAULTS.nMax,
    ...(s.predict === 'cpu' ? { kernel: 'typed' as const, placement: 'inline' as const } : {}),
  };
}

/** The scoring handler's settings: one async process calling the two nginx fronts. */
function scoringConfig(s: Settings, store: StoreConfig, models: { a: string; b: string }): ScoringServiceConfig {
  const t = s.options.timeoutsMs;
  return {
    service: 'scoring',
    name: 'scoring',
    path: 'async',
    topology: 'single',
    host: '127.0.0.1',
    port: 0,
    bodyLimitBytes: DEFAULTS.bodyLimitBytes,
    metricsIntervalMs: s.metricsIntervalMs,
    seed: s.seed,
    featureCount: DEFAULTS.featureCount,
    store,
    models,
    predict: s.predict,
    nMax: DEFAULTS.nMax,
    timeoutsMs: {
      featureRead: t?.featureRead ?? DEFAULTS.timeoutsMs.featureRead,
      model: t?.model ?? (s.predict === 'io' ? DEFAULTS.timeoutsMs.modelIo : DEFAULTS.timeoutsMs.modelCpu),
    },
  };
}

/** What the reader must know about this system: that it emulates, and how it scales (or does not). */
function autoscaleNotes(s: Settings): string[] {
  const as = s.controller;
  const controller =
    `controller: every ${as.syncPeriodMs} ms, ${as.metric === 'elu' ? 'event-loop utilization' : 'CPU / request'} vs target ${as.targetUtilization}, ` +
    `tolerance ${as.tolerance}, replicas ${as.minReplicas}..${as.maxReplicas}, scale-down stabilization ${as.scaleDownStabilizationMs} ms ` +
    '(Kubernetes: 15 s sync, 300 s stabilization)';
  return [
    AUTOSCALE_EMULATION_NOTE,
    `model servers: one request at a time each (sync path, ${s.predict} predict); scoring: one async process`,
    s.autoscale ? controller : `fixed at ${s.replicas} replica(s) per model service (no autoscaling)`,
  ];
}

/** Listeners of one kind, with the function that tells them all. */
function listenerSet<T>(): { add(l: (x: T) => void): () => void; emit(x: T): void } {
  const set = new Set<(x: T) => void>();
  return {
    add: (l) => {
      set.add(l);
      return () => set.delete(l);
    },
    emit: (x) => {
      for (const l of set) l(x);
    },
  };
}

export async function startAutoscaledSystem(options: AutoscaledSystemOptions): Promise<RunningAutoscaledSystem> {
  const s = resolveSettings(options);
  const avail = await autoscaleAvailability();
  if (!avail.available) throw new ServebenchError('SB_ERR_MISSING_TOOL', avail.reason);
  const supervisor = new Supervisor();
  const events = new SystemEvents();
  const ctx: StartContext = { supervisor, events, readyTimeoutMs: s.readyTimeoutMs, nginxWorkerProcesses: 1 };
  const sets: NginxReplicaSet[] = [];
  const services: ServiceHandle[] = [];
  const autoscalers: Autoscaler[] = [];
  const replicaEvents = listenerSet<ReplicaEvent>();
  const decisions = listenerSet<AutoscaleDecision>();
  const stopEverything = async () => {
    for (const a of autoscalers) a.stop();
    for (const svc of services) await svc.stop().catch(() => undefined);
    await Promise.all(sets.map((set) => set.stop().catch(() => undefined)));
    await supervisor.stopAll();
  };
  try {
    const store = await provisionStore({
      store: 'memory',
      entities: options.entities ?? DEFAULTS.entities,
      seed: s.seed,
      featureCount: DEFAULTS.featureCount,
      supervisor,
      readyTimeoutMs: s.readyTimeoutMs,
    });
    const [a, b] = await Promise.all([
      NginxReplicaSet.start(ctx, replicaConfig(s, 'model-a'), s.replicas),
      NginxReplicaSet.start(ctx, replicaConfig(s, 'model-b'), s.replicas),
    ]);
    sets.push(a!, b!);
    for (const set of sets) set.onEvent(replicaEvents.emit);
    const scoring = await startService(ctx, {
      config: scoringConfig(s, store.config, { a: a!.baseUrl, b: b!.baseUrl }),
      topology: 'single',
      workers: 1,
      host: '127.0.0.1',
      port: 0,
    });
    services.push(scoring);
    if (s.autoscale) {
      for (const set of sets) {
        const ctl = new Autoscaler(set, (l) => events.onMetrics(l), s.controller);
        ctl.onDecision(decisions.emit);
        autoscalers.push(ctl);
      }
      for (const c of autoscalers) c.start();
    }
    const notes = autoscaleNotes(s);
    const versions: Record<string, string> = { nginx: a!.nginxVersion };
    const scoringUrl = `${scoring.baseUrl}/score`;
    const processes = (): SystemProcess[] => [...scoring.processes(), ...sets.flatMap((set) => set.processes())];
    return runningHandle(
      { events, processes, stopEverything },
      {
        scoringUrl,
        services: { 'model-a': a!, 'model-b': b! },
        autoscalers,
        onReplicaEvent: replicaEvents.add,
        onDecision: decisions.add,
        notes,
        describe: (): AutoscaledSystemDescription => ({
          emulation: AUTOSCALE_EMULATION_NOTE,
          autoscale: s.autoscale,
          scoringUrl,
          predict: s.predict,
          autoscaler: s.autoscale ? s.controller : null,
          replicasAtStart: s.replicas,
          services: sets.map((set) => ({ service: set.service, baseUrl: set.baseUrl, replicas: set.list() })),
          versions,
          notes,
          processes: processes(),
        }),
      },
    );
  } catch (err) {
    await stopEverything();
    throw err;
  }
}
