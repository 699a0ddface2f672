// Starting the queue path (seed 001's "Redis queue in front of model workers"): the feature store, a real
// Redis as the broker (the feature store's own when that is Redis, else REDIS_URL / --redis-url, else a
// redis-server servebench starts), W model worker processes taking jobs off its list, and the scoring
// handler (single, cluster or nginx, as on the other paths) pushing them. Without a Redis the path is
// unavailable, with the reason: there is no embedded stand-in for a queue.

import { Redis } from 'ioredis';
import { ServebenchError, errorMessage } from '../../errors.js';
import { exitDescription, Supervisor, type ManagedProcess } from '../../processes/index.js';
import type { QueueDepthSample, QueueDescription, SystemProcess } from '../../results/serving.js';
import { DEFAULTS, describeSystem, QUEUE_WORKER_CONFIG_ENV, scoringServiceConfig, type QueueWorkerConfig } from '../config.js';
import { provisionStore, redisServerVersion, storeServerProcesses, type ProvisionedStore } from '../feature-store/provision.js';
import { epochMs } from '../http.js';
import type { ResolvedSystemOptions, RunningSystem } from '../system.js';
import { startService, SystemEvents, type CommandWrapper, type ServiceHandle } from '../topology/index.js';
import { startNodeService } from '../topology/process.js';
import { queueKeys } from './protocol.js';

/** The queue path's broker and its list, as the load suite and tests use it. */
export interface RunningQueue {
  redisUrl: string;
  jobsKey: string;
  /** e.g. 'redis-server 7.0.15 started by servebench on 127.0.0.1:PORT'. */
  broker: string;
  /** Model worker processes alive now. */
  workers(): SystemProcess[];
  /** LLEN of the jobs list: jobs waiting for a worker. */
  depth(): Promise<number>;
  /** LLEN every `intervalMs` until stop(), which returns the samples (a failed LLEN is skipped, not fatal). */
  sampleDepth(intervalMs: number): { stop(): QueueDepthSample[] };
}

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

export async function startQueueSystem(o: ResolvedSystemOptions, wrapScoring: CommandWrapper | undefined): Promise<RunningSystem> {
  const avail = await queueAvailability(o.redisUrl);
  if (!avail.available) throw new ServebenchError('SB_ERR_MISSING_TOOL', avail.reason);
  const modelWorkers = o.modelWorkers ?? DEFAULTS.modelWorkers;
  const supervisor = new Supervisor();
  const events = new SystemEvents();
  const services: ServiceHandle[] = [];
  const workerTable = new Map<string, { proc: ManagedProcess; entry: SystemProcess }>();
  const notes = [...o.notes];
  let store: ProvisionedStore | undefined;
  let broker: ProvisionedStore | undefined;
  let monitor: Redis | undefined;
  let stopping = false;
  const keys = queueKeys();
  const stopEverything = async () => {
    stopping = true;
    for (const s of [...services].reverse()) await s.stop().catch(() => undefined);
    await Promise.all([...workerTable.values()].map((w) => w.proc.stop().catch(() => undefined)));
    if (monitor !== undefined) {
      // A shared Redis keeps lists after the run: delete this run's (a Redis servebench started is stopped anyway).
      await deleteRunKeys(monitor, keys.prefix).catch(() => undefined);
      monitor.disconnect();
    }
    await broker?.stop().catch(() => undefined);
    await store?.stop().catch(() => undefined);
    await supervisor.stopAll();
  };
  try {
    store = await provisionStore({
      store: o.store,
      redisUrl: o.redisUrl,
      entities: o.entities,
      seed: o.seed,
      featureCount: DEFAULTS.featureCount,
      supervisor,
      readyTimeoutMs: o.timeoutsMs.ready,
    });
    notes.push(...store.notes);
    let brokerUrl: string;
    let brokerDetail: string;
    if (store.config.kind === 'redis') {
      brokerUrl = store.config.url;
      brokerDetail = `${store.detail} (the feature store's Redis)`;
    } else {
      broker = await provisionStore({
        store: 'redis',
        redisUrl: o.redisUrl,
        entities: 0,
        seed: o.seed,
        featureCount: DEFAULTS.featureCount,
        supervisor,
        readyTimeoutMs: o.timeoutsMs.ready,
      });
      if (broker.config.kind !== 'redis')
        throw new ServebenchError('SB_ERR_MISSING_TOOL', `the queue path needs a real Redis as its broker, and none could be had: ${broker.notes.join('; ')}`);
      brokerUrl = broker.config.url;
      brokerDetail = broker.detail;
    }
    monitor = new Redis(brokerUrl, {
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
      throw new ServebenchError('SB_ERR_UPSTREAM', `cannot reach the queue's Redis at ${brokerUrl}: ${errorMessage(err)}`, { cause: err });
    }

    // The model workers, then the scoring front that feeds them.
    const workerConfig = (i: number): QueueWorkerConfig => ({
      name: `model-worker-w${i}`,
      url: brokerUrl,
      jobsKey: keys.jobsKey,
      predict: o.predict,
      ioWaitMs: o.ioWaitMs,
      ...(o.kernel === undefined ? {} : { kernel: o.kernel }),
      n: o.n ?? DEFAULTS.n,
      nMax: o.nMax,
      seed: o.seed,
      featureCount: DEFAULTS.featureCount,
      metricsIntervalMs: o.metricsIntervalMs,
    });
    await Promise.all(
      Array.from({ length: modelWorkers }, async (_, i) => {
        const cfg = workerConfig(i);
        const { proc } = await startNodeService(supervisor, {
          name: cfg.name,
          entry: 'src/serving/queue/worker-main',
          env: { [QUEUE_WORKER_CONFIG_ENV]: JSON.stringify(cfg) },
          readyTimeoutMs: o.timeoutsMs.ready,
          onMessage: (msg) => {
            if (msg.type === 'metrics') events.emitMetrics(msg.metrics);
          },
        });
        workerTable.set(cfg.name, { proc, entry: { role: 'model-worker', pid: proc.pid, name: cfg.name, service: 'model-worker' } });
        void proc.waitForExit().then((e) => {
          if (stopping) return;
          workerTable.delete(cfg.name);
          events.emitNotice({
            kind: 'process-exited',
            name: cfg.name,
            pid: proc.pid,
            message: `${cfg.name} (pid ${proc.pid}) ${exitDescription(e)}; the jobs it held are lost (their requests get a 504), the others wait for the remaining workers`,
          });
        });
      }),
    );

    const scoringConfig = scoringServiceConfig(o, store.config, { a: brokerUrl, b: brokerUrl }, o.timeoutsMs.queue, {
      url: brokerUrl,
      jobsKey: keys.jobsKey,
      replyPrefix: keys.replyPrefix,
      timeoutMs: o.timeoutsMs.queue,
    });
    const ctx = { supervisor, events, readyTimeoutMs: o.timeoutsMs.ready, nginxWorkerProcesses: o.nginxWorkerProcesses };
    const scoring = await startService(ctx, { config: scoringConfig, topology: o.topology, workers: o.workers, host: o.host, port: o.port, wrap: wrapScoring });
    services.push(scoring);

    const versions: Record<string, string> = { ...store.versions, ...(broker?.versions ?? {}), ...scoring.versions };
    const running = { store, broker };
    const mon = monitor;
    const queueDescription: QueueDescription = {
      broker: brokerDetail,
      redisUrl: brokerUrl,
      jobsKey: keys.jobsKey,
      replies: `one reply list per scoring process (${keys.replyPrefix}<process>), read by one blocking reader (BLMPOP) that hands each result to the request waiting for its job id`,
      timeoutMs: o.timeoutsMs.queue,
    };
    const depth = async () => mon.llen(keys.jobsKey);
    const queue: RunningQueue = {
      redisUrl: brokerUrl,
      jobsKey: keys.jobsKey,
      broker: brokerDetail,
      workers: () => [...workerTable.values()].map((w) => w.entry).sort((x, y) => x.name.localeCompare(y.name, 'en', { numeric: true })),
      depth,
      sampleDepth: (intervalMs) => {
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
      },
    };
    let stopped: Promise<void> | undefined;
    const system: RunningSystem = {
      scoringUrl: `${scoring.baseUrl}/score`,
      baseUrls: { scoring: scoring.baseUrl, modelA: brokerUrl, modelB: brokerUrl },
      options: o,
      get processes(): SystemProcess[] {
        return [
          ...scoring.processes(),
          ...queue.workers(),
          ...storeServerProcesses(running.store, 'feature-store', 'redis-server'),
          ...storeServerProcesses(running.broker, 'queue-broker', 'redis-server-queue'),
        ];
      },
      store: { kind: store.kind, detail: store.detail },
      versions,
      notes,
      onMetrics: (l) => events.onMetrics(l),
      onNotice: (l) => events.onNotice(l),
      describe: () =>
        describeSystem(o, {
          store: { kind: running.store.kind, detail: running.store.detail },
          scoringUrl: system.scoringUrl,
          modelUrls: { a: `${brokerUrl} list ${keys.jobsKey}`, b: `${brokerUrl} list ${keys.jobsKey}` },
          versions,
          notes,
          processes: system.processes,
          modelWorkers,
          queue: queueDescription,
        }),
      stop: () => (stopped ??= stopEverything()),
      queue,
    };
    return system;
  } catch (err) {
    await stopEverything();
    throw err;
  }
}

/** Delete every key under the run's prefix (jobs list, reply lists). */
async function deleteRunKeys(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, found] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (found.length > 0) await client.del(...found);
  } while (cursor !== '0');
}
