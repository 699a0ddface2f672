// The profile suite's public API: re-exports only.

export { runProfileSuite, caseId, PROFILE_FILE } from './suite.js';
export { resolveProfileOptions, PROFILE_TOOLS, PROFILE_PATHS, PROFILE_DEFAULTS } from './options.js';
export type { ProfileOptions, ResolvedProfileOptions } from './options.js';
export { startServingTarget, stopProfiled } from './target.js';
export type { StartTarget, StartedTarget, TargetOptions } from './target.js';
export { ADAPTERS, toolInfo, perfInfo, defaultToolPaths } from './tools.js';
export type { ToolPaths, CommandLine, ProfilerAdapter } from './tools.js';
export { summarize, FRAME_GROUPS, GROUP_LABELS, groupFraction, dominantGroup } from './summary.js';
export { cpuProfileToStacks, loadCpuProfile } from './cpuprofile.js';
export { tickLogToStacks, flameSamplesToStacks } from './tick-log.js';
export { heapProfileToStacks } from './heap-profile.js';
export { PerfScriptReader } from './perf-script.js';
export { renderFlameGraphHtml } from './flamegraph.js';
export { readDoctorVerdict } from './doctor.js';
export type { Frame, WeightedStack, StackProfile } from './stacks.js';
