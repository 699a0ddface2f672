// What an experiment gets from the suite that runs it (the experiments suite, or the load suite when
// `--scenario` names one): the step settings, the system options, where to put runs, configurations and
// flags as they happen; and a server sampler that also tells it when a measured window starts and ends
// (to line up queue depth samples and replica timelines with it).

import type { StepSettings } from '../load/settings.js';
import { ServerSampler, type MetricsSource, type SampledProcess } from '../load/sampler.js';
import type { Flag } from '../results/common.js';
import type { LoadConfiguration, LoadRun } from '../results/load.js';
import type { ProcessMetrics, StoreKind } from '../results/serving.js';
import { epochMs } from '../serving/http.js';

export interface ExperimentContext {
  settings: StepSettings;
  store: StoreKind;
  redisUrl?: string;
  entities: number;
  seed: number;
  /** Worker processes per service of the cluster and nginx topologies. @default os.availableParallelism() */
  workers?: number;
  /** Rounds asked for with --repeats (else each experiment's own default). */
  repeats?: number;
  /** The scaling sweeps' server counts (--model-workers, --replicas), else the definition's. */
  scaling?: { modelWorkers?: number[]; replicas?: number[] };
  signal?: AbortSignal;
  /** A finished run: into LoadData.runs, a progress line, partial results. */
  onRun(run: LoadRun): void;
  /** A configuration, listed at once (its state is updated in place). */
  addConfiguration(c: LoadConfiguration): LoadConfiguration;
  addFlag(f: Flag): void;
}

/** A server sampler that also calls back at window start and end, and keeps the window's start (epoch ms). */
export class WindowSampler extends ServerSampler {
  windowStartEpochMs = 0;
  /** Every metrics sample received, by pid (bounded), for the experiments' own views. */
  readonly metricsByPid = new Map<number, ProcessMetrics[]>();

  constructor(
    processes: readonly SampledProcess[],
    metrics: MetricsSource | undefined,
    private readonly hooks: { onStart?: () => void; onEnd?: () => void } = {},
  ) {
    super(processes, metrics);
  }

  protected override receive(m: ProcessMetrics): void {
    super.receive(m);
    const list = this.metricsByPid.get(m.pid) ?? [];
    list.push(m);
    if (list.length > 2000) list.splice(0, list.length - 2000);
    this.metricsByPid.set(m.pid, list);
  }

  override startWindow(): void {
    this.windowStartEpochMs = epochMs();
    super.startWindow();
    this.hooks.onStart?.();
  }

  override endWindow(): ReturnType<ServerSampler['endWindow']> {
    const out = super.endWindow();
    this.hooks.onEnd?.();
    return out;
  }
}
