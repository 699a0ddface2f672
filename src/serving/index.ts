// The serving system under test: re-exports only.

export {
  startSystem,
  startModelApi,
  resolveSystemOptions,
  resolveCpuPredict,
  topologyAvailability,
  PATHS,
  TOPOLOGIES,
  PREDICTS,
  STORES,
} from './system.js';
export type { SystemOptions, SystemTimeouts, ResolvedSystemOptions, RunningSystem, ModelApiOptions, RunningModelApi } from './system.js';
export { nginxAvailability } from './topology/nginx.js';
export type { NginxAvailability } from './topology/nginx.js';
export type { CommandLine, CommandWrapper, SystemNotice } from './topology/index.js';
export { redisServerVersion } from './feature-store/provision.js';
export { entityId, entityFeatures } from './feature-store/loader.js';
export { DEFAULTS as SERVING_DEFAULTS } from './config.js';
export { queueAvailability } from './queue/system.js';
export type { RunningQueue, QueueAvailability } from './queue/system.js';
