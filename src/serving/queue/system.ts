// Starting the queue path (seed 001's "Redis queue in front of model workers"): the feature store, a real
// Redis as the broker (broker.ts), W model worker processes taking jobs off its list (workers.ts), and the
// scoring handler (single, cluster or nginx, as on the other paths) pushing them.

import type { Redis } from 'ioredis';
import { ServebenchError } from '../../errors.js';
import { Supervisor } from '../../processes/index.js';
import type { QueueDescription } from '../../results/serving.js';
import { DEFAULTS, scoringServiceConfig } from '../config.js';
import { SystemEvents } from '../events.js';
import { provisionStore, storeServerProcesses, systemStoreRequest, type ProvisionedStore } from '../feature-store/provision.js';
import { runningSystem } from '../running-system.js';
import { modelRuntimeVersions } from '../models/inspect.js';
import { systemFaults } from '../faults.js';
import { startService, type ServiceHandle } from '../topology/index.js';
import { reportLifecycle } from '../topology/service-processes.js';
import type { CommandWrapper } from '../topology/process.js';
import type { ResolvedSystemOptions, RunningSystem } from '../types.js';
import { connectMonitor, deleteRunKeys, provisionBroker, queueAvailability, runningQueue, type Broker } from './broker.js';
import { queueKeys } from './protocol.js';
import { ModelWorkers } from './workers.js';

export async function startQueueSystem(o: ResolvedSystemOptions, wrapScoring: CommandWrapper | undefined): Promise<RunningSystem> {
  const avail = await queueAvailability(o.redisUrl);
  if (!avail.available) throw new ServebenchError('SB_ERR_MISSING_TOOL', avail.reason);
  const modelWorkers = o.modelWorkers ?? DEFAULTS.modelWorkers;
  const supervisor = new Supervisor();
  const events = new SystemEvents();
  const workers = new ModelWorkers(supervisor, events, o.restart);
  const services: ServiceHandle[] = [];
  const notes = [...o.notes];
  let store: ProvisionedStore | undefined;
  let broker: Broker | undefined;
  let monitor: Redis | undefined;
  const keys = queueKeys();
  let releaseFaults: () => void = () => undefined;
  const stopEverything = async () => {
    releaseFaults();
    workers.expectExits();
    for (const s of [...services].reverse()) await s.stop().catch(() => undefined);
    await workers.stop();
    if (monitor !== undefined) {
      // A shared Redis keeps lists after the run: delete this run's (a Redis servebench started is stopped anyway).
      await deleteRunKeys(monitor, keys.prefix).catch(() => undefined);
      monitor.disconnect();
    }
    await broker?.own?.stop().catch(() => undefined);
    await store?.stop().catch(() => undefined);
    await supervisor.stopAll();
  };
  try {
    const featureStore = await provisionStore(systemStoreRequest(o, supervisor, reportLifecycle(events, 'feature-store')));
    store = featureStore;
    notes.push(...featureStore.notes);
    const b = await provisionBroker(o, featureStore, supervisor, reportLifecycle(events, 'queue-broker'));
    broker = b;
    const m = await connectMonitor(b.url);
    monitor = m;

    // The model workers, then the scoring front that feeds them.
    await workers.start(o, modelWorkers, b.url, keys.jobsKey);
    const scoringConfig = scoringServiceConfig(o, featureStore.config, { a: b.url, b: b.url }, o.timeoutsMs.queue, {
      url: b.url,
      jobsKey: keys.jobsKey,
      replyPrefix: keys.replyPrefix,
      timeoutMs: o.timeoutsMs.queue,
    });
    const ctx = { supervisor, events, readyTimeoutMs: o.timeoutsMs.ready, nginxWorkerProcesses: o.nginxWorkerProcesses, restart: o.restart };
    const scoring = await startService(ctx, { config: scoringConfig, topology: o.topology, workers: o.workers, host: o.host, port: o.port, wrap: wrapScoring });
    services.push(scoring);

    const description: QueueDescription = {
      broker: b.detail,
      redisUrl: b.url,
      jobsKey: keys.jobsKey,
      replies:
        `one reply list per scoring process (${keys.replyPrefix}<process>), ` +
        'read by one blocking reader (BLMPOP) that hands each result to the request waiting for its job id',
      timeoutMs: o.timeoutsMs.queue,
    };
    const jobsList = `${b.url} list ${keys.jobsKey}`;
    const processes = () => [
      ...scoring.processes(),
      ...workers.list(),
      ...storeServerProcesses(featureStore, 'feature-store', 'redis-server'),
      ...storeServerProcesses(b.own, 'queue-broker', 'redis-server-queue'),
    ];
    const ours = [featureStore, b.own].filter((st) => st?.serverPid !== undefined && st.config.kind === 'redis');
    const faults = systemFaults({
      processes,
      services: { scoring },
      redisUrls: ours.map((st) => (st?.config.kind === 'redis' ? st.config.url : '')),
      modelWorkers: workers,
    });
    releaseFaults = faults.release;
    return runningSystem({
      events,
      processes,
      faults,
      stopEverything,
      options: o,
      scoringBaseUrl: scoring.baseUrl,
      modelBaseUrls: { a: b.url, b: b.url },
      modelUrls: { a: jobsList, b: jobsList },
      store: { kind: featureStore.kind, detail: featureStore.detail },
      versions: { ...featureStore.versions, ...(b.own?.versions ?? {}), ...scoring.versions, ...modelRuntimeVersions(o) },
      notes,
      queue: { running: runningQueue(m, b, keys.jobsKey, () => workers.list()), description, modelWorkers },
    });
  } catch (err) {
    await stopEverything();
    throw err;
  }
}
