// A model file opened on the thread that runs it (the process's own, a blocking worker, a pool worker): an
// ONNX session or a user's module, called with one request's features. The answer is checked in one place:
// a finite number, else a failure that says what came back.

import { performance } from 'node:perf_hooks';
import { errorMessage } from '../../errors.js';
import type { ModelFileSettings, Runner } from './types.js';
import { openModule } from './module.js';
import { openOnnx } from './onnx.js';

export function openRunner(settings: ModelFileSettings): Promise<Runner> {
  return settings.predict === 'onnx' ? openOnnx(settings) : openModule(settings);
}

/** A predict that failed or answered something other than a number: the message says which. */
export class PredictFailure extends Error {
  override readonly name = 'PredictFailure';
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)}`;
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** A model's answer as a prediction: a finite number, else a PredictFailure naming what it was. */
export function checkedPrediction(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new PredictFailure(`predict returned ${describeValue(value)}, not a finite number`);
}

/** Whether a value is a Promise (or any thenable). */
export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/** Call the runner and await its answer, timed; any failure becomes a PredictFailure with what it threw. */
export async function runChecked(runner: Runner, features: number[]): Promise<{ prediction: number; predictMs: number }> {
  const t0 = performance.now();
  let value: unknown;
  try {
    value = runner.call(features);
    if (isThenable(value)) value = await value;
  } catch (err) {
    throw new PredictFailure(`predict threw: ${errorMessage(err)}`);
  }
  const predictMs = performance.now() - t0;
  return { prediction: checkedPrediction(value), predictMs };
}

/** What a worker thread answers for one predict: the prediction, or the failure's message (errors do not cross threads whole). */
export type RunReply = { ok: true; prediction: number; predictMs: number } | { ok: false; message: string };

/** runChecked as a reply a worker thread sends back. */
export async function runReply(runner: Runner, features: number[]): Promise<RunReply> {
  try {
    return { ok: true, ...(await runChecked(runner, features)) };
  } catch (err) {
    return { ok: false, message: errorMessage(err) };
  }
}
