// A model service whose replicas can be added and removed while it serves: W single-process backends
// behind the system's nginx, resized by rewriting the upstream list and sending SIGHUP to the nginx master
// (nginx's own reconfiguration: new workers take the new list, old ones finish their requests and exit).
// nginx balances per request (least_conn), so a new replica takes load at once; a node:cluster primary
// balances per connection, and a client's keep-alive connections would never reach a new worker.
// Scaling is serialized: one change at a time, the latest replica count asked for wins.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServebenchError } from '../../errors.js';
import { sleep, waitUntil, type ManagedProcess } from '../../processes/index.js';
import type { ReplicaEventData } from '../../results/experiments.js';
import type { SystemProcess } from '../../results/serving.js';
import { SERVICE_CONFIG_ENV, type ModelServiceConfig } from '../config.js';
import type { StartContext } from '../topology/index.js';
import { nginxConfig, nginxProcesses, startNginx, type RunningNginx } from '../topology/nginx.js';
import { startNodeService } from '../topology/process.js';
import { epochMs } from '../http.js';

export type ReplicaState = 'starting' | 'ready' | 'draining';

export interface ReplicaInfo {
  name: string;
  pid: number;
  port: number;
  state: ReplicaState;
  /** Epoch ms. */
  startedAtMs: number;
  /** When nginx began sending it requests (epoch ms). */
  readyAtMs?: number;
}

/** A change of the replica set, for the timeline: the data the autoscale results keep. */
export type ReplicaEvent = ReplicaEventData;

/** How long old nginx workers may take to finish their requests before a removed backend is stopped anyway. */
const DRAIN_TIMEOUT_MS = 5000;

interface Replica extends ReplicaInfo {
  proc: ManagedProcess;
}

export class NginxReplicaSet {
  private readonly replicas: Replica[] = [];
  private desiredCount: number;
  private seq = 0;
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly listeners = new Set<(e: ReplicaEvent) => void>();

  private constructor(
    private readonly ctx: StartContext,
    private readonly config: ModelServiceConfig,
    private readonly nginx: RunningNginx,
    private readonly front: { name: string; host: string; port: number },
    initial: Replica[],
  ) {
    this.replicas.push(...initial);
    this.desiredCount = initial.length;
  }

  /** Start `replicas` backends and nginx in front of them. */
  static async start(ctx: StartContext, config: ModelServiceConfig, replicas: number): Promise<NginxReplicaSet> {
    const first: Replica[] = [];
    const set = { seq: 0 };
    try {
      for (const r of await Promise.all(Array.from({ length: replicas }, () => startReplica(ctx, config, set.seq++))))
        first.push({ ...r, state: 'ready', readyAtMs: epochMs() });
      const front = { name: config.service, host: '127.0.0.1', port: 0 };
      const nginx = await startNginx(
        ctx.supervisor,
        { ...front, backends: first.map((r) => ({ host: '127.0.0.1', port: r.port })) },
        {
          readyTimeoutMs: ctx.readyTimeoutMs,
          workerProcesses: ctx.nginxWorkerProcesses,
          name: `${config.service}-nginx`,
        },
      );
      const rs = new NginxReplicaSet(ctx, config, nginx, { ...front, port: nginx.port }, first);
      rs.seq = set.seq;
      return rs;
    } catch (err) {
      await Promise.all(first.map((r) => r.proc.stop()));
      throw err;
    }
  }

  get service(): string {
    return this.config.service;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.nginx.port}`;
  }

  get nginxVersion(): string {
    return this.nginx.version;
  }

  /** The replica count asked for (Kubernetes' spec.replicas), starting replicas included. */
  desired(): number {
    return this.desiredCount;
  }

  list(): ReplicaInfo[] {
    return this.replicas.map(({ proc: _proc, ...info }) => info);
  }

  ready(): number {
    return this.replicas.filter((r) => r.state === 'ready').length;
  }

  onEvent(listener: (e: ReplicaEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  processes(): SystemProcess[] {
    const service = this.config.service;
    const replicas: SystemProcess[] = this.replicas.filter((r) => !r.proc.exited).map((r) => ({ role: service, pid: r.pid, name: r.name, service }));
    return [...replicas, ...nginxProcesses(this.nginx, service)];
  }

  /** Ask for `n` replicas (at least 1); resolves once the set has that many ready (or the change failed, reported as an event). */
  scaleTo(n: number): Promise<void> {
    if (!Number.isInteger(n) || n < 1) throw new ServebenchError('SB_ERR_OPTION', `replicas: must be an integer >= 1, got ${n}`);
    this.desiredCount = n;
    this.chain = this.chain.then(() => this.reconcile()).catch(() => undefined);
    return this.chain;
  }

  private emit(e: Omit<ReplicaEvent, 'atMs' | 'service' | 'ready'>): void {
    const ev: ReplicaEvent = { atMs: epochMs(), service: this.config.service, ready: this.ready(), ...e };
    for (const l of this.listeners) l(ev);
  }

  private async reconcile(): Promise<void> {
    if (this.stopped) return;
    const live = this.replicas.filter((r) => r.state !== 'draining');
    const want = this.desiredCount;
    if (want > live.length) {
      const started = await Promise.allSettled(Array.from({ length: want - live.length }, () => this.addStarting()));
      const fresh = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      for (const s of started)
        if (s.status === 'rejected')
          this.emit({ kind: 'failed', replica: '-', pid: 0, message: `a new ${this.config.service} replica failed to start: ${String(s.reason)}` });
      if (fresh.length === 0 || this.stopped) return;
      try {
        await this.reload();
      } catch (err) {
        // nginx kept its old list: the new replicas never served; stop them and say why.
        for (const r of fresh) this.replicas.splice(this.replicas.indexOf(r), 1);
        await Promise.all(fresh.map((r) => r.proc.stop()));
        this.emit({ kind: 'failed', replica: fresh.map((r) => r.name).join(','), pid: 0, message: String(err) });
        return;
      }
      const now = epochMs();
      for (const r of fresh) {
        r.state = 'ready';
        r.readyAtMs = now;
        this.emit({ kind: 'ready', replica: r.name, pid: r.pid, message: `${r.name} (pid ${r.pid}) added behind nginx` });
      }
    } else if (want < live.length) {
      // As a ReplicaSet does: the newest go first.
      const victims = [...live].sort((a, b) => b.startedAtMs - a.startedAtMs).slice(0, live.length - want);
      for (const v of victims) v.state = 'draining';
      let oldWorkers: number[];
      try {
        oldWorkers = await this.reload();
      } catch (err) {
        for (const v of victims) v.state = 'ready';
        this.emit({ kind: 'failed', replica: victims.map((v) => v.name).join(','), pid: 0, message: String(err) });
        return;
      }
      // Old nginx workers hold the requests already sent to the victims: stop them only once those are done.
      await waitUntil(() => this.nginx.workerPids().every((p) => !oldWorkers.includes(p)), DRAIN_TIMEOUT_MS, 'old nginx workers to finish').catch(
        () => undefined,
      );
      await Promise.all(victims.map((v) => v.proc.stop()));
      for (const v of victims) {
        this.replicas.splice(this.replicas.indexOf(v), 1);
        this.emit({ kind: 'removed', replica: v.name, pid: v.pid, message: `${v.name} (pid ${v.pid}) removed from nginx, drained and stopped` });
      }
    }
  }

  private async addStarting(): Promise<Replica> {
    const r = await startReplica(this.ctx, this.config, this.seq++);
    const replica: Replica = { ...r, state: 'starting' };
    if (this.stopped) {
      await r.proc.stop();
      throw new ServebenchError('SB_ERR_EXITED', 'the replica set is stopping');
    }
    this.replicas.push(replica);
    return replica;
  }

  /** Rewrite the upstream list with the replicas that serve and SIGHUP the master; resolves with the old workers' pids once new ones run. */
  private async reload(): Promise<number[]> {
    const before = this.nginx.workerPids();
    // Starting replicas join with this reload (the caller marks them ready once it took effect).
    const serving = this.replicas.filter((r) => r.state !== 'draining');
    writeFileSync(
      join(this.nginx.dir, 'nginx.conf'),
      nginxConfig(this.nginx.dir, { ...this.front, backends: serving.map((r) => ({ host: '127.0.0.1', port: r.port })) }, this.ctx.nginxWorkerProcesses),
    );
    process.kill(this.nginx.masterPid, 'SIGHUP');
    try {
      await waitUntil(
        () => this.nginx.workerPids().some((p) => !before.includes(p)),
        5000,
        `${this.config.service}-nginx to start workers with the new upstream list`,
        20,
      );
    } catch (err) {
      throw new ServebenchError('SB_ERR_NOT_READY', `nginx did not take the new upstream list: ${String(err)} (see ${join(this.nginx.dir, 'error.log')})`);
    }
    return before;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.chain;
    await this.nginx.stop();
    await Promise.all(this.replicas.map((r) => r.proc.stop()));
    // A reconcile may still have been starting one: give the supervisor's stopAll the rest.
    await sleep(0);
  }
}

async function startReplica(ctx: StartContext, config: ModelServiceConfig, index: number): Promise<Omit<Replica, 'state'>> {
  const name = `${config.service}-r${index}`;
  const c = { ...config, name, host: '127.0.0.1', port: 0 };
  const startedAtMs = epochMs();
  const { proc, ready } = await startNodeService(ctx.supervisor, {
    name,
    entry: 'src/serving/service-main',
    env: { [SERVICE_CONFIG_ENV]: JSON.stringify(c) },
    readyTimeoutMs: ctx.readyTimeoutMs,
    onMessage: (msg) => {
      if (msg.type === 'metrics') ctx.events.emitMetrics(msg.metrics);
    },
  });
  return { name, pid: ready.pid, port: ready.port, startedAtMs, proc };
}
