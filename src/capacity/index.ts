// The capacity suite (seed 003's out-of-memory n, per kernel, under a stated budget): re-exports only.

export { runCapacitySuite } from './suite.js';
export type { CapacityOptions } from './suite.js';
