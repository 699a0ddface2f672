// The one supervisor of every child process servebench starts: argument arrays (never a shell), readiness
// checks, timeouts, restarts with a bounded back-off, and stop-all on exit and on signals, so that nothing
// outlives a run.

export type { ExitInfo, ProcessSpec, ReadyProbe } from './spec.js';
export { ManagedProcess, exitDescription } from './managed-process.js';
export { freePort, httpStatus, sleep, tcpOpen, waitUntil, withTimeout } from './wait.js';
export { Supervisor, supervisor } from './supervisor.js';
export { exitWithParent, installSignalHandlers, onShutdown, stopAllProcesses } from './shutdown.js';
export { DEFAULT_RESTART_POLICY, KeptProcess } from './restart.js';
export type { ProcessLifecycleEvent, RestartPolicy } from './restart.js';
export { childPids, descendantPids } from './proc-tree.js';
