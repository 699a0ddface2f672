// src/results: THE contract between measuring and rendering. The envelope and SCHEMA_VERSION, each suite's
// data types (units in field names), the vocabularies, reading and the atomic writer. It imports nothing
// from the rest of src/ but errors and stats.

export * from './vocab.js';
export * from './envelope.js';
export * from './common.js';
export * from './env.js';
export * from './kernels.js';
export * from './serving.js';
export * from './load.js';
export * from './request-data.js';
export * from './experiments.js';
export * from './faults.js';
export * from './scaling.js';
export * from './generator-processes.js';
export * from './batching.js';
export * from './profile.js';
export * from './hardware.js';
export * from './bench.js';
export * from './capacity.js';
export { readResults } from './read.js';
export { toJson, writeFileAtomic, writeJsonAtomic } from './write.js';
