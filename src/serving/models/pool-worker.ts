// A worker of a model's worker-thread pool (piscina), the async path's home for an ONNX session or a module's
// synchronous predict: each worker opens the model once (its own session, or its own import and load()), from
// the settings the pool gave it, and runs one request's features at a time, or a batch's rows in one task.

import { workerData } from 'piscina';
import { openRunner, runBatchReply, runReply, type BatchReply, type RunReply } from './runner.js';
import type { ModelFileSettings, Runner } from './types.js';

let opening: Promise<Runner> | undefined;

/** A pool task: one request's features, a batch's rows, or undefined to open the model only (warming the pool). */
export type PoolModelTask = number[] | { rows: number[][] } | undefined;

/** Features answer a RunReply, a batch a BatchReply. */
export default async function run(task: PoolModelTask): Promise<RunReply | BatchReply> {
  opening ??= openRunner(workerData as ModelFileSettings);
  let runner: Runner;
  try {
    runner = await opening;
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  if (task === undefined) return { ok: true, prediction: 0, predictMs: 0 };
  return Array.isArray(task) ? runReply(runner, task) : runBatchReply(runner, task.rows);
}
