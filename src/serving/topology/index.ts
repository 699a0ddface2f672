// Starting one service under a topology: single (one process), cluster (a node:cluster primary with W
// workers) or nginx (nginx over W single processes). Each returns its front URL and keeps its list of
// processes current as cluster workers are replaced.

import { OptionError } from '../../errors.js';
import { exitDescription, type Supervisor } from '../../processes/index.js';
import type { ProcessMetrics, ServiceName, SystemProcess, Topology } from '../../results/serving.js';
import type { ServiceMessage } from '../channel.js';
import { CLUSTER_CONFIG_ENV, SERVICE_CONFIG_ENV, type ClusterConfig, type ServiceConfig } from '../config.js';
import { nginxProcesses, startNginx, type RunningNginx } from './nginx.js';
import { startNodeService, type CommandWrapper } from './process.js';

/**
 * The host to put in a URL for a server bound to `host`: a wildcard bind is reached on loopback, and an IPv6
 * address goes in brackets.
 */
export function urlHost(host: string): string {
  const h = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return h.includes(':') ? `[${h}]` : h;
}

export { nginxAvailability, type NginxAvailability } from './nginx.js';
export type { CommandLine, CommandWrapper } from './process.js';

/** Listeners a running system offers; every service started reports into them. */
export class SystemEvents {
  private readonly metrics = new Set<(m: ProcessMetrics) => void>();
  private readonly notices = new Set<(n: SystemNotice) => void>();

  onMetrics(listener: (m: ProcessMetrics) => void): () => void {
    this.metrics.add(listener);
    return () => this.metrics.delete(listener);
  }

  onNotice(listener: (n: SystemNotice) => void): () => void {
    this.notices.add(listener);
    return () => this.notices.delete(listener);
  }

  emitMetrics(m: ProcessMetrics): void {
    for (const l of this.metrics) {
      try {
        l(m);
      } catch {
        // a listener's failure is its own business; metrics keep flowing to the others
      }
    }
  }

  emitNotice(n: SystemNotice): void {
    for (const l of this.notices) l(n);
  }
}

/** Something that happened to a system's processes while it ran. */
export type SystemNotice =
  | { kind: 'worker-replaced'; service: ServiceName; name: string; oldPid: number; pid: number; message: string }
  | { kind: 'worker-lost'; service: ServiceName; name: string; pid: number; message: string }
  | { kind: 'process-exited'; name: string; pid: number; message: string };

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

export async function startService(ctx: StartContext, s: ServiceStart): Promise<ServiceHandle> {
  if (s.workers < 1) throw new OptionError('--workers', `must be at least 1, got ${s.workers}`);
  const table = new Map<string, SystemProcess>();
  const service = s.config.service;
  const onMessage = (msg: ServiceMessage) => {
    switch (msg.type) {
      case 'metrics':
        ctx.events.emitMetrics(msg.metrics);
        return;
      case 'worker-replaced': {
        for (const [k, p] of table) if (p.pid === msg.oldPid) table.delete(k);
        table.set(msg.name, { role: service, pid: msg.pid, name: msg.name, service });
        ctx.events.emitNotice({
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
        for (const [k, p] of table) if (p.pid === msg.pid) table.delete(k);
        ctx.events.emitNotice({ kind: 'worker-lost', service, name: msg.name, pid: msg.pid, message: `${msg.name} (pid ${msg.pid}) is gone: ${msg.reason}` });
        return;
      case 'ready':
        return;
    }
  };
  const watchExit = (name: string, pid: number, proc: { waitForExit(): Promise<{ code: number | null; signal: string | null }> }) => {
    void proc.waitForExit().then((e) => {
      if (!stopping) {
        table.delete(name);
        ctx.events.emitNotice({ kind: 'process-exited', name, pid, message: `${name} (pid ${pid}) ${exitDescription(e)}` });
      }
    });
  };
  let stopping = false;

  if (s.topology === 'single' || s.topology === 'cluster') {
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
      onMessage,
    });
    table.set(name, { role: single ? service : `${service}-primary`, pid: ready.pid, name, service });
    for (const w of ready.workers ?? []) table.set(w.name, { role: service, pid: w.pid, name: w.name, service });
    watchExit(name, ready.pid, proc);
    return {
      service,
      topology: s.topology,
      baseUrl: `http://${urlHost(s.host)}:${ready.port}`,
      processes: () => [...table.values()],
      versions: {},
      stop: async () => {
        stopping = true;
        await proc.stop();
      },
    };
  }

  // nginx over W single-process backends on free loopback ports.
  const backends: { port: number; stop: () => Promise<unknown> }[] = [];
  let nginx: RunningNginx | undefined;
  const stopAll = async () => {
    stopping = true;
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
          onMessage,
        });
        backends.push({ port: r.ready.port, stop: () => r.proc.stop() });
        table.set(name, { role: service, pid: r.ready.pid, name, service });
        watchExit(name, r.ready.pid, r.proc);
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
  for (const p of nginxProcesses(front, service)) table.set(p.name, p);
  watchExit(`${service}-nginx`, front.masterPid, front.proc);
  return {
    service,
    topology: 'nginx',
    baseUrl: `http://${urlHost(s.host)}:${front.port}`,
    processes: () => [...table.values()],
    versions: { nginx: front.version },
    stop: stopAll,
  };
}
