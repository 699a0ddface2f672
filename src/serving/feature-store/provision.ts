// Finding and filling the feature store a system uses: REDIS_URL (or --redis-url) if given, else a
// redis-server from PATH that servebench starts on a free loopback port and stops afterwards, else the
// embedded in-process store, with a note saying why. A redis-server servebench started keeps its seeded data
// across a restart: once loaded, the data is saved to a snapshot (SAVE, to an RDB file in a temp folder),
// which a restarted redis-server (same port) loads before it answers; what was written after the load (the
// queue's lists) is lost with it.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { ServebenchError, errorMessage } from '../../errors.js';
import { freePort, KeptProcess, type ProcessLifecycleEvent, type RestartPolicy, type Supervisor } from '../../processes/index.js';
import type { StoreKind, SystemProcess } from '../../results/serving.js';
import type { StoreConfig } from '../config.js';
import type { ResolvedSystemOptions } from '../types.js';
import { guardedExit, startGuarded } from '../topology/process.js';
import { entityFeatures, entityId, redisKey } from './loader.js';

const execFileP = promisify(execFile);

export interface ProvisionedStore {
  config: StoreConfig;
  kind: StoreKind;
  /** e.g. 'redis-server 7.0.15 started by servebench on 127.0.0.1:PORT' or 'embedded in-process store ...'. */
  detail: string;
  versions: Record<string, string>;
  notes: string[];
  /** The redis-server servebench started, if any: its own pid now (undefined while it is down). */
  serverPid?: () => number | undefined;
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
  /** A redis-server servebench starts: its name in messages and events. @default 'redis-server' */
  processName?: string;
  /** How that redis-server is restarted when it dies. @default false */
  restart?: RestartPolicy | false;
  /** Its exits and restarts. */
  report?: (e: ProcessLifecycleEvent) => void;
}

/** The feature store a system asks for, from its options. */
export function systemStoreRequest(o: ResolvedSystemOptions, supervisor: Supervisor, report?: (e: ProcessLifecycleEvent) => void): StoreRequest {
  return {
    restart: o.restart,
    ...(report === undefined ? {} : { report }),
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
  const pid = store?.serverPid?.();
  return pid === undefined ? [] : [{ role, pid, name }];
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
  return startRedisServer(req, version);
}

/** A redis-server of servebench's own on a free loopback port, seeded, snapshotted, and kept running. */
async function startRedisServer(req: StoreRequest, version: string): Promise<ProvisionedStore> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'servebench-redis-'));
  const name = req.processName ?? 'redis-server';
  let pid: number | undefined;
  // No persistence but the snapshot taken once after seeding (SAVE): a restart loads it back.
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning', '--protected-mode', 'yes'];
  const launch = async () => {
    const started = await startGuarded(
      req.supervisor,
      {
        name,
        command: 'redis-server',
        args: [...args, '--dir', dir, '--dbfilename', 'seed.rdb'],
        ready: { kind: 'tcp', host: '127.0.0.1', port },
        readyTimeoutMs: req.readyTimeoutMs,
        stopTimeoutMs: 3000,
      },
      dir,
    );
    pid = started.pid;
    return started.proc;
  };
  const kept = new KeptProcess(name, launch, req.restart ?? false, req.report ?? (() => undefined), { pidOf: () => pid ?? 0, exitOf: guardedExit });
  const stop = async () => {
    await kept.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `redis://127.0.0.1:${port}`;
  const keyPrefix = 'servebench:features:';
  try {
    await kept.start();
    await loadEntities(url, keyPrefix, req, true);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    config: { kind: 'redis', url, keyPrefix, entities: req.entities },
    kind: 'redis',
    detail: `redis-server ${version} started by servebench on 127.0.0.1:${port}`,
    versions: { redis: version },
    notes: [],
    serverPid: () => (kept.current === undefined ? undefined : pid),
    stop,
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

/** Fill Redis with the seeded entities, in pipelined batches; `snapshot`: then SAVE them to its RDB file. */
async function loadEntities(url: string, keyPrefix: string, req: StoreRequest, snapshot = false): Promise<void> {
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
    // The snapshot a restarted redis-server of servebench's own loads back (a shared Redis saves as it is set up to).
    if (snapshot) await client.save();
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
