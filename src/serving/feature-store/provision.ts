// Finding and filling the feature store a system uses: REDIS_URL (or --redis-url) if given, else a
// redis-server from PATH that servebench starts on a free loopback port and stops afterwards, else the
// embedded in-process store, with a note saying why.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { ServebenchError, errorMessage } from '../../errors.js';
import { freePort, type ManagedProcess, type Supervisor } from '../../processes/index.js';
import type { StoreKind, SystemProcess } from '../../results/serving.js';
import type { StoreConfig } from '../config.js';
import type { ResolvedSystemOptions } from '../types.js';
import { startGuarded } from '../topology/process.js';
import { entityFeatures, entityId, redisKey } from './loader.js';

const execFileP = promisify(execFile);

export interface ProvisionedStore {
  config: StoreConfig;
  kind: StoreKind;
  /** e.g. 'redis-server 7.0.15 started by servebench on 127.0.0.1:PORT' or 'embedded in-process store ...'. */
  detail: string;
  versions: Record<string, string>;
  notes: string[];
  /** The redis-server servebench started, if any (its guard process), and the server's own pid. */
  process?: ManagedProcess;
  pid?: number;
  stop(): Promise<void>;
}

export interface StoreRequest {
  store: StoreKind;
  redisUrl?: string | undefined;
  entities: number;
  seed: number;
  featureCount: number;
  supervisor: Supervisor;
  readyTimeoutMs: number;
}

/** The feature store a system asks for, from its options. */
export function systemStoreRequest(o: ResolvedSystemOptions, supervisor: Supervisor): StoreRequest {
  return {
    store: o.store,
    redisUrl: o.redisUrl,
    entities: o.entities,
    seed: o.seed,
    featureCount: o.featureCount,
    supervisor,
    readyTimeoutMs: o.timeoutsMs.ready,
  };
}

/** The redis-server a store started, while it runs, as a process of the system (none for any other store). */
export function storeServerProcesses(store: ProvisionedStore | undefined, role: string, name: string): SystemProcess[] {
  if (store?.process === undefined || store.pid === undefined || store.process.exited) return [];
  return [{ role, pid: store.pid, name }];
}

/** The version of the redis-server on PATH, or undefined when there is none. */
export async function redisServerVersion(): Promise<string | undefined> {
  try {
    const { stdout } = await execFileP('redis-server', ['--version'], { timeout: 5000 });
    return /v=(\S+)/.exec(stdout)?.[1] ?? stdout.trim();
  } catch {
    return undefined;
  }
}

function memoryStore(req: StoreRequest, notes: string[]): ProvisionedStore {
  return {
    config: { kind: 'memory', entities: req.entities },
    kind: 'memory',
    detail: `embedded in-process store (a Map of ${req.entities} entities in each scoring process)`,
    versions: {},
    notes,
    stop: async () => undefined,
  };
}

export async function provisionStore(req: StoreRequest): Promise<ProvisionedStore> {
  if (req.store === 'memory') return memoryStore(req, []);
  const external = req.redisUrl ?? process.env.REDIS_URL;
  if (external !== undefined && external !== '') return useExternalRedis(req, external);
  const version = await redisServerVersion();
  if (version === undefined) {
    return memoryStore(req, [
      'store: redis was asked for, but REDIS_URL is not set and no redis-server is on PATH: using the embedded in-process store instead',
    ]);
  }
  const port = await freePort();
  const { proc, pid } = await startGuarded(req.supervisor, {
    name: 'redis-server',
    command: 'redis-server',
    // No persistence: a benchmark's feature store is loaded fresh each run; nothing to write to disk.
    args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning', '--protected-mode', 'yes'],
    ready: { kind: 'tcp', host: '127.0.0.1', port },
    readyTimeoutMs: req.readyTimeoutMs,
    stopTimeoutMs: 3000,
  });
  const url = `redis://127.0.0.1:${port}`;
  const keyPrefix = 'servebench:features:';
  try {
    await loadEntities(url, keyPrefix, req);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return {
    config: { kind: 'redis', url, keyPrefix, entities: req.entities },
    kind: 'redis',
    detail: `redis-server ${version} started by servebench on 127.0.0.1:${port}`,
    versions: { redis: version },
    notes: [],
    process: proc,
    pid,
    stop: async () => {
      await proc.stop();
    },
  };
}

async function useExternalRedis(req: StoreRequest, url: string): Promise<ProvisionedStore> {
  // A run's own key prefix: the Redis may be shared, so never touch keys servebench did not write.
  const keyPrefix = `servebench:${process.pid}:${Date.now().toString(36)}:`;
  let version = 'unknown';
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5000, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const info = await client.info('server');
    version = /redis_version:(\S+)/.exec(info)?.[1] ?? version;
  } catch (err) {
    client.disconnect();
    throw new ServebenchError('SB_ERR_UPSTREAM', `cannot reach the Redis at ${url} (REDIS_URL / --redis-url): ${errorMessage(err)}`, { cause: err });
  }
  client.disconnect();
  await loadEntities(url, keyPrefix, req);
  return {
    config: { kind: 'redis', url, keyPrefix, entities: req.entities },
    kind: 'redis',
    detail: `redis ${version} at ${url} (given by REDIS_URL or --redis-url; keys under ${keyPrefix})`,
    versions: { redis: version },
    notes: [],
    stop: async () => {
      await deleteEntities(url, keyPrefix, req.entities).catch(() => undefined);
    },
  };
}

/** Fill Redis with the seeded entities, in pipelined batches. */
async function loadEntities(url: string, keyPrefix: string, req: StoreRequest): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5000, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const batch = 2000;
    for (let start = 0; start < req.entities; start += batch) {
      const p = client.pipeline();
      for (let i = start; i < Math.min(req.entities, start + batch); i++) {
        p.set(redisKey(keyPrefix, entityId(i)), JSON.stringify(entityFeatures(req.seed, i, req.featureCount)));
      }
      const results = await p.exec();
      const failed = results?.find(([e]) => e !== null);
      if (failed !== undefined) throw failed[0];
    }
  } catch (err) {
    throw new ServebenchError('SB_ERR_UPSTREAM', `loading ${req.entities} entities into Redis at ${url} failed: ${errorMessage(err)}`, { cause: err });
  } finally {
    client.disconnect();
  }
}

async function deleteEntities(url: string, keyPrefix: string, entities: number): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    for (let start = 0; start < entities; start += 2000) {
      const keys: string[] = [];
      for (let i = start; i < Math.min(entities, start + 2000); i++) keys.push(redisKey(keyPrefix, entityId(i)));
      await client.del(...keys);
    }
  } finally {
    client.disconnect();
  }
}
