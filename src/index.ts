// servebench's public API: re-exports only.

export * from './results/index.js';
export * from './kernels/index.js';
export * from './stats/index.js';
export * from './serving/index.js';
export { captureEnv, runHardwareSuite } from './env/index.js';
export type { CaptureEnvOptions, HardwareSuiteOptions } from './env/index.js';
export { runKernelsSuite } from './kernels/suite.js';
export type { KernelsOptions } from './kernels/suite.js';
export { runLoadSuite } from './load/suite.js';
export type { LoadSuiteOptions } from './load/suite.js';
export { runProfileSuite } from './profile/suite.js';
export { runCapacitySuite } from './capacity/index.js';
export type { CapacityOptions } from './capacity/index.js';
export { runBench } from './commands/bench.js';
export type { BenchOptions } from './commands/bench.js';
export { renderResults } from './commands/report.js';
export { renderHardwareMarkdown, renderHardwareHtml, renderHardwareSummary } from './report/hardware.js';
export { renderKernelsMarkdown, renderKernelsTable } from './report/kernels.js';
export { renderLoadMarkdown, renderLoadTerminal } from './report/load.js';
export { renderProfileMarkdown, renderProfileTerminal } from './report/profile.js';
export { renderBenchMarkdown, renderBenchHtml, renderBenchTerminal } from './report/results.js';
export { renderCapacityMarkdown, renderCapacityTable } from './report/capacity.js';
export { benchCharts, renderCharts, renderBenchHtmlWithCharts } from './report/charts.js';
export { Supervisor, ManagedProcess, supervisor, freePort, onShutdown, stopAllProcesses, installSignalHandlers } from './processes/index.js';
export type { ProcessSpec, ReadyProbe, ExitInfo } from './processes/index.js';
export { ServebenchError, OptionError, toErrorInfo } from './errors.js';
export type { ErrorCode } from './errors.js';
