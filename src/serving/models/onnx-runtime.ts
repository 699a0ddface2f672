// onnxruntime-node, loaded once per thread and optional at run time like the native addon: when it cannot
// load, every output says "onnx: unavailable (<reason>)" and `--predict onnx` fails with that line; nothing
// substitutes for it. SERVEBENCH_ONNX=off disables it (for comparisons and for tests of that failure).

import { createRequire } from 'node:module';
import type * as Ort from 'onnxruntime-node';
import { ServebenchError, errorMessage } from '../../errors.js';

export type OnnxRuntime = typeof Ort;

/** Whether onnxruntime-node loaded here, its version, and if not, why. */
export type OnnxStatus = { available: true; version: string } | { available: false; reason: string };

/** The environment switch that disables onnxruntime-node. */
export const ONNX_ENV_SWITCH = 'SERVEBENCH_ONNX';

let cached: { status: OnnxStatus; runtime?: OnnxRuntime } | undefined;

function load(): { status: OnnxStatus; runtime?: OnnxRuntime } {
  const switchValue = process.env[ONNX_ENV_SWITCH]?.trim().toLowerCase();
  if (switchValue === 'off' || switchValue === '0' || switchValue === 'false') {
    return { status: { available: false, reason: `disabled by ${ONNX_ENV_SWITCH}=${process.env[ONNX_ENV_SWITCH]?.trim()}` } };
  }
  try {
    const runtime = createRequire(import.meta.url)('onnxruntime-node') as OnnxRuntime;
    const version = runtime.env.versions.node ?? runtime.env.versions.common ?? 'unknown';
    return { status: { available: true, version }, runtime };
  } catch (err) {
    return { status: { available: false, reason: `onnxruntime-node failed to load: ${errorMessage(err).split('\n')[0] ?? ''}` } };
  }
}

/** Whether onnxruntime-node can be used here (loads it once; never throws). */
export function onnxStatus(): OnnxStatus {
  cached ??= load();
  return cached.status;
}

/** The one-line form every output uses: "onnx: available (onnxruntime-node 1.31.1)" or "onnx: unavailable (<reason>)". */
export function describeOnnxStatus(status: OnnxStatus = onnxStatus()): string {
  return status.available ? `onnx: available (onnxruntime-node ${status.version})` : `onnx: unavailable (${status.reason})`;
}

/** onnxruntime-node itself; throws SB_ERR_MISSING_TOOL with the status line when it is unavailable. */
export function onnxRuntime(): OnnxRuntime {
  cached ??= load();
  if (cached.runtime === undefined) throw new ServebenchError('SB_ERR_MISSING_TOOL', describeOnnxStatus(cached.status));
  return cached.runtime;
}
