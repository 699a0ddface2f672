// The worker thread the sync path blocks on for a model that only answers with a Promise (an ONNX session,
// a module's async predict): run by synckit, compiled to plain JS as synckit needs on Node 20. The process's
// thread waits (Atomics.wait) while this one runs the model, so the process serves nothing meanwhile, as a
// WSGI worker does during its inference. It only runs the model: a call back into a server on the blocked
// thread would deadlock.

import { runAsWorker } from 'synckit';
import { errorMessage } from '../../errors.js';
import { openRunner, runBatchReply, runReply, type BatchReply, type RunReply } from './runner.js';
import type { ModelFileSettings, Runner } from './types.js';

export type BlockingModelOp =
  | { op: 'open'; settings: ModelFileSettings }
  | { op: 'run'; path: string; features: number[] }
  | { op: 'runBatch'; path: string; rows: number[][] };

/** 'open' and 'run' answer a RunReply; 'runBatch' a BatchReply. */
export type BlockingModelReply = RunReply | BatchReply;

/** Models opened on this thread, by file (one process may run more than one). */
const runners = new Map<string, Runner>();

async function handle(op: BlockingModelOp): Promise<BlockingModelReply> {
  if (op.op === 'open') {
    try {
      if (!runners.has(op.settings.path)) runners.set(op.settings.path, await openRunner(op.settings));
      return { ok: true, prediction: 0, predictMs: 0 };
    } catch (err) {
      return { ok: false, message: errorMessage(err) };
    }
  }
  const runner = runners.get(op.path);
  if (runner === undefined) return { ok: false, message: `${op.path} was not opened on the blocking worker` };
  return op.op === 'runBatch' ? runBatchReply(runner, op.rows) : runReply(runner, op.features);
}

runAsWorker(handle);
