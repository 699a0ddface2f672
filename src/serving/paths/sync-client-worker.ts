// The worker thread behind the sync path's blocking client (run by synckit; compiled to plain JS, as
// synckit needs on Node 20). It only ever calls other processes (Redis, the model APIs): a call to a
// server on the blocked thread would deadlock.

import { runAsWorker } from 'synckit';
import { errorMessage } from '../../errors.js';
import { RedisStoreClient } from '../feature-store/redis-client.js';
import { ModelClient } from '../model-client.js';
import { UpstreamError, toFailureData } from '../upstream.js';
import type { BlockingOp, BlockingReply } from './blocking-client.js';

let redis: RedisStoreClient | undefined;
let models: { a: ModelClient; b: ModelClient } | undefined;

async function handle(op: BlockingOp): Promise<BlockingReply> {
  try {
    switch (op.op) {
      case 'init': {
        if (op.redis !== undefined) {
          redis = new RedisStoreClient(op.redis.url, op.redis.keyPrefix, op.redis.timeoutMs);
          await redis.connect();
        }
        // One request at a time per process: a couple of keep-alive connections per model are plenty.
        models = { a: new ModelClient('model-a', op.models.a, op.modelTimeoutMs, 2), b: new ModelClient('model-b', op.models.b, op.modelTimeoutMs, 2) };
        return { ok: true };
      }
      case 'get': {
        if (redis === undefined) return { ok: false, internal: 'the blocking client has no Redis connection' };
        return { ok: true, value: await redis.getRaw(op.entity) };
      }
      case 'predict': {
        if (models === undefined) return { ok: false, internal: 'the blocking client was not initialised' };
        const r = await models[op.model].predict(op.body);
        return { ok: true, response: r.response };
      }
    }
  } catch (err) {
    if (err instanceof UpstreamError) return { ok: false, failure: toFailureData(err) };
    return { ok: false, internal: errorMessage(err) };
  }
}

runAsWorker(handle);
