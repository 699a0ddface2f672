// The serving system under test: re-exports only.

export { startSystem, startModelApi } from './system.js';
export { startOneService } from './one-service.js';
export type { OneServiceOptions, RunningOneService } from './one-service.js';
export { resolveSystemOptions, resolveCpuPredict } from './options.js';
export { topologyAvailability } from './topology/index.js';
export type {
  SystemOptions,
  SystemTimeouts,
  ResolvedSystemOptions,
  RunningSystem,
  ModelApiOptions,
  RunningModelApi,
  SystemNotice,
  RunningQueue,
  ServiceEvent,
  SystemPart,
} from './types.js';
export { FAULT_TARGETS } from './faults.js';
export type { FaultAction, FaultApplied, FaultTarget, SystemFaults } from './faults.js';
export type { RestartPolicy } from '../processes/index.js';
export { nginxAvailability } from './topology/nginx.js';
export type { NginxAvailability } from './topology/nginx.js';
export type { CommandLine, CommandWrapper } from './topology/process.js';
export { redisServerVersion } from './feature-store/provision.js';
export { entityId, entityFeatures } from './feature-store/loader.js';
export { DEFAULTS as SERVING_DEFAULTS } from './config.js';
export { onnxStatus, describeOnnxStatus, onnxRuntime, ONNX_ENV_SWITCH } from './models/onnx-runtime.js';
export { withModelFiles, describeSystemModels } from './models/inspect.js';
export type { OnnxStatus } from './models/onnx-runtime.js';
export { queueAvailability } from './queue/broker.js';
export type { QueueAvailability } from './queue/broker.js';
export { startAutoscaledSystem, autoscaleAvailability, AUTOSCALE_EMULATION_NOTE, AUTOSCALER_DEFAULTS } from './autoscale/system.js';
export type { AutoscaledSystemOptions, RunningAutoscaledSystem, AutoscaledSystemDescription } from './autoscale/system.js';
export { startAutoscaledSystemProcess } from './autoscale/remote.js';
export type { AutoscaledSystemView } from './autoscale/remote.js';
export { recommendReplicas, normalize as normalizeReplicas, hpaSync, HPA_DEFAULTS } from './autoscale/hpa.js';
export type { HpaSpec, HpaMetrics, Recommendation } from './autoscale/hpa.js';
export type { AutoscaleDecision, AutoscalerOptions } from './autoscale/controller.js';
