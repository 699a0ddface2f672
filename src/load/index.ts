// The load suite's public API: re-exports only.

export { runLoadSuite, resolveScenarios, ALL_SCENARIOS, MATRIX_SCENARIOS, SELECTABLE_SCENARIOS } from './suite.js';
export { EXPERIMENT_SCENARIOS } from './experiments.js';
export type { ExperimentSet, QueueWorkersScenario, AutoscaleScenario } from './experiment-types.js';
export { rateProfileEngine, profileArrivals, rateAt } from './engines/rate-profile.js';
export type { LoadSuiteOptions, LoadTargetOptions } from './suite.js';
export { autocannonEngine } from './engines/autocannon.js';
export { openLoopEngine } from './engines/open-loop.js';
export type { LoadEngine, EngineRunOptions, EngineResult, HttpTarget, RequestSample } from './engines/types.js';
export { createArrivals } from './arrivals.js';
export type { ArrivalSchedule } from './arrivals.js';
export { ServerSampler } from './sampler.js';
export type { SampledProcess, MetricsSource } from './sampler.js';
export { checkValidity, statedRules, DEFAULT_VALIDITY_LIMITS } from './validity.js';
export type { ValidityLimits, ValidityFacts } from './validity.js';
export { ensureFdLimit, fdsNeeded } from './fd-limit.js';
export { summarise, compare, requestPathsVerdicts } from './aggregate.js';
export type { ScenarioSet, ScenarioDefinition } from './scenario-types.js';
