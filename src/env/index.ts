// Hardware and environment capture.

export { captureEnv } from './capture.js';
