// Starting one service under a topology: single (one process), cluster (a node:cluster primary with W
// workers) or nginx (nginx over W single processes). Each returns its front URL and keeps its list of
// processes current as cluster workers are replaced.

import { OptionError, ServebenchError } from '../../errors.js';
import { exitDescription, type Supervisor } from '../../processes/index.js';
import type { ServiceName, SystemProcess, Topology } from '../../results/serving.js';
import type { ServiceMessage } from '../channel.js';
import { CLUSTER_CONFIG_ENV, SERVICE_CONFIG_ENV, type ClusterConfig, type ServiceConfig } from '../config.js';
import type { SystemEvents } from '../events.js';
import { nginxAvailability, nginxProcesses, startNginx, type RunningNginx } from './nginx.js';
import { startNodeService, type CommandWrapper } from './process.js';

export interface StartContext {
  supervisor: Supervisor;
  events: SystemEvents;
  readyTimeoutMs: number;
  nginxWorkerProcesses: number | 'auto';
}

export interface ServiceHandle {
  service: ServiceName;
  topology: Topology;
  /** The URL clients use: the process, the cluster's shared port, or nginx. */
  baseUrl: string;
  /** Every process of the service, current. */
  processes(): SystemProcess[];
  versions: Record<string, string>;
  stop(): Promise<void>;
}

export interface ServiceStart {
  config: ServiceConfig;
  topology: Topology;
  workers: number;
  /** The front's host and port (0: free); backends always bind 127.0.0.1 on free ports. */
  host: string;
  port: number;
  wrap?: CommandWrapper | undefined;
}

/**
 * Whether a topology can run here: `{ available: false, reason }` lets a suite record it as skipped
 * (data, not a crash) before trying to start it.
 */
export async function topologyAvailability(topology: Topology): Promise<{ available: true } | { available: false; reason: string }> {
  if (topology !== 'nginx') return { available: true };
  const a = await nginxAvailability();
  return a.available ? { available: true } : { available: false, reason: a.reason };
}

/** Fails with SB_ERR_MISSING_TOOL when the topology needs something not installed (nginx); else nginx's version, if used. */
export async function requireTopology(topology: Topology): Promise<string | undefined> {
  if (topology !== 'nginx') return undefined;
  const a = await nginxAvailability();
  if (!a.available) throw new ServebenchError('SB_ERR_MISSING_TOOL', a.reason);
  return a.version;
}

/**
 * The host to put in a URL for a server bound to `host`: a wildcard bind is reached on loopback, and an IPv6
 * address goes in brackets.
 */
function urlHost(host: string): string {
  const h = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return h.includes(':') ? `[${h}]` : h;
}

/** A service's processes as they are now, kept current from their messages (worker replaced or lost) and exits. */
class ServiceProcesses {
  private readonly table = new Map<string, SystemProcess>();
  private stopping = false;

  constructor(
    private readonly events: SystemEvents,
    private readonly service: ServiceName,
  ) {}

  add(p: SystemProcess): void {
    this.table.set(p.name, p);
  }

  list(): SystemProcess[] {
    return [...this.table.values()];
  }

  /** From now on an exit is the stop's doing: no notice. */
  expectExits(): void {
    this.stopping = true;
  }

  readonly onMessage = (msg: ServiceMessage): void => {
    const service = this.service;
    switch (msg.type) {
      case 'metrics':
        this.events.emitMetrics(msg.metrics);
        return;
      case 'worker-replaced': {
        for (const [k, p] of this.table) if (p.pid === msg.oldPid) this.table.delete(k);
        this.table.set(msg.name, { role: service, pid: msg.pid, name: msg.name, service });
        this.events.emitNotice({
          kind: 'worker-replaced',
          service,
          name: msg.name,
          oldPid: msg.oldPid,
          pid: msg.pid,
          message: `${msg.name} (pid ${msg.oldPid}) ${exitDescription(msg)}; replaced by pid ${msg.pid}`,
        });
        return;
      }
      case 'worker-lost':
        for (const [k, p] of this.table) if (p.pid === msg.pid) this.table.delete(k);
        this.events.emitNotice({ kind: 'worker-lost', service, name: msg.name, pid: msg.pid, message: `${msg.name} (pid ${msg.pid}) is gone: ${msg.reason}` });
        return;
      case 'ready':
        return;
    }
  };

  /** A process that exits while the service runs leaves the list, with a notice. */
  watchExit(name: string, pid: number, proc: { waitForExit(): Promise<{ code: number | null; signal: string | null }> }): void {
    void proc.waitForExit().then((e) => {
      if (!this.stopping) {
        this.table.delete(name);
        this.events.emitNotice({ kind: 'process-exited', name, pid, message: `${name} (pid ${pid}) ${exitDescription(e)}` });
      }
    });
  }
}

export async function startService(ctx: StartContext, s: ServiceStart): Promise<ServiceHandle> {
  if (s.workers < 1) throw new OptionError('--workers', `must be at least 1, got ${s.workers}`);
  const tracked = new ServiceProcesses(ctx.events, s.config.service);
  return s.topology === 'nginx' ? startBehindNginx(ctx, s, tracked) : startNodeFront(ctx, s, tracked);
}

/** single: the service's one process; cluster: a node:cluster primary whose workers share its port. */
async function startNodeFront(ctx: StartContext, s: ServiceStart, tracked: ServiceProcesses): Promise<ServiceHandle> {
  const service = s.config.service;
  const single = s.topology === 'single';
  const config = { ...s.config, host: s.host, port: s.port };
  const name = single ? service : `${service}-primary`;
  const env: Record<string, string> = single
    ? { [SERVICE_CONFIG_ENV]: JSON.stringify(config) }
    : { [CLUSTER_CONFIG_ENV]: JSON.stringify({ worker: config, workers: s.workers } satisfies ClusterConfig) };
  const { proc, ready } = await startNodeService(ctx.supervisor, {
    name,
    entry: single ? 'src/serving/service-main' : 'src/serving/cluster-primary-main',
    env,
    readyTimeoutMs: ctx.readyTimeoutMs,
    wrap: s.wrap,
    onMessage: tracked.onMessage,
  });
  tracked.add({ role: single ? service : `${service}-primary`, pid: ready.pid, name, service });
  for (const w of ready.workers ?? []) tracked.add({ role: service, pid: w.pid, name: w.name, service });
  tracked.watchExit(name, ready.pid, proc);
  return {
    service,
    topology: s.topology,
    baseUrl: `http://${urlHost(s.host)}:${ready.port}`,
    processes: () => tracked.list(),
    versions: {},
    stop: async () => {
      tracked.expectExits();
      await proc.stop();
    },
  };
}

/** nginx over W single-process backends on free loopback ports. */
async function startBehindNginx(ctx: StartContext, s: ServiceStart, tracked: ServiceProcesses): Promise<ServiceHandle> {
  const service = s.config.service;
  const backends: { port: number; stop: () => Promise<unknown> }[] = [];
  let nginx: RunningNginx | undefined;
  const stopAll = async () => {
    tracked.expectExits();
    await nginx?.stop();
    await Promise.all(backends.map((b) => b.stop()));
  };
  try {
    const started = await Promise.all(
      Array.from({ length: s.workers }, async (_, i) => {
        const name = `${service}-w${i}`;
        const config = { ...s.config, name, host: '127.0.0.1', port: 0 };
        const r = await startNodeService(ctx.supervisor, {
          name,
          entry: 'src/serving/service-main',
          env: { [SERVICE_CONFIG_ENV]: JSON.stringify(config) },
          readyTimeoutMs: ctx.readyTimeoutMs,
          wrap: s.wrap,
          onMessage: tracked.onMessage,
        });
        backends.push({ port: r.ready.port, stop: () => r.proc.stop() });
        tracked.add({ role: service, pid: r.ready.pid, name, service });
        tracked.watchExit(name, r.ready.pid, r.proc);
        return r.ready.port;
      }),
    );
    nginx = await startNginx(
      ctx.supervisor,
      { name: service, host: s.host, port: s.port, backends: started.map((port) => ({ host: '127.0.0.1', port })) },
      { readyTimeoutMs: ctx.readyTimeoutMs, workerProcesses: ctx.nginxWorkerProcesses, name: `${service}-nginx` },
    );
  } catch (err) {
    await stopAll();
    throw err;
  }
  const front = nginx;
  for (const p of nginxProcesses(front, service)) tracked.add(p);
  tracked.watchExit(`${service}-nginx`, front.masterPid, front.proc);
  return {
    service,
    topology: 'nginx',
    baseUrl: `http://${urlHost(s.host)}:${front.port}`,
    processes: () => tracked.list(),
    versions: { nginx: front.version },
    stop: stopAll,
  };
}
