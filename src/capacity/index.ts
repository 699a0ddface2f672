// The capacity suite (seed 003's out-of-memory n, per kernel, under a stated budget): re-exports only.

export { runCapacitySuite, deriveCapacity, summarizeKernel, capacityFlags, derivedCheckSizes } from './suite.js';
export type { CapacityOptions, CapacityHooks } from './suite.js';
export { classifyProbe, fatalLine } from './classify.js';
export type { ProbeEvidence, Classification } from './classify.js';
export { searchCapacity, midpoint } from './search.js';
export type { SearchSettings, SearchResult, ProbeVerdict } from './search.js';
export { resolveCapacitySettings, formatBytes, DEFAULT_BUDGET_BYTES, HEAP_SHARE } from './settings.js';
export { parseByteSize } from '../options.js';
export { findMemoryLimit, verifyLimit, limitedNode } from './limit.js';
export type { MemoryLimit } from './limit.js';
export { runProbe } from './probe.js';
export { runServerCheck, planServerPoints } from './server-check.js';
