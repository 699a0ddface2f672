// The queue path's model workers (seed 001's ml_service): W node processes, each taking one job at a time
// off the broker's jobs list. Kept in a table of the ones alive; one that exits while the system runs
// leaves it, with a notice saying its jobs are lost.

import { exitDescription, type ManagedProcess, type Supervisor } from '../../processes/index.js';
import type { SystemProcess } from '../../results/serving.js';
import { DEFAULTS, QUEUE_WORKER_CONFIG_ENV, type QueueWorkerConfig } from '../config.js';
import type { SystemEvents } from '../events.js';
import { startNodeService } from '../topology/process.js';
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
  private readonly table = new Map<string, { proc: ManagedProcess; entry: SystemProcess }>();
  private stopping = false;

  constructor(
    private readonly supervisor: Supervisor,
    private readonly events: SystemEvents,
  ) {}

  /** Start `count` workers on the broker's jobs list; resolves when all are ready. */
  async start(o: ResolvedSystemOptions, count: number, brokerUrl: string, jobsKey: string): Promise<void> {
    await Promise.all(Array.from({ length: count }, (_, i) => this.startOne(workerConfig(o, brokerUrl, jobsKey, i), o.timeoutsMs.ready)));
  }

  private async startOne(cfg: QueueWorkerConfig, readyTimeoutMs: number): Promise<void> {
    const { proc } = await startNodeService(this.supervisor, {
      name: cfg.name,
      entry: 'src/serving/queue/worker-main',
      env: { [QUEUE_WORKER_CONFIG_ENV]: JSON.stringify(cfg) },
      readyTimeoutMs,
      onMessage: (msg) => {
        if (msg.type === 'metrics') this.events.emitMetrics(msg.metrics);
      },
    });
    this.table.set(cfg.name, { proc, entry: { role: 'model-worker', pid: proc.pid, name: cfg.name, service: 'model-worker' } });
    void proc.waitForExit().then((e) => {
      if (this.stopping) return;
      this.table.delete(cfg.name);
      this.events.emitNotice({
        kind: 'process-exited',
        name: cfg.name,
        pid: proc.pid,
        message:
          `${cfg.name} (pid ${proc.pid}) ${exitDescription(e)}; ` +
          'the jobs it held are lost (their requests get a 504), the others wait for the remaining workers',
      });
    });
  }

  /** The workers alive now, in name order. */
  list(): SystemProcess[] {
    return [...this.table.values()].map((w) => w.entry).sort((x, y) => x.name.localeCompare(y.name, 'en', { numeric: true }));
  }

  /** From now on an exit is the stop's doing: no notice. */
  expectExits(): void {
    this.stopping = true;
  }

  async stop(): Promise<void> {
    this.expectExits();
    await Promise.all([...this.table.values()].map((w) => w.proc.stop().catch(() => undefined)));
  }
}
