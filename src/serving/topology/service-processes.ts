// A service's processes as they are now, and how they are kept running: each top-level process (a single
// service process, a cluster primary, an nginx backend, nginx itself) is a KeptProcess restarted on the port
// it got the first time; a cluster primary replaces its own workers and tells us. Every exit, restart and
// replacement becomes a lifecycle event (and, as before, a notice), and the process list follows.

import { exitDescription, KeptProcess, type ManagedProcess, type ProcessLifecycleEvent, type RestartPolicy, type Supervisor } from '../../processes/index.js';
import type { ServiceName, SystemProcess } from '../../results/serving.js';
import { ServebenchError } from '../../errors.js';
import type { HangMessage, ServiceMessage } from '../channel.js';
import type { SystemEvents } from '../events.js';
import type { SystemPart } from '../types.js';
import { startNodeService, type CommandWrapper, type NodeServiceSpec, type ReadyMessage } from './process.js';

/** Lifecycle events of a process of `service` reach the system's events (and its notices, as before). */
export function reportLifecycle(events: SystemEvents, service: SystemPart, notice?: (e: ProcessLifecycleEvent) => string): (e: ProcessLifecycleEvent) => void {
  return (e) => {
    events.emitEvent({ ...e, service });
    if (e.kind === 'exited') {
      const message = notice?.(e) ?? `${e.process} (pid ${e.pid}) ${exitDescription(e)}`;
      events.emitNotice({ kind: 'process-exited', name: e.process, pid: e.pid, message });
    }
  };
}

/** A service's processes as they are now, kept current from lifecycle events and its primary's messages. */
export class ServiceProcesses {
  private readonly table = new Map<string, SystemProcess>();
  /** The entries each kept process brings (a cluster primary: itself and its workers). */
  private readonly owned = new Map<string, string[]>();
  private stopping = false;

  constructor(
    private readonly events: SystemEvents,
    readonly service: ServiceName,
  ) {}

  /** The entries `owner` brings, replacing the ones it brought before. */
  setOwned(owner: string, entries: SystemProcess[]): void {
    this.dropOwned(owner);
    for (const e of entries) this.table.set(e.name, e);
    this.owned.set(
      owner,
      entries.map((e) => e.name),
    );
  }

  private dropOwned(owner: string): void {
    for (const name of this.owned.get(owner) ?? []) this.table.delete(name);
    this.owned.delete(owner);
  }

  list(): SystemProcess[] {
    return [...this.table.values()];
  }

  /** From now on an exit is the stop's doing: no notice. */
  expectExits(): void {
    this.stopping = true;
  }

  /** The reporter of a kept process: its entries leave the list when it exits, with an event and a notice. */
  lifecycle(owner: string): (e: ProcessLifecycleEvent) => void {
    const report = reportLifecycle(this.events, this.service);
    return (e) => {
      if (this.stopping) return;
      if (e.kind === 'exited') this.dropOwned(owner);
      report(e);
    };
  }

  readonly onMessage = (msg: ServiceMessage): void => {
    const service = this.service;
    switch (msg.type) {
      case 'metrics':
        this.events.emitMetrics(msg.metrics);
        return;
      case 'worker-exited': {
        if (this.stopping) return;
        const e = { atMs: msg.atMs, process: msg.name, pid: msg.pid, code: msg.code, signal: msg.signal, restarts: msg.restarts };
        const next = msg.replaceInMs === undefined ? 'not replaced' : `its primary replaces it in ${msg.replaceInMs} ms`;
        this.events.emitEvent({ ...e, service, kind: 'exited', message: `${msg.name} (pid ${msg.pid}) ${exitDescription(msg)}; ${next}` });
        return;
      }
      case 'worker-replaced':
        this.workerReplaced(msg);
        return;
      case 'worker-lost':
        this.workerLost(msg);
        return;
      case 'ready':
        return;
    }
  };

  private workerReplaced(msg: Extract<ServiceMessage, { type: 'worker-replaced' }>): void {
    const service = this.service;
    for (const [k, p] of this.table) if (p.pid === msg.oldPid) this.table.delete(k);
    this.table.set(msg.name, { role: service, pid: msg.pid, name: msg.name, service });
    const message = `${msg.name} (pid ${msg.oldPid}) ${exitDescription(msg)}; replaced by pid ${msg.pid}`;
    this.events.emitNotice({ kind: 'worker-replaced', service, name: msg.name, oldPid: msg.oldPid, pid: msg.pid, message });
    this.events.emitEvent({
      atMs: Date.now(),
      service,
      process: msg.name,
      kind: 'restarted',
      pid: msg.pid,
      previousPid: msg.oldPid,
      code: msg.code,
      signal: msg.signal,
      ...(msg.downMs === undefined ? {} : { downMs: msg.downMs }),
      restarts: msg.restarts ?? 1,
      message: `${msg.name} replaced by pid ${msg.pid}${msg.downMs === undefined ? '' : ` after ${msg.downMs} ms down`} (by its primary)`,
    });
  }

  private workerLost(msg: Extract<ServiceMessage, { type: 'worker-lost' }>): void {
    const service = this.service;
    for (const [k, p] of this.table) if (p.pid === msg.pid) this.table.delete(k);
    const message = `${msg.name} (pid ${msg.pid}) is gone: ${msg.reason}`;
    this.events.emitNotice({ kind: 'worker-lost', service, name: msg.name, pid: msg.pid, message });
    if (this.stopping) return;
    const e = { atMs: Date.now(), service, process: msg.name, pid: msg.pid, code: null, signal: null, restarts: msg.restarts ?? 0 };
    this.events.emitEvent({ ...e, kind: 'gave-up', message });
  }
}

/** One node process of a service, kept running: restarted with the port its first start got. */
export interface KeptNode {
  kept: KeptProcess;
  /** The port it listens on (0 for a queue worker). */
  port(): number;
  /** Send a hang fault to it (needs its IPC channel: not under a profiler). */
  hang(msg: HangMessage): void;
}

export interface KeptNodeSpec {
  name: string;
  entry: NodeServiceSpec['entry'];
  /** Its settings, given the port to listen on (0 at the first start: any free one). */
  env: (port: number) => Record<string, string>;
  port: number;
  readyTimeoutMs: number;
  wrap?: CommandWrapper | undefined;
  onMessage: (msg: ServiceMessage) => void;
  /** What the process list shows for it once it is ready. */
  entries: (ready: ReadyMessage) => SystemProcess[];
  restart: RestartPolicy | false;
  onStarted: (entries: SystemProcess[]) => void;
  report: (e: ProcessLifecycleEvent) => void;
}

/** Start a node process kept running; a process under a profiler (wrap) is never restarted. */
export async function startKeptNode(supervisor: Supervisor, spec: KeptNodeSpec): Promise<KeptNode> {
  let port = spec.port;
  // The pid the process reports itself (under a wrapper, the node process's own), as the process list shows it.
  let pid = 0;
  const launch = async (): Promise<ManagedProcess> => {
    const { proc, ready } = await startNodeService(supervisor, {
      name: spec.name,
      entry: spec.entry,
      env: spec.env(port),
      readyTimeoutMs: spec.readyTimeoutMs,
      wrap: spec.wrap,
      onMessage: spec.onMessage,
    });
    port = ready.port;
    pid = ready.pid;
    spec.onStarted(spec.entries(ready));
    return proc;
  };
  const kept = new KeptProcess(spec.name, launch, spec.wrap === undefined ? spec.restart : false, spec.report, { pidOf: () => pid });
  await kept.start();
  return {
    kept,
    port: () => port,
    hang: (msg) => {
      const p = kept.current;
      if (p === undefined) return;
      if (!p.child.connected)
        throw new ServebenchError('SB_ERR_EXITED', `${spec.name} has no IPC channel (started under a profiler?): it cannot be told to hang`);
      p.send(msg);
    },
  };
}
