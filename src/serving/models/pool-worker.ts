// A worker of a model's worker-thread pool (piscina), the async path's home for an ONNX session or a module's
// synchronous predict: each worker opens the model once (its own session, or its own import and load()), from
// the settings the pool gave it, and runs one request's features at a time.

import { workerData } from 'piscina';
import { openRunner, runReply, type RunReply } from './runner.js';
import type { ModelFileSettings, Runner } from './types.js';

let opening: Promise<Runner> | undefined;

/** Features to run, or undefined to open the model only (warming the pool). */
export default async function run(features: number[] | undefined): Promise<RunReply> {
  opening ??= openRunner(workerData as ModelFileSettings);
  let runner: Runner;
  try {
    runner = await opening;
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  if (features === undefined) return { ok: true, prediction: 0, predictMs: 0 };
  return runReply(runner, features);
}
