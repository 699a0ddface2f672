// The sync path's blocking client: a Redis GET or a model API call that blocks the calling thread until
// it is done, as a WSGI worker's requests/redis-py calls do. Built on synckit (Atomics.wait on a shared
// buffer while a worker thread does the I/O), so the event loop truly stops: nothing else is served meanwhile.

import { createSyncFn } from 'synckit';
import { compiledEntry } from '../../paths.js';
import type { PredictResponse } from '../../results/serving.js';
import { HttpError } from '../http-error.js';
import { fromFailureData, type UpstreamFailureData } from '../upstream.js';

export type BlockingOp =
  | { op: 'init'; redis?: { url: string; keyPrefix: string; timeoutMs: number }; models: { a: string; b: string }; modelTimeoutMs: number }
  | { op: 'get'; entity: string }
  | { op: 'predict'; model: 'a' | 'b'; body: string };

export type BlockingReply =
  | { ok: true; value?: string | undefined; response?: PredictResponse }
  | { ok: false; failure: UpstreamFailureData }
  | { ok: false; internal: string };

export class BlockingClient {
  private readonly call: (op: BlockingOp) => BlockingReply;

  /** @param maxWaitMs the longest any call may block; the worker enforces the real per-call deadlines. */
  constructor(maxWaitMs: number) {
    this.call = createSyncFn(compiledEntry('src/serving/paths/sync-client-worker'), { timeout: maxWaitMs });
  }

  init(op: Extract<BlockingOp, { op: 'init' }>): void {
    this.unwrap(this.call(op));
  }

  /** The stored features (JSON text) of an entity, or undefined when unknown. Blocks. */
  get(entity: string): string | undefined {
    return this.unwrap(this.call({ op: 'get', entity })).value;
  }

  /** POST /predict to model a or b. Blocks. */
  predict(model: 'a' | 'b', body: string): PredictResponse {
    const r = this.unwrap(this.call({ op: 'predict', model, body })).response;
    if (r === undefined) throw new HttpError(500, 'internal', 'the blocking client returned no model answer');
    return r;
  }

  private unwrap(reply: BlockingReply): Extract<BlockingReply, { ok: true }> {
    if (reply.ok) return reply;
    if ('failure' in reply) throw fromFailureData(reply.failure);
    throw new HttpError(500, 'internal', `blocking client: ${reply.internal}`);
  }
}
