// The Redis side of the feature store as a scoring process uses it: one ioredis connection, commands
// that fail fast while Redis is down (no offline queue) and time out when it hangs, so a request gets a
// 503 or 504 naming the cause instead of waiting forever.

import { Redis } from 'ioredis';
import { errorMessage } from '../../errors.js';
import { UpstreamError } from '../upstream.js';
import { redisKey } from './loader.js';

export class RedisStoreClient {
  readonly kind = 'redis' as const;
  private readonly client: Redis;
  private lastError: string | undefined;

  constructor(
    private readonly url: string,
    private readonly keyPrefix: string,
    private readonly timeoutMs: number,
  ) {
    this.client = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: timeoutMs,
      connectTimeout: Math.max(timeoutMs, 1000),
      // Keep trying to come back after Redis restarts; a request meanwhile fails fast with a 503.
      retryStrategy: (times: number) => Math.min(times * 100, 1000),
    });
    // ioredis prints unhandled 'error' events; keep the cause for the 503 message instead.
    this.client.on('error', (err: Error) => {
      this.lastError = err.message;
    });
    this.client.on('ready', () => {
      this.lastError = undefined;
    });
  }

  /** Connect, failing if Redis is not reachable within the timeout. */
  async connect(): Promise<void> {
    await this.client.connect();
  }

  /** The entity's features as stored (a JSON array), or undefined for an unknown entity. */
  async getRaw(entity: string): Promise<string | undefined> {
    try {
      const v = await this.client.get(redisKey(this.keyPrefix, entity));
      return v ?? undefined;
    } catch (err) {
      throw this.classify(err);
    }
  }

  private classify(err: unknown): UpstreamError {
    const message = errorMessage(err);
    const where = `feature store (redis at ${this.url})`;
    if (/timed out/i.test(message)) return new UpstreamError('feature_store', 'timeout', `${where} did not answer within ${this.timeoutMs} ms`);
    const cause = this.lastError ?? message;
    return new UpstreamError('feature_store', 'unavailable', `${where} is unavailable: ${cause}`);
  }

  close(): void {
    this.client.disconnect();
  }
}
