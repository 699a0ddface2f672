// The queue path's broker: which Redis carries the jobs (the feature store's own when that is Redis, else
// REDIS_URL / --redis-url, else a redis-server servebench starts), the connection that watches its jobs
// list, and the RunningQueue view callers get of it. Without a Redis the path is unavailable, with the
// reason: there is no embedded stand-in for a queue.

import { Redis } from 'ioredis';
import { ServebenchError, errorMessage } from '../../errors.js';
import type { ProcessLifecycleEvent, Supervisor } from '../../processes/index.js';
import type { QueueDepthSample, SystemProcess } from '../../results/serving.js';
import { DEFAULTS } from '../config.js';
import { provisionStore, redisServerVersion, type ProvisionedStore } from '../feature-store/provision.js';
import { epochMs } from '../http.js';
import type { ResolvedSystemOptions, RunningQueue } from '../types.js';

export type QueueAvailability = { available: true; broker: string } | { available: false; reason: string };

/** Whether the queue path can run here: it needs a real Redis (REDIS_URL / --redis-url, or redis-server on PATH). */
export async function queueAvailability(redisUrl?: string): Promise<QueueAvailability> {
  const external = redisUrl ?? process.env.REDIS_URL;
  if (external !== undefined && external !== '') return { available: true, broker: `the Redis at ${external}` };
  const version = await redisServerVersion();
  if (version !== undefined) return { available: true, broker: `redis-server ${version}` };
  return {
    available: false,
    reason:
      'the queue path needs a real Redis as its broker: REDIS_URL (or --redis-url) is not set and no redis-server is on PATH ' +
      '(Debian: apt-get install redis-server); servebench has no embedded stand-in for a queue',
  };
}

/** The Redis the jobs go through. */
export interface Broker {
  url: string;
  /** e.g. 'redis-server 7.0.15 started by servebench on 127.0.0.1:PORT'. */
  detail: string;
  /** The Redis provisioned for the broker alone; none when the feature store's Redis serves as the broker. */
  own?: ProvisionedStore;
}

/** The feature store's Redis when it has one, else a Redis of the broker's own. */
export async function provisionBroker(
  o: ResolvedSystemOptions,
  store: ProvisionedStore,
  supervisor: Supervisor,
  report?: (e: ProcessLifecycleEvent) => void,
): Promise<Broker> {
  if (store.config.kind === 'redis') return { url: store.config.url, detail: `${store.detail} (the feature store's Redis)` };
  const own = await provisionStore({
    processName: 'redis-server-queue',
    restart: o.restart,
    ...(report === undefined ? {} : { report }),
    store: 'redis',
    redisUrl: o.redisUrl,
    entities: 0,
    seed: o.seed,
    featureCount: DEFAULTS.featureCount,
    supervisor,
    readyTimeoutMs: o.timeoutsMs.ready,
  });
  if (own.config.kind !== 'redis') {
    await own.stop().catch(() => undefined);
    throw new ServebenchError('SB_ERR_MISSING_TOOL', `the queue path needs a real Redis as its broker, and none could be had: ${own.notes.join('; ')}`);
  }
  return { url: own.config.url, detail: own.detail, own };
}

/** A connection of servebench's own to the broker: depth samples, and the run's keys deleted at the end. */
export async function connectMonitor(url: string): Promise<Redis> {
  const monitor = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 5000,
    commandTimeout: 2000,
    retryStrategy: (t: number) => Math.min(t * 100, 1000),
  });
  monitor.on('error', () => undefined);
  try {
    await monitor.connect();
  } catch (err) {
    monitor.disconnect();
    throw new ServebenchError('SB_ERR_UPSTREAM', `cannot reach the queue's Redis at ${url}: ${errorMessage(err)}`, { cause: err });
  }
  return monitor;
}

/** The queue as callers see it: the broker, its jobs list and its depth. */
export function runningQueue(monitor: Redis, broker: Broker, jobsKey: string, workers: () => SystemProcess[]): RunningQueue {
  const depth = async () => monitor.llen(jobsKey);
  return {
    redisUrl: broker.url,
    jobsKey,
    broker: broker.detail,
    workers,
    depth,
    sampleDepth: (intervalMs) => sampleDepth(depth, intervalMs),
  };
}

/** `depth()` every `intervalMs` until stop(), which returns the samples; a failed read is skipped. */
function sampleDepth(depth: () => Promise<number>, intervalMs: number): { stop(): QueueDepthSample[] } {
  const samples: QueueDepthSample[] = [];
  let busy = false;
  const take = () => {
    // One LLEN at a time: a slow answer must not pile up commands.
    if (busy) return;
    busy = true;
    depth()
      .then((d) => samples.push({ atMs: epochMs(), depth: d }))
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  };
  take();
  const timer = setInterval(take, intervalMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      return samples;
    },
  };
}

/** Delete every key under the run's prefix (jobs list, reply lists). */
export async function deleteRunKeys(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, found] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (found.length > 0) await client.del(...found);
  } while (cursor !== '0');
}
