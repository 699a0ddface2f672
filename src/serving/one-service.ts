// One service of the serving system alone, as a container runs it (`servebench serve --only`): the scoring
// handler (told where the model APIs are, or on the queue path where the broker is), one model API, or the
// queue's model workers. Same options, defaults and checks as the whole system, and the same processes
// (service-main, queue/worker-main) under a supervisor; nothing else starts, so a scheduler such as
// Kubernetes can place, scale and restart each service on its own.

import { reportLifecycle } from './topology/service-processes.js';
import { OptionError } from '../errors.js';
import { Supervisor } from '../processes/index.js';
import type { ServiceName, StoreKind, SystemProcess } from '../results/serving.js';
import { modelServiceConfig, scoringServiceConfig } from './config.js';
import { SystemEvents } from './events.js';
import { provisionStore, storeServerProcesses, systemStoreRequest } from './feature-store/provision.js';
import { withModelFiles } from './models/inspect.js';
import { resolveSystemOptions } from './options.js';
import { queueKeys } from './queue/protocol.js';
import { ModelWorkers } from './queue/workers.js';
import { runningHandle } from './running-system.js';
import { requireTopology, startService, type StartContext } from './topology/index.js';
import type { ResolvedSystemOptions, RunningHandle, SystemOptions } from './types.js';

/**
 * The run tag of a queue path whose services start apart: the scoring handlers and the model workers must
 * agree on the jobs list (a whole system's tag is its own, per run), so it is fixed: servebench:queue:shared:.
 */
const SHARED_QUEUE_TAG = 'shared';

export interface OneServiceOptions {
  service: ServiceName;
  /** scoring on the sync and async paths: the model APIs' base URLs, e.g. http://model-a:8080. */
  modelUrls?: { a: string; b: string };
}

export interface RunningOneService extends RunningHandle {
  service: ServiceName;
  /** The service's front URL (no path); for the model workers, the broker and its jobs list. */
  url: string;
  options: ResolvedSystemOptions;
  /** scoring: the feature store it reads. */
  store?: { kind: StoreKind; detail: string };
  notes: string[];
}

/** The Redis a queue service talks to: --redis-url, else REDIS_URL; required (nothing is started for it). */
function brokerUrl(o: ResolvedSystemOptions, service: ServiceName): string {
  const url = o.redisUrl ?? process.env.REDIS_URL;
  if (url === undefined || url === '') {
    throw new OptionError('--redis-url', `required with --only ${service} on the queue path: the Redis the jobs go through, e.g. redis://redis:6379`);
  }
  return url;
}

/** The combinations --only allows, checked before anything starts. */
function checkOne(o: ResolvedSystemOptions, one: OneServiceOptions): void {
  const queue = o.path === 'queue';
  if (queue && (one.service === 'model-a' || one.service === 'model-b')) {
    throw new OptionError('--only', 'the queue path has no model API: its model workers take the jobs (--only model-worker)');
  }
  if (!queue && one.service === 'model-worker') {
    throw new OptionError('--only', `model-worker runs on --path queue; the ${o.path} path has model APIs (--only model-a, --only model-b)`);
  }
  const wantsUrls = one.service === 'scoring' && !queue;
  if (wantsUrls && one.modelUrls === undefined) {
    throw new OptionError(
      '--model-a-url',
      `required with --only scoring on the ${o.path} path (with --model-b-url): the model APIs' base URLs, e.g. http://model-a:8080`,
    );
  }
  if (!wantsUrls && one.modelUrls !== undefined) {
    throw new OptionError('--model-a-url', 'applies only to --only scoring on the sync and async paths (the queue path reaches its models through Redis)');
  }
}

/** Start one service of the system alone; the handle stops what it started. */
export async function startOneService(options: SystemOptions, one: OneServiceOptions): Promise<RunningOneService> {
  const resolved = resolveSystemOptions(options);
  checkOne(resolved, one);
  await requireTopology(resolved.topology);
  const o = await withModelFiles(resolved);
  const supervisor = new Supervisor();
  const events = new SystemEvents();
  const ctx: StartContext = { supervisor, events, readyTimeoutMs: o.timeoutsMs.ready, nginxWorkerProcesses: o.nginxWorkerProcesses };
  const stops: (() => Promise<unknown>)[] = [];
  const stopEverything = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await supervisor.stopAll();
  };
  const notes = [...o.notes];
  const front = { topology: o.topology, workers: o.workers, host: o.host, port: o.port };
  try {
    if (one.service === 'model-worker') {
      const url = brokerUrl(o, one.service);
      const { jobsKey } = queueKeys(SHARED_QUEUE_TAG);
      const workers = new ModelWorkers(supervisor, events, o.restart);
      stops.push(() => workers.stop());
      await workers.start(o, o.modelWorkers ?? 1, url, jobsKey);
      const fields = { service: one.service, url: `${url} list ${jobsKey}`, options: o, notes };
      return runningHandle({ events, processes: () => workers.list(), stopEverything }, fields);
    }
    if (one.service !== 'scoring') {
      const handle = await startService(ctx, { ...front, config: modelServiceConfig(o, one.service) });
      stops.push(() => handle.stop());
      return runningHandle({ events, processes: () => handle.processes(), stopEverything }, { service: one.service, url: handle.baseUrl, options: o, notes });
    }
    const store = await provisionStore(systemStoreRequest(o, supervisor, reportLifecycle(events, 'feature-store')));
    stops.push(() => store.stop());
    notes.push(...store.notes);
    let config: ReturnType<typeof scoringServiceConfig>;
    if (o.path === 'queue') {
      const url = brokerUrl(o, one.service);
      const keys = queueKeys(SHARED_QUEUE_TAG);
      const queue = { url, jobsKey: keys.jobsKey, replyPrefix: keys.replyPrefix, timeoutMs: o.timeoutsMs.queue };
      config = scoringServiceConfig(o, store.config, { a: url, b: url }, o.timeoutsMs.queue, queue);
    } else config = scoringServiceConfig(o, store.config, one.modelUrls!, o.timeoutsMs.model);
    const handle = await startService(ctx, { ...front, config });
    stops.push(() => handle.stop());
    const processes = (): SystemProcess[] => [...handle.processes(), ...storeServerProcesses(store, 'feature-store', 'redis-server')];
    const fields = { service: one.service, url: handle.baseUrl, options: o, store: { kind: store.kind, detail: store.detail }, notes };
    return runningHandle({ events, processes, stopEverything }, fields);
  } catch (err) {
    await stopEverything();
    throw err;
  }
}
