// Starting one service under a topology: single (one process), cluster (a node:cluster primary with W
// workers) or nginx (nginx over W single processes). Each returns its front URL and keeps its list of
// processes current as processes are restarted (on the same port) and cluster workers replaced.

import { OptionError, ServebenchError } from '../../errors.js';
import type { RestartPolicy, Supervisor } from '../../processes/index.js';
import type { ServiceName, SystemProcess, Topology } from '../../results/serving.js';
import { CLUSTER_CONFIG_ENV, SERVICE_CONFIG_ENV, type ClusterConfig, type ServiceConfig } from '../config.js';
import type { SystemEvents } from '../events.js';
import { nginxAvailability, nginxProcesses, startNginx, type RunningNginx } from './nginx.js';
import type { CommandWrapper } from './process.js';
import { ServiceProcesses, startKeptNode, type KeptNode } from './service-processes.js';

export interface StartContext {
  supervisor: Supervisor;
  events: SystemEvents;
  readyTimeoutMs: number;
  nginxWorkerProcesses: number | 'auto';
  /** How a process that dies is restarted; false or absent: never (its exit is still reported). */
  restart?: RestartPolicy | false;
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
  /**
   * A hang fault: the service's serving processes (or one worker: a cluster's w0, an nginx backend w0, a single
   * process) hold every request they receive for `ms`, then handle it. Returns the processes told.
   */
  hang(ms: number, scope: 'all' | 'one-worker'): SystemProcess[];
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

export async function startService(ctx: StartContext, s: ServiceStart): Promise<ServiceHandle> {
  if (s.workers < 1) throw new OptionError('--workers', `must be at least 1, got ${s.workers}`);
  const tracked = new ServiceProcesses(ctx.events, s.config.service);
  return s.topology === 'nginx' ? startBehindNginx(ctx, s, tracked) : startNodeFront(ctx, s, tracked);
}

/** single: the service's one process; cluster: a node:cluster primary whose workers share its port. */
async function startNodeFront(ctx: StartContext, s: ServiceStart, tracked: ServiceProcesses): Promise<ServiceHandle> {
  const service = s.config.service;
  const single = s.topology === 'single';
  const name = single ? service : `${service}-primary`;
  const node = await startKeptNode(ctx.supervisor, {
    name,
    entry: single ? 'src/serving/service-main' : 'src/serving/cluster-primary-main',
    // A restart listens on the port the first start got: clients and balancers keep their URL.
    env: (port): Record<string, string> => {
      const config = { ...s.config, host: s.host, port };
      return single
        ? { [SERVICE_CONFIG_ENV]: JSON.stringify(config) }
        : { [CLUSTER_CONFIG_ENV]: JSON.stringify({ worker: config, workers: s.workers } satisfies ClusterConfig) };
    },
    port: s.port,
    readyTimeoutMs: ctx.readyTimeoutMs,
    wrap: s.wrap,
    onMessage: tracked.onMessage,
    entries: (ready) => [
      { role: name, pid: ready.pid, name, service },
      ...(ready.workers ?? []).map((w) => ({ role: service, pid: w.pid, name: w.name, service })),
    ],
    restart: ctx.restart ?? false,
    onStarted: (entries) => tracked.setOwned(name, entries),
    report: tracked.lifecycle(name),
  });
  return {
    service,
    topology: s.topology,
    baseUrl: `http://${urlHost(s.host)}:${node.port()}`,
    processes: () => tracked.list(),
    versions: {},
    stop: async () => {
      tracked.expectExits();
      await node.kept.stop();
    },
    hang: (ms, scope) => {
      const workers = tracked
        .list()
        .filter((p) => p.role === service)
        .sort((x, y) => x.name.localeCompare(y.name, 'en', { numeric: true }));
      const one = scope === 'one-worker' && !single ? workers.slice(0, 1) : workers;
      node.hang({ type: 'hang', ms, ...(scope === 'one-worker' && !single && one[0] !== undefined ? { worker: one[0].name } : {}) });
      return one;
    },
  };
}

/** nginx over W single-process backends on free loopback ports; each backend and nginx are restarted on their ports. */
async function startBehindNginx(ctx: StartContext, s: ServiceStart, tracked: ServiceProcesses): Promise<ServiceHandle> {
  const service = s.config.service;
  const backends: KeptNode[] = [];
  let nginx: RunningNginx | undefined;
  const stopAll = async () => {
    tracked.expectExits();
    await nginx?.stop();
    await Promise.all(backends.map((b) => b.kept.stop()));
  };
  try {
    const started = await Promise.all(
      Array.from({ length: s.workers }, async (_, i) => {
        const name = `${service}-w${i}`;
        const node = await startKeptNode(ctx.supervisor, {
          name,
          entry: 'src/serving/service-main',
          env: (port) => ({ [SERVICE_CONFIG_ENV]: JSON.stringify({ ...s.config, name, host: '127.0.0.1', port }) }),
          port: 0,
          readyTimeoutMs: ctx.readyTimeoutMs,
          wrap: s.wrap,
          onMessage: tracked.onMessage,
          entries: (ready) => [{ role: service, pid: ready.pid, name, service }],
          restart: ctx.restart ?? false,
          onStarted: (entries) => tracked.setOwned(name, entries),
          report: tracked.lifecycle(name),
        });
        backends[i] = node;
        return node.port();
      }),
    );
    const nginxName = `${service}-nginx`;
    nginx = await startNginx(
      ctx.supervisor,
      { name: service, host: s.host, port: s.port, backends: started.map((port) => ({ host: '127.0.0.1', port })) },
      {
        readyTimeoutMs: ctx.readyTimeoutMs,
        workerProcesses: ctx.nginxWorkerProcesses,
        name: nginxName,
        restart: ctx.restart ?? false,
        report: tracked.lifecycle(nginxName),
        onStarted: (n) => tracked.setOwned(nginxName, nginxProcesses(n, service)),
      },
    );
  } catch (err) {
    await stopAll();
    throw err;
  }
  const front = nginx;
  return {
    service,
    topology: 'nginx',
    baseUrl: `http://${urlHost(s.host)}:${front.port}`,
    processes: () => tracked.list(),
    versions: { nginx: front.version },
    stop: stopAll,
    hang: (ms, scope) => {
      const told = scope === 'one-worker' ? backends.slice(0, 1) : backends;
      for (const b of told) b.hang({ type: 'hang', ms });
      const names = new Set(told.map((b) => b.kept.name));
      return tracked.list().filter((p) => names.has(p.name));
    },
  };
}
