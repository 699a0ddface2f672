// What `servebench k8s` builds the manifests from, and its defaults in one place: the serving system's
// options (those of `servebench serve`), the image, the HorizontalPodAutoscaler's settings (the
// emulation's own, so the real HPA and the one-host emulation are configured alike), and the load Job.

import { AUTOSCALER_DEFAULTS, HPA_DEFAULTS } from '../serving/index.js';
import type { SystemOptions } from '../serving/index.js';
import type { ScenarioName } from '../results/vocab.js';

/** Whose time constants the HPA's behavior takes: the emulation's (compressed) or Kubernetes' own defaults. */
export const HPA_TIMES = ['emulation', 'kubernetes'] as const;
export type HpaTimes = (typeof HPA_TIMES)[number];

export interface HpaSettings {
  minReplicas: number;
  maxReplicas: number;
  /** Target average CPU utilization, a fraction of each pod's CPU request (0.6 = 60%). */
  targetUtilization: number;
  times: HpaTimes;
}

/** A model file given with --model, --model-a or --model-b: shipped to the pods in a ConfigMap. */
export interface ModelFile {
  option: '--model' | '--model-a' | '--model-b';
  /** Its key in the ConfigMap and its file name in the pods, e.g. 'model-a.onnx'. */
  key: string;
  bytes: Uint8Array;
}

/** The distributed load: an Indexed Job of `shards` pods, each running its share of the load. */
export interface LoadJobSettings {
  shards: number;
  /** The whole load: an open loop's rate or a closed loop's connections (one of them). */
  rateRps?: number;
  connections?: number;
  /** Base seed: shard i runs with seed + i. */
  seed: number;
  durationMs?: number;
  warmupMs?: number;
  scenarios?: ScenarioName[];
}

export interface K8sSettings {
  /** The container image every servebench pod runs (built from the Dockerfile). */
  image: string;
  namespace?: string;
  /** The serving system, as `servebench serve` takes it (model file paths are the local ones). */
  serve: SystemOptions;
  modelFiles: ModelFile[];
  hpa: HpaSettings;
  load?: LoadJobSettings;
}

/** The kube-controller-manager's default --horizontal-pod-autoscaler-sync-period: how often a real HPA decides. */
const KUBERNETES_HPA_SYNC_PERIOD_S = 15;

export const K8S_DEFAULTS = {
  image: 'servebench:local',
  /** The port every HTTP service listens on in its pod, and its Service's port (scoring: --port). */
  port: 8080,
  redis: { image: 'redis:7.2-alpine', port: 6379 },
  /** Where the model files of the ConfigMap appear in the pods. */
  modelsDir: '/etc/servebench/models',
  /** Where a load pod writes its load.json before printing it. */
  resultsDir: '/results',
  /** Where the image holds servebench (the Dockerfile's WORKDIR). */
  appDir: '/app',
  /** Pods per service with --topology single (one process a pod); processes per pod with cluster. */
  workers: 1,
  /** Threads of a process's worker pool and of an ONNX session: one, as each process requests one core. */
  poolThreads: 1,
  onnxThreads: 1,
  /** Request bodies the load sends, spread over the entities. */
  loadBodies: 8,
  /** The HPA's replica range and target, from the emulation's defaults. */
  hpa: {
    minReplicas: AUTOSCALER_DEFAULTS.minReplicas,
    maxReplicas: AUTOSCALER_DEFAULTS.maxReplicas,
    targetUtilization: AUTOSCALER_DEFAULTS.targetUtilization,
    times: 'emulation',
  } satisfies HpaSettings,
} as const;

/** CPU (millicores) and memory (MiB) per process, requested and allowed; a pod asks for its processes' sum. */
export const RESOURCES = {
  scoring: { cpuRequestM: 500, cpuLimitM: 1000, memoryRequestMi: 128, memoryLimitMi: 512 },
  // The emulation's cpu metric reads utilization against one core per replica (cpuRequestCores, default 1):
  // the same request here makes the real HPA's CPU utilization the same quantity.
  model: {
    cpuRequestM: (AUTOSCALER_DEFAULTS.cpuRequestCores ?? 1) * 1000,
    cpuLimitM: (AUTOSCALER_DEFAULTS.cpuRequestCores ?? 1) * 1000,
    memoryRequestMi: 256,
    memoryLimitMi: 1024,
  },
  redis: { cpuRequestM: 100, cpuLimitM: 1000, memoryRequestMi: 128, memoryLimitMi: 512 },
  // A generator needs its core to itself (the load's generator-cpu rule); its limit leaves room above it.
  load: { cpuRequestM: 1000, cpuLimitM: 2000, memoryRequestMi: 256, memoryLimitMi: 1024 },
} as const;

/** The HPA's time constants: the emulation's compressed ones, or Kubernetes' defaults (HPA_DEFAULTS). */
export function hpaTimes(times: HpaTimes): {
  scaleUpWindowS: number;
  scaleDownWindowS: number;
  periodS: number;
  scaleUpLimit: { percent: number; pods: number };
} {
  const spec = times === 'emulation' ? AUTOSCALER_DEFAULTS : HPA_DEFAULTS;
  return {
    scaleUpWindowS: Math.round(spec.scaleUpStabilizationMs / 1000),
    scaleDownWindowS: Math.round(spec.scaleDownStabilizationMs / 1000),
    // The emulation applies its scale-up limit per sync (1 s, compressed); Kubernetes per 15 s sync by default.
    periodS: times === 'emulation' ? Math.max(1, Math.round(AUTOSCALER_DEFAULTS.syncPeriodMs / 1000)) : KUBERNETES_HPA_SYNC_PERIOD_S,
    scaleUpLimit: spec.scaleUpLimit,
  };
}
