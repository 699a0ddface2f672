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

/** One row of a batch as a worker thread answers it. */
type RowReply = { ok: true; prediction: number } | { ok: false; message: string };

/**
 * What a worker thread answers for a batch: each row's reply and the time of the whole batch; or the
 * failure of the whole. `batchError`: the batch call threw, so its rows were run one by one (a row that
 * makes the model throw then fails alone).
 */
export type BatchReply = { ok: true; predictMs: number; rows: RowReply[]; batchError?: string } | { ok: false; message: string };

/** A batch call's answer as one reply per row: an array (or typed array) of `count` values, each a finite number or a failure. */
function rowReplies(value: unknown, count: number): RowReply[] {
  const list = Array.isArray(value) ? (value as unknown[]) : ArrayBuffer.isView(value) ? Array.from(value as unknown as ArrayLike<unknown>) : undefined;
  if (list === undefined || list.length !== count) {
    throw new PredictFailure(`the batch call returned ${describeValue(value)}, not an array of ${count} predictions`);
  }
  return list.map((v) => {
    try {
      return { ok: true, prediction: checkedPrediction(typeof v === 'bigint' ? Number(v) : v) };
    } catch (err) {
      return { ok: false, message: errorMessage(err) };
    }
  });
}

/** Each row alone through `call`, awaited in turn. */
async function rowByRow(runner: Runner, rows: number[][]): Promise<RowReply[]> {
  const out: RowReply[] = [];
  for (const row of rows) {
    try {
      out.push({ ok: true, prediction: (await runChecked(runner, row)).prediction });
    } catch (err) {
      out.push({ ok: false, message: errorMessage(err) });
    }
  }
  return out;
}

/**
 * A batch through the runner: one batch call when the model takes a batch, else `call` once per row. A batch
 * call that throws is retried row by row (so one bad row fails alone) and says so in `batchError`; one that
 * answers the wrong number of predictions fails every row with what it answered.
 */
export async function runBatchReply(runner: Runner, rows: number[][]): Promise<BatchReply> {
  const t0 = performance.now();
  if (runner.callBatch === undefined) return { ok: true, rows: await rowByRow(runner, rows), predictMs: performance.now() - t0 };
  let value: unknown;
  try {
    value = runner.callBatch(rows);
    if (isThenable(value)) value = await value;
  } catch (err) {
    const retried = await rowByRow(runner, rows);
    return { ok: true, rows: retried, predictMs: performance.now() - t0, batchError: `the batch call threw: ${errorMessage(err)}` };
  }
  try {
    return { ok: true, rows: rowReplies(value, rows.length), predictMs: performance.now() - t0 };
  } catch (err) {
    return { ok: false, message: errorMessage(err) };
  }
}

/** The same on the process's own thread (the sync path's inline module): an answer that is a Promise fails, as `call`'s does there. */
export function runBatchReplySync(runner: Runner, rows: number[][]): BatchReply {
  const t0 = performance.now();
  const notAsync = 'returned a Promise, but it is not declared async: the sync path calls it inline and cannot wait';
  const one = (row: number[]): RowReply => {
    try {
      const v = runner.call(row);
      if (isThenable(v)) {
        Promise.resolve(v).catch(() => undefined);
        return { ok: false, message: `predict ${notAsync}` };
      }
      return { ok: true, prediction: checkedPrediction(v) };
    } catch (err) {
      return { ok: false, message: err instanceof PredictFailure ? err.message : `predict threw: ${errorMessage(err)}` };
    }
  };
  if (runner.callBatch === undefined) return { ok: true, rows: rows.map(one), predictMs: performance.now() - t0 };
  let value: unknown;
  try {
    value = runner.callBatch(rows);
  } catch (err) {
    return { ok: true, rows: rows.map(one), predictMs: performance.now() - t0, batchError: `the batch call threw: ${errorMessage(err)}` };
  }
  if (isThenable(value)) {
    Promise.resolve(value).catch(() => undefined);
    return { ok: false, message: `predictBatch ${notAsync}` };
  }
  try {
    return { ok: true, rows: rowReplies(value, rows.length), predictMs: performance.now() - t0 };
  } catch (err) {
    return { ok: false, message: errorMessage(err) };
  }
}
