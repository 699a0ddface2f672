// Seed 002's "Kubernetes autoscaling of model servers", without Kubernetes (no cluster, no Docker here):
// model A and model B each run as a replica set of one-request-at-a-time model servers (the sync path: a
// WSGI-like worker, io or cpu predict) behind nginx, and an autoscaling controller per service follows
// the HorizontalPodAutoscaler's algorithm to add and remove replicas (real processes) under load. The
// scoring handler runs on the async path, one process, so that it is not what saturates first. With
// `autoscale: false` the same system keeps a fixed replica count: the baseline.

import { ServebenchError } from '../../errors.js';
import { Supervisor } from '../../processes/index.js';
import type { PredictKind, ProcessMetrics, SystemProcess } from '../../results/serving.js';
import { DEFAULTS, type ModelServiceConfig, type ScoringServiceConfig } from '../config.js';
import { provisionStore } from '../feature-store/provision.js';
import { nginxAvailability, startService, SystemEvents, type ServiceHandle, type SystemNotice } from '../topology/index.js';
import { Autoscaler, type AutoscaleDecision, type AutoscalerOptions } from './controller.js';
import { HPA_DEFAULTS, validateHpaSpec } from './hpa.js';
import { NginxReplicaSet, type ReplicaEvent, type ReplicaInfo } from './replica-set.js';

export const AUTOSCALE_EMULATION_NOTE =
  "an emulation of the Kubernetes HorizontalPodAutoscaler's algorithm inside servebench, not Kubernetes: replicas are real model-server processes behind nginx (upstream reloaded with SIGHUP), their utilization comes from the metrics the processes send, and the time constants are compressed";

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

export interface RunningAutoscaledSystem {
  scoringUrl: string;
  readonly processes: SystemProcess[];
  services: { 'model-a': NginxReplicaSet; 'model-b': NginxReplicaSet };
  /** One controller per model service (empty without autoscaling). */
  autoscalers: Autoscaler[];
  onMetrics(listener: (m: ProcessMetrics) => void): () => void;
  onNotice(listener: (n: SystemNotice) => void): () => void;
  onReplicaEvent(listener: (e: ReplicaEvent) => void): () => void;
  onDecision(listener: (d: AutoscaleDecision) => void): () => void;
  notes: string[];
  describe(): AutoscaledSystemDescription;
  stop(): Promise<void>;
}

/** Whether the autoscaled system can run here: it needs nginx (the balancer whose upstream it resizes). */
export async function autoscaleAvailability(): Promise<{ available: true } | { available: false; reason: string }> {
  const a = await nginxAvailability();
  return a.available ? { available: true } : { available: false, reason: `autoscaling resizes an nginx upstream: ${a.reason}` };
}

export async function startAutoscaledSystem(options: AutoscaledSystemOptions): Promise<RunningAutoscaledSystem> {
  const replicas = options.replicas ?? 1;
  const as: AutoscalerOptions = { ...AUTOSCALER_DEFAULTS, ...options.autoscaler };
  const errs = validateHpaSpec(as);
  if (!(as.syncPeriodMs >= 50)) errs.push(`syncPeriodMs: must be at least 50, got ${as.syncPeriodMs}`);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 64) errs.push(`replicas: must be an integer between 1 and 64, got ${replicas}`);
  if (options.autoscale && (replicas < as.minReplicas || replicas > as.maxReplicas))
    errs.push(`replicas: must be within minReplicas..maxReplicas (${as.minReplicas}..${as.maxReplicas}), got ${replicas}`);
  if (errs.length > 0) throw new ServebenchError('SB_ERR_OPTION', `autoscaled system: ${errs.join('; ')}`);
  const avail = await autoscaleAvailability();
  if (!avail.available) throw new ServebenchError('SB_ERR_MISSING_TOOL', avail.reason);

  const predict = options.predict ?? 'io';
  const seed = options.seed ?? DEFAULTS.seed;
  const metricsIntervalMs = options.metricsIntervalMs ?? 250;
  const readyTimeoutMs = options.timeoutsMs?.ready ?? DEFAULTS.timeoutsMs.ready;
  const supervisor = new Supervisor();
  const events = new SystemEvents();
  const ctx = { supervisor, events, readyTimeoutMs, nginxWorkerProcesses: 1 as const };
  const sets: NginxReplicaSet[] = [];
  const services: ServiceHandle[] = [];
  const autoscalers: Autoscaler[] = [];
  const replicaListeners = new Set<(e: ReplicaEvent) => void>();
  const decisionListeners = new Set<(d: AutoscaleDecision) => void>();
  const stopEverything = async () => {
    for (const a of autoscalers) a.stop();
    for (const s of services) await s.stop().catch(() => undefined);
    await Promise.all(sets.map((s) => s.stop().catch(() => undefined)));
    await supervisor.stopAll();
  };
  try {
    const store = await provisionStore({
      store: 'memory',
      entities: options.entities ?? DEFAULTS.entities,
      seed,
      featureCount: DEFAULTS.featureCount,
      supervisor,
      readyTimeoutMs,
    });
    const modelConfig = (service: 'model-a' | 'model-b'): ModelServiceConfig => ({
      service,
      name: service,
      // One request at a time per replica: its utilization is its busy share, and capacity grows with replicas.
      path: 'sync',
      topology: 'nginx',
      host: '127.0.0.1',
      port: 0,
      bodyLimitBytes: DEFAULTS.bodyLimitBytes,
      metricsIntervalMs,
      seed,
      featureCount: DEFAULTS.featureCount,
      predict,
      ioWaitMs: options.ioWaitMs ?? DEFAULTS.ioWaitMs,
      n: options.n ?? DEFAULTS.n,
      nMax: DEFAULTS.nMax,
      ...(predict === 'cpu' ? { kernel: 'typed' as const, placement: 'inline' as const } : {}),
    });
    const [a, b] = await Promise.all([
      NginxReplicaSet.start(ctx, modelConfig('model-a'), replicas),
      NginxReplicaSet.start(ctx, modelConfig('model-b'), replicas),
    ]);
    sets.push(a!, b!);
    for (const s of sets)
      s.onEvent((e) => {
        for (const l of replicaListeners) l(e);
      });
    const scoringConfig: ScoringServiceConfig = {
      service: 'scoring',
      name: 'scoring',
      path: 'async',
      topology: 'single',
      host: '127.0.0.1',
      port: 0,
      bodyLimitBytes: DEFAULTS.bodyLimitBytes,
      metricsIntervalMs,
      seed,
      featureCount: DEFAULTS.featureCount,
      store: store.config,
      models: { a: a!.baseUrl, b: b!.baseUrl },
      predict,
      nMax: DEFAULTS.nMax,
      timeoutsMs: {
        featureRead: options.timeoutsMs?.featureRead ?? DEFAULTS.timeoutsMs.featureRead,
        model: options.timeoutsMs?.model ?? (predict === 'io' ? DEFAULTS.timeoutsMs.modelIo : DEFAULTS.timeoutsMs.modelCpu),
      },
    };
    const scoring = await startService(ctx, { config: scoringConfig, topology: 'single', workers: 1, host: '127.0.0.1', port: 0 });
    services.push(scoring);
    if (options.autoscale) {
      for (const s of sets) {
        const ctl = new Autoscaler(s, (l) => events.onMetrics(l), as);
        ctl.onDecision((d) => {
          for (const l of decisionListeners) l(d);
        });
        autoscalers.push(ctl);
      }
      for (const c of autoscalers) c.start();
    }
    const notes = [
      AUTOSCALE_EMULATION_NOTE,
      `model servers: one request at a time each (sync path, ${predict} predict); scoring: one async process`,
      ...(options.autoscale
        ? [
            `controller: every ${as.syncPeriodMs} ms, ${as.metric === 'elu' ? 'event-loop utilization' : 'CPU / request'} vs target ${as.targetUtilization}, tolerance ${as.tolerance}, replicas ${as.minReplicas}..${as.maxReplicas}, scale-down stabilization ${as.scaleDownStabilizationMs} ms (Kubernetes: 15 s sync, 300 s stabilization)`,
          ]
        : [`fixed at ${replicas} replica(s) per model service (no autoscaling)`]),
    ];
    let stopped: Promise<void> | undefined;
    const versions: Record<string, string> = { nginx: a!.nginxVersion };
    const sys: RunningAutoscaledSystem = {
      scoringUrl: `${scoring.baseUrl}/score`,
      get processes(): SystemProcess[] {
        return [...scoring.processes(), ...sets.flatMap((s) => s.processes())];
      },
      services: { 'model-a': a!, 'model-b': b! },
      autoscalers,
      onMetrics: (l) => events.onMetrics(l),
      onNotice: (l) => events.onNotice(l),
      onReplicaEvent: (l) => {
        replicaListeners.add(l);
        return () => replicaListeners.delete(l);
      },
      onDecision: (l) => {
        decisionListeners.add(l);
        return () => decisionListeners.delete(l);
      },
      notes,
      describe: () => ({
        emulation: AUTOSCALE_EMULATION_NOTE,
        autoscale: options.autoscale,
        scoringUrl: sys.scoringUrl,
        predict,
        autoscaler: options.autoscale ? as : null,
        replicasAtStart: replicas,
        services: sets.map((s) => ({ service: s.service, baseUrl: s.baseUrl, replicas: s.list() })),
        versions,
        notes,
        processes: sys.processes,
      }),
      stop: () => (stopped ??= stopEverything()),
    };
    return sys;
  } catch (err) {
    await stopEverything();
    throw err;
  }
}
