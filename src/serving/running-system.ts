// The handle a start path returns, built in one place for the whole system (sync, async and queue paths),
// the autoscaled system and a model API started alone: the process list is read when asked (so it stays
// current as workers are replaced), the listeners come from the system's events, and stop runs once.

import type { QueueDescription, StoreKind, SystemDescription, SystemProcess } from '../results/serving.js';
import type { SystemEvents } from './events.js';
import { systemFaults, type SystemFaults } from './faults.js';
import { describeSystemModels } from './models/inspect.js';
import type { ResolvedSystemOptions, RunningHandle, RunningQueue, RunningSystem } from './types.js';

/** What every handle is made of. */
export interface HandleParts {
  events: SystemEvents;
  /** Every process of the system as it is now. */
  processes: () => SystemProcess[];
  /** Stops everything that was started; called once, however often the handle's stop() is. */
  stopEverything: () => Promise<void>;
}

/** `fields` with the processes (read when asked), the listeners and a stop that runs once. */
export function runningHandle<F extends object>(parts: HandleParts, fields: F): RunningHandle & F {
  let stopped: Promise<void> | undefined;
  const handle: RunningHandle = {
    get processes(): SystemProcess[] {
      return parts.processes();
    },
    onMetrics: (l) => parts.events.onMetrics(l),
    onNotice: (l) => parts.events.onNotice(l),
    onEvent: (l) => parts.events.onEvent(l),
    stop: () => (stopped ??= parts.stopEverything()),
  };
  return Object.assign(handle, fields);
}

/** The whole system once everything runs, as its start path knows it. */
export interface SystemParts extends HandleParts {
  options: ResolvedSystemOptions;
  /** The scoring front (no path). */
  scoringBaseUrl: string;
  /** The model APIs' front URLs (no path); on the queue path, the broker's URL. */
  modelBaseUrls: { a: string; b: string };
  /** Where the models are reached, for the description: their predict URLs, or the broker's list. */
  modelUrls: { a: string; b: string };
  store: { kind: StoreKind; detail: string };
  versions: Record<string, string>;
  notes: string[];
  /** The fault hooks (kill, pause, hang). @default kill and pause of the processes listed (no hang) */
  faults?: SystemFaults;
  /** Queue path: the broker as callers use it, as the description says it, and the model workers started. */
  queue?: { running: RunningQueue; description: QueueDescription; modelWorkers: number };
}

/** The handle of the whole system, on any path. */
export function runningSystem(p: SystemParts): RunningSystem {
  const scoringUrl = `${p.scoringBaseUrl}/score`;
  const system: RunningSystem = runningHandle(p, {
    scoringUrl,
    baseUrls: { scoring: p.scoringBaseUrl, modelA: p.modelBaseUrls.a, modelB: p.modelBaseUrls.b },
    options: p.options,
    store: { kind: p.store.kind, detail: p.store.detail },
    versions: p.versions,
    notes: p.notes,
    faults: p.faults ?? systemFaults({ processes: p.processes, services: {}, redisUrls: [] }),
    describe: () => describeSystem(p),
  });
  if (p.queue !== undefined) system.queue = p.queue.running;
  return system;
}

/** A running system as plain data: the resolved options beside what was started. */
function describeSystem(p: SystemParts): SystemDescription {
  const o = p.options;
  const d: SystemDescription = {
    path: o.path,
    topology: o.topology,
    workers: o.workers,
    predict: o.predict,
    nMax: o.nMax,
    featureCount: o.featureCount,
    models: describeSystemModels(o),
    store: { kind: p.store.kind, detail: p.store.detail },
    scoringUrl: `${p.scoringBaseUrl}/score`,
    modelUrls: p.modelUrls,
    versions: p.versions,
    notes: p.notes,
    processes: p.processes(),
    ...(p.queue === undefined ? {} : { modelWorkers: p.queue.modelWorkers, queue: p.queue.description }),
  };
  if (o.kernel !== undefined) d.kernel = o.kernel;
  if (o.placement !== undefined) d.placement = o.placement;
  if (o.n !== undefined) d.n = o.n;
  return d;
}
