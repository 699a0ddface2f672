// Starting the serving system: the whole system (feature store, two model APIs, the scoring handler) on
// one path and topology, or one model API alone. The options are resolved first (options.ts); the queue
// path starts its own way (queue/system.ts); the handle returned stops everything it started.

import { Supervisor } from '../processes/index.js';
import { modelServiceConfig, scoringServiceConfig } from './config.js';
import { SystemEvents } from './events.js';
import { systemFaults } from './faults.js';
import { provisionStore, storeServerProcesses, systemStoreRequest } from './feature-store/provision.js';
import { describeSystemModels, modelRuntimeVersions, withModelFiles } from './models/inspect.js';
import { modelApiSystemOptions, resolveSystemOptions } from './options.js';
import { startQueueSystem } from './queue/system.js';
import { runningHandle, runningSystem } from './running-system.js';
import { requireTopology, startService, type ServiceHandle, type StartContext } from './topology/index.js';
import { reportLifecycle } from './topology/service-processes.js';
import type { ModelApiOptions, ModelService, RunningModelApi, RunningSystem, SystemOptions } from './types.js';

const MODEL_SERVICES = ['model-a', 'model-b'] as const satisfies readonly ModelService[];

/** Start the whole system: the feature store, model APIs A and B, and the scoring handler, on one path and topology. */
export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const resolved = resolveSystemOptions(options);
  await requireTopology(resolved.topology);
  // The model files are read once here, before anything starts: a bad file fails the start with its name.
  const o = await withModelFiles(resolved);
  if (o.path === 'queue') return startQueueSystem(o, options.wrapScoring);
  const supervisor = new Supervisor();
  const events = new SystemEvents();
  const ctx: StartContext = { supervisor, events, readyTimeoutMs: o.timeoutsMs.ready, nginxWorkerProcesses: o.nginxWorkerProcesses, restart: o.restart };
  const services: ServiceHandle[] = [];
  const notes = [...o.notes];
  let storeStop: (() => Promise<void>) | undefined;
  let releaseFaults: () => void = () => undefined;
  const stopEverything = async () => {
    // Paused processes resume first (a stopped process does not handle its stop signal).
    releaseFaults();
    // Front first, so no new work reaches the back while it stops.
    for (const s of [...services].reverse()) await s.stop().catch(() => undefined);
    await storeStop?.().catch(() => undefined);
    await supervisor.stopAll();
  };
  try {
    const store = await provisionStore(systemStoreRequest(o, supervisor, reportLifecycle(events, 'feature-store')));
    storeStop = () => store.stop();
    notes.push(...store.notes);
    const [a, b] = await Promise.all(
      MODEL_SERVICES.map((service) =>
        startService(ctx, { config: modelServiceConfig(o, service), topology: o.topology, workers: o.workers, host: '127.0.0.1', port: 0 }),
      ),
    );
    services.push(a!, b!);
    const scoringConfig = scoringServiceConfig(o, store.config, { a: a!.baseUrl, b: b!.baseUrl }, o.timeoutsMs.model);
    const scoring = await startService(ctx, {
      config: scoringConfig,
      topology: o.topology,
      workers: o.workers,
      host: o.host,
      port: o.port,
      wrap: options.wrapScoring,
    });
    services.push(scoring);
    const processes = () => [...services.flatMap((s) => s.processes()), ...storeServerProcesses(store, 'feature-store', 'redis-server')];
    const faults = systemFaults({
      processes,
      services: { scoring, 'model-a': a!, 'model-b': b! },
      redisUrls: store.serverPid !== undefined && store.config.kind === 'redis' ? [store.config.url] : [],
    });
    releaseFaults = faults.release;
    return runningSystem({
      events,
      processes,
      faults,
      stopEverything,
      options: o,
      scoringBaseUrl: scoring.baseUrl,
      modelBaseUrls: { a: a!.baseUrl, b: b!.baseUrl },
      modelUrls: { a: `${a!.baseUrl}/predict`, b: `${b!.baseUrl}/predict` },
      store: { kind: store.kind, detail: store.detail },
      versions: { ...store.versions, ...a!.versions, ...modelRuntimeVersions(o) },
      notes,
    });
  } catch (err) {
    await stopEverything();
    throw err;
  }
}

/** Start one model API service alone (for profiling or benchmarking the predict by itself). */
export async function startModelApi(options: ModelApiOptions): Promise<RunningModelApi> {
  const resolved = resolveSystemOptions(modelApiSystemOptions(options));
  const versionNginx = await requireTopology(resolved.topology);
  const o = await withModelFiles(resolved);
  const supervisor = new Supervisor();
  const events = new SystemEvents();
  const model = options.model ?? 'model-a';
  const ctx: StartContext = { supervisor, events, readyTimeoutMs: o.timeoutsMs.ready, nginxWorkerProcesses: o.nginxWorkerProcesses, restart: o.restart };
  let handle: ServiceHandle;
  try {
    handle = await startService(ctx, {
      config: modelServiceConfig(o, model),
      topology: o.topology,
      workers: o.workers,
      host: o.host,
      port: o.port,
      wrap: options.wrap,
    });
  } catch (err) {
    await supervisor.stopAll();
    throw err;
  }
  const stopEverything = async () => {
    await handle.stop();
    await supervisor.stopAll();
  };
  const versions: Record<string, string> = { ...(versionNginx === undefined ? {} : { nginx: versionNginx }), ...modelRuntimeVersions(o) };
  return runningHandle(
    { events, processes: () => handle.processes(), stopEverything },
    {
      predictUrl: `${handle.baseUrl}/predict`,
      baseUrl: handle.baseUrl,
      featureCount: o.featureCount,
      model: describeSystemModels(o)[model === 'model-a' ? 'a' : 'b'],
      options: o,
      versions,
      notes: o.notes,
    },
  );
}
