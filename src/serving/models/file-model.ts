// The models a user brings as a file, ONNX or a JS module, on each path. Sync path: the process blocks for the
// predict (a module's synchronous predict inline; an ONNX session, or a module's async predict, on a worker
// thread the process waits for with Atomics.wait, through synckit). Async path: the event loop stays free
// (an ONNX session or a synchronous predict on a piscina worker-thread pool, each worker with its own copy; a
// module's async predict awaited). Queue workers take one job at a time and run the model inline.

import { performance } from 'node:perf_hooks';
import { Piscina } from 'piscina';
import { createSyncFn } from 'synckit';
import { errorMessage } from '../../errors.js';
import { compiledEntry } from '../../paths.js';
import type { FilePredict, ModelDescription, ModelIdentity, ModelPlacement, RequestPath } from '../../results/serving.js';
import { HttpError } from '../http-error.js';
import type { BlockingModelOp } from './blocking-worker.js';
import { checkedPrediction, isThenable, openRunner, PredictFailure, runChecked, type RunReply } from './runner.js';
import type { AsyncModel, BlockingModel, ModelFileSettings, ModelKind, ModelSettings, PredictOutcome, Runner } from './types.js';

/** The longest a blocking-worker call may take (opening a big model included); a predict past it is a model_failed. */
const BLOCKING_CALL_LIMIT_MS = 120_000;

function fileOf(s: ModelSettings): ModelFileSettings {
  if (s.file === undefined) throw new Error(`the ${s.predict} predict needs its model file in its settings: this process is started by servebench`);
  return s.file;
}

function placementOf(predict: FilePredict, asyncPredict: boolean, path: RequestPath): ModelPlacement {
  if (path === 'queue') return 'inline';
  if (predict === 'onnx') return path === 'sync' ? 'blocking-worker' : 'worker-pool';
  if (path === 'sync') return asyncPredict ? 'blocking-worker' : 'inline';
  return asyncPredict ? 'event-loop' : 'worker-pool';
}

function describeFileModel(s: ModelSettings, path: RequestPath): ModelDescription {
  const f = fileOf(s);
  const placement = placementOf(f.predict, f.facts.asyncPredict === true, path);
  const threads: ModelDescription['threads'] = {};
  if (f.predict === 'onnx') threads.intraOp = f.onnxThreads;
  if (placement === 'worker-pool') threads.pool = s.poolThreads;
  const d: ModelDescription = {
    predict: f.predict,
    name: f.facts.name,
    file: f.facts.file,
    inputs: f.facts.inputs,
    outputs: f.facts.outputs,
    featureCount: f.facts.featureCount,
    runtime: f.facts.runtime,
    placement,
    threads,
  };
  if (f.facts.asyncPredict !== undefined) d.asyncPredict = f.facts.asyncPredict;
  return d;
}

/** The model named in per-request errors: 'model-a (model-a.onnx)'. */
function failed(s: ModelSettings, message: string): HttpError {
  return new HttpError(500, 'model_failed', `${s.service} (${fileOf(s).facts.name}): ${message}`);
}

function identity(d: ModelDescription): ModelIdentity {
  const file = d.file === undefined ? undefined : { name: d.file.name, bytes: d.file.bytes, sha256: d.file.sha256 };
  return { name: d.name, ...(file === undefined ? {} : { file }), runtime: `${d.runtime.name} ${d.runtime.version}`, placement: d.placement };
}

/** A reply from a worker thread as an outcome, or the model_failed error it stands for. */
function fromReply(s: ModelSettings, reply: RunReply, extra: PredictOutcome['extra']): PredictOutcome {
  if (!reply.ok) throw failed(s, reply.message);
  return { prediction: reply.prediction, predictMs: reply.predictMs, extra };
}

/** Sync path, a synchronous predict: called on the process's own thread. */
function inlineBlocking(s: ModelSettings, description: ModelDescription): BlockingModel {
  let runner: Runner | undefined;
  const extra = { modelInfo: identity(description) };
  return {
    predict: s.predict,
    mode: 'blocking',
    description,
    warm: async () => {
      runner = await openRunner(fileOf(s));
    },
    close: async () => runner?.close(),
    run(input) {
      if (runner === undefined) throw new HttpError(503, 'model_not_ready', `${s.service}: the model is not loaded yet`);
      const t0 = performance.now();
      let value: unknown;
      try {
        value = runner.call(input.features);
      } catch (err) {
        throw failed(s, `predict threw: ${errorMessage(err)}`);
      }
      const predictMs = performance.now() - t0;
      if (isThenable(value)) {
        // Nobody will wait for it: keep its rejection from being unhandled.
        Promise.resolve(value).catch(() => undefined);
        throw failed(
          s,
          'predict returned a Promise, but it is not declared async: the sync path calls it inline and cannot wait; ' +
            'return a number, or declare it `async function predict` (the sync path then blocks on it through a worker thread)',
        );
      }
      try {
        return { prediction: checkedPrediction(value), predictMs, extra };
      } catch (err) {
        throw failed(s, errorMessage(err));
      }
    },
  };
}

/** Sync path, a model that answers with a Promise: the process blocks on a worker thread that runs it. */
function blockingWorker(s: ModelSettings, description: ModelDescription): BlockingModel {
  const file = fileOf(s);
  const call = createSyncFn<(op: BlockingModelOp) => Promise<RunReply>>(compiledEntry('src/serving/models/blocking-worker'), {
    timeout: BLOCKING_CALL_LIMIT_MS,
  });
  const extra = { modelInfo: identity(description) };
  const run = (features: number[]): PredictOutcome => {
    const t0 = performance.now();
    let reply: RunReply;
    try {
      reply = call({ op: 'run', path: file.path, features });
    } catch (err) {
      throw failed(s, `the blocking worker failed: ${errorMessage(err)}`);
    }
    // The process was blocked for the whole call, hop included: that is the predict's cost on this path.
    return { ...fromReply(s, reply, extra), predictMs: performance.now() - t0 };
  };
  return {
    predict: s.predict,
    mode: 'blocking',
    description,
    async warm() {
      const opened = call({ op: 'open', settings: file });
      if (!opened.ok) throw new Error(opened.message);
      // One run before the first request, so the first request does not pay the session's first-run setup.
      if (file.predict === 'onnx') run(new Array<number>(file.facts.featureCount).fill(0));
    },
    close: async () => undefined,
    run: (input) => run(input.features),
  };
}

/** Async path, a model that would hold the event loop: a piscina pool, each worker with its own copy. */
function workerPool(s: ModelSettings, description: ModelDescription): AsyncModel {
  const file = fileOf(s);
  const pool = new Piscina<number[] | undefined, RunReply>({
    filename: compiledEntry('src/serving/models/pool-worker'),
    workerData: file,
    minThreads: s.poolThreads,
    maxThreads: s.poolThreads,
    idleTimeout: 60_000,
  });
  const extra = { modelInfo: identity(description) };
  return {
    predict: s.predict,
    mode: 'async',
    description,
    async warm() {
      // Each worker opens its copy before the first request (concurrent tasks land on distinct idle workers).
      const replies = await Promise.all(Array.from({ length: s.poolThreads }, () => pool.run(undefined)));
      const bad = replies.find((r) => !r.ok);
      if (bad !== undefined && !bad.ok) throw new Error(bad.message);
    },
    close: () => pool.destroy(),
    async run(input) {
      const t0 = performance.now();
      const reply = await pool.run(input.features);
      const outcome = fromReply(s, reply, extra);
      return { ...outcome, queueMs: Math.max(0, performance.now() - t0 - outcome.predictMs) };
    },
  };
}

/** A queue worker's model (one job at a time), or a module's async predict awaited on the event loop. */
function inlineAsync(s: ModelSettings, description: ModelDescription): AsyncModel {
  let runner: Runner | undefined;
  const extra = { modelInfo: identity(description) };
  return {
    predict: s.predict,
    mode: 'async',
    description,
    warm: async () => {
      runner = await openRunner(fileOf(s));
    },
    close: async () => runner?.close(),
    async run(input) {
      if (runner === undefined) throw new HttpError(503, 'model_not_ready', `${s.service}: the model is not loaded yet`);
      try {
        return { ...(await runChecked(runner, input.features)), extra };
      } catch (err) {
        throw failed(s, err instanceof PredictFailure ? err.message : `predict failed: ${errorMessage(err)}`);
      }
    },
  };
}

function fileModelKind(predict: FilePredict): ModelKind {
  const kind: ModelKind = {
    predict,
    describe: describeFileModel,
    blocking(s) {
      const d = describeFileModel(s, 'sync');
      return d.placement === 'inline' ? inlineBlocking(s, d) : blockingWorker(s, d);
    },
    async(s, path) {
      const d = describeFileModel(s, path);
      return d.placement === 'worker-pool' ? workerPool(s, d) : inlineAsync(s, d);
    },
  };
  return kind;
}

export const onnxModel: ModelKind = fileModelKind('onnx');
export const moduleModel: ModelKind = fileModelKind('module');
