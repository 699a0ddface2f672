// The messages between the capacity suite (parent) and one probe process (src/capacity/probe-main.ts): the
// job goes in as argv[2] (JSON); stage messages and one final report come back over IPC. A probe killed by
// V8 or the kernel sends no report: the parent then classifies it from its exit and its last output.

import type { ErrorInfo } from '../errors.js';
import type { KernelName } from '../kernels/types.js';
import type { ProbeMemory, ProbeStage } from '../results/capacity.js';

export type ProbeJob =
  /**
   * What a model API's cpu predict does for one request at n, once; with concurrency C, C requests in flight
   * at once, each with its own values (all C inputs alive, then the kernel on each).
   */
  | { mode: 'predict'; kernel: KernelName; n: number; seed: number; concurrency: number }
  /** Ask for an ArrayBuffer of `bytes` (never touched): under a working limit it must be refused. */
  | { mode: 'verify'; bytes: number }
  /** Open an ONNX model, then run one inference on a batch of `rows` rows of seeded random features (onnx-batch.ts). */
  | OnnxBatchJob;

export interface OnnxBatchJob {
  mode: 'onnx-batch';
  /** Absolute path of the .onnx file. */
  path: string;
  input: { name: string; type: string; featureCount: number };
  output: string;
  rows: number;
  seed: number;
  /** onnxruntime's intra-op threads. */
  threads: number;
}

export interface ProbeStageMessage {
  type: 'capacity-stage';
  stage: ProbeStage;
}

export type ProbeReport = {
  type: 'capacity-report';
  pid: number;
  stage: ProbeStage;
  memory: ProbeMemory;
  buildMs: number | null;
  kernelMs: number | null;
} & (
  | { outcome: 'ok'; mean: number; reference: number; detail: string }
  /** A RangeError thrown while allocating, caught: the process survived it. */
  | { outcome: 'allocation-failed'; error: ErrorInfo }
  /** Anything else: an unexpected exception, a wrong result, an unavailable kernel. */
  | { outcome: 'errored'; error: ErrorInfo }
);

/** A report without the fields probe-main fills in itself (distributes over the outcome union). */
export type ProbeReportBody = ProbeReport extends infer R ? (R extends ProbeReport ? Omit<R, 'type' | 'pid' | 'stage'> : never) : never;

export function isProbeReport(msg: unknown): msg is ProbeReport {
  return typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === 'capacity-report';
}

export function isProbeStage(msg: unknown): msg is ProbeStageMessage {
  return typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === 'capacity-stage';
}

/** The messages of the RangeErrors a failed allocation throws (V8 11, Node 20). */
export const ALLOCATION_ERROR_PATTERN =
  /Array buffer allocation failed|Invalid array length|Invalid typed array length|Invalid array buffer length|Cannot allocate memory/i;
