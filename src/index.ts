// servebench's public API: re-exports only.

export * from './report/schema.js';
export * from './kernels/index.js';
export * from './stats/index.js';
export { captureEnv } from './env/index.js';
export { Supervisor, ManagedProcess, supervisor, freePort, onShutdown, stopAllProcesses, installSignalHandlers } from './processes.js';
export type { ProcessSpec, ReadyProbe, ExitInfo } from './processes.js';
export { ServebenchError, OptionError, toErrorInfo } from './errors.js';
export type { ErrorCode } from './errors.js';
