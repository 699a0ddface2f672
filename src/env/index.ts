// Hardware and environment capture: the environment block every results file embeds (captureEnv) and the
// hardware suite `servebench hw` runs on top of it (runHardwareSuite).

export { captureEnv } from './capture.js';
export type { CaptureEnvOptions } from './capture.js';
export { runHardwareSuite } from './suite.js';
export type { HardwareSuiteOptions } from './suite.js';
