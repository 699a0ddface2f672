// The queue path's model workers (seed 001's ml_service): W node processes, each taking one job at a time
// off the broker's jobs list. Kept in a table of the ones alive; one that exits while the system runs
// leaves it, with a notice saying its jobs are lost, and is restarted (same name) under the restart policy.

import { exitDescription, type RestartPolicy, type Supervisor } from '../../processes/index.js';
import type { SystemProcess } from '../../results/serving.js';
import { DEFAULTS, QUEUE_WORKER_CONFIG_ENV, type QueueWorkerConfig } from '../config.js';
import type { SystemEvents } from '../events.js';
import { reportLifecycle, startKeptNode, type KeptNode } from '../topology/service-processes.js';
import type { ResolvedSystemOptions } from '../types.js';

/** Model worker i's settings: where the jobs are, and the predict it runs. */
function workerConfig(o: ResolvedSystemOptions, brokerUrl: string, jobsKey: string, i: number): QueueWorkerConfig {
  return {
    name: `model-worker-w${i}`,
    url: brokerUrl,
    jobsKey,
    predict: o.predict,
    ioWaitMs: o.ioWaitMs,
    ...(o.kernel === undefined ? {} : { kernel: o.kernel }),
    n: o.n ?? DEFAULTS.n,
    nMax: o.nMax,
    seed: o.seed,
    featureCount: o.featureCount,
    metricsIntervalMs: o.metricsIntervalMs,
    ...(o.models === undefined ? {} : { modelFiles: o.models }),
  };
}

export class ModelWorkers {
  /** Each worker, by name, and the process it runs now (none while it is down). */
  private readonly nodes = new Map<string, KeptNode>();
  private readonly alive = new Map<string, SystemProcess>();
  private stopping = false;

  constructor(
    private readonly supervisor: Supervisor,
    private readonly events: SystemEvents,
    private readonly restart: RestartPolicy | false,
  ) {}

  /** Start `count` workers on the broker's jobs list; resolves when all are ready. */
  async start(o: ResolvedSystemOptions, count: number, brokerUrl: string, jobsKey: string): Promise<void> {
    await Promise.all(Array.from({ length: count }, (_, i) => this.startOne(workerConfig(o, brokerUrl, jobsKey, i), o.timeoutsMs.ready)));
  }

  private async startOne(cfg: QueueWorkerConfig, readyTimeoutMs: number): Promise<void> {
    const report = reportLifecycle(
      this.events,
      'model-worker',
      (e) =>
        `${cfg.name} (pid ${e.pid}) ${exitDescription(e)}; ` +
        'the jobs it held are lost (their requests get a 504), the others wait for the remaining workers',
    );
    const node = await startKeptNode(this.supervisor, {
      name: cfg.name,
      entry: 'src/serving/queue/worker-main',
      env: () => ({ [QUEUE_WORKER_CONFIG_ENV]: JSON.stringify(cfg) }),
      port: 0,
      readyTimeoutMs,
      onMessage: (msg) => {
        if (msg.type === 'metrics') this.events.emitMetrics(msg.metrics);
      },
      entries: (ready) => [{ role: 'model-worker', pid: ready.pid, name: cfg.name, service: 'model-worker' }],
      restart: this.restart,
      onStarted: ([entry]) => {
        if (entry !== undefined) this.alive.set(cfg.name, entry);
      },
      report: (e) => {
        if (this.stopping) return;
        if (e.kind === 'exited') this.alive.delete(cfg.name);
        report(e);
      },
    });
    this.nodes.set(cfg.name, node);
  }

  /** The workers alive now, in name order. */
  list(): SystemProcess[] {
    return [...this.alive.values()].sort((x, y) => x.name.localeCompare(y.name, 'en', { numeric: true }));
  }

  /** A hang fault: the first worker alive (or every one) takes no job for `ms`. Returns the workers told. */
  hang(ms: number, scope: 'all' | 'one-worker'): SystemProcess[] {
    const alive = this.list();
    const told = scope === 'one-worker' ? alive.slice(0, 1) : alive;
    for (const w of told) this.nodes.get(w.name)?.hang({ type: 'hang', ms });
    return told;
  }

  /** From now on an exit is the stop's doing: no notice. */
  expectExits(): void {
    this.stopping = true;
  }

  async stop(): Promise<void> {
    this.expectExits();
    await Promise.all([...this.nodes.values()].map((n) => n.kept.stop().catch(() => undefined)));
  }
}
