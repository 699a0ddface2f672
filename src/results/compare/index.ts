// src/results/compare: two runs compared (pairing, tests, noise floor, verdicts), thresholds parsed and
// checked, the results files of a folder listed. Plain data in, plain data out; the renderers are in
// src/report/compare.ts and the commands in src/commands/compare.ts and runs.ts.

export { compareResults, regressionsBeyond } from './compare.js';
export { EXIT_REGRESSION, EXIT_THRESHOLD_CROSSED } from './exit-codes.js';
export { checkThresholds, thresholdsPassed } from './check-thresholds.js';
export { parseThreshold, parseThresholds, THRESHOLD_METRICS, type Threshold } from './thresholds.js';
export { listRuns } from './runs.js';
export type { Comparison, CompareOptions, FigureComparison } from './types.js';
