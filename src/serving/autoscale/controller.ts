// The autoscaling controller: every sync period it reads the utilization of each ready replica from the
// ProcessMetrics the replicas already send (event-loop utilization: the share of time a one-request-at-a-
// time server is busy; or CPU, as a share of a CPU request), runs the HorizontalPodAutoscaler's rule
// (hpa.ts) and sets the replica count of its replica set. An emulation of the HPA's algorithm inside
// servebench, not Kubernetes: no pods, no metrics-server; real processes behind nginx.

import type { ProcessMetrics } from '../../results/serving.js';
import { epochMs } from '../http.js';
import { hpaSync, remember, type HpaSpec, type PastRecommendation } from './hpa.js';
import type { ReplicaState } from './replica-set.js';

type UtilizationMetric = 'elu' | 'cpu';

export interface AutoscalerOptions extends HpaSpec {
  /** How often the controller decides. [15 s in Kubernetes] */
  syncPeriodMs: number;
  /** elu: event-loop utilization (0..1); cpu: CPU time / wall time / cpuRequestCores. */
  metric: UtilizationMetric;
  /** cpu metric: the CPU each replica requests, cores (utilization 1 = that much used). @default 1 */
  cpuRequestCores?: number;
}

/** What the controller scales (NginxReplicaSet implements it). */
export interface ScaleTarget {
  readonly service: string;
  desired(): number;
  list(): { pid: number; state: ReplicaState; readyAtMs?: number }[];
  scaleTo(n: number): Promise<void>;
}

/** One sync of the controller, as data. */
export interface AutoscaleDecision {
  /** Epoch ms. */
  atMs: number;
  service: string;
  currentReplicas: number;
  readyReplicas: number;
  /** Mean utilization of the ready replicas with a fresh metric (null: none). */
  utilization: number | null;
  /** Per replica with a fresh metric. */
  perReplica: { pid: number; utilization: number }[];
  missing: number;
  unready: number;
  /** The calculator's recommendation, then the replica count set after stabilization and limits. */
  recommended: number;
  desired: number;
  reason: string;
}

type MetricsSource = (listener: (m: ProcessMetrics) => void) => () => void;

export class Autoscaler {
  private readonly samples = new Map<number, ProcessMetrics[]>();
  private history: PastRecommendation[] = [];
  private readonly log: AutoscaleDecision[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastSyncAt = epochMs();
  private readonly unsubscribe: () => void;
  private readonly listeners = new Set<(d: AutoscaleDecision) => void>();

  constructor(
    private readonly target: ScaleTarget,
    metrics: MetricsSource,
    readonly options: AutoscalerOptions,
  ) {
    this.unsubscribe = metrics((m) => {
      const list = this.samples.get(m.pid) ?? [];
      list.push(m);
      // A few periods' worth is enough (the cpu metric needs the sample before the period too).
      if (list.length > 64) list.splice(0, list.length - 64);
      this.samples.set(m.pid, list);
    });
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.lastSyncAt = epochMs();
    this.timer = setInterval(() => this.sync(), this.options.syncPeriodMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.unsubscribe();
  }

  decisions(): AutoscaleDecision[] {
    return [...this.log];
  }

  onDecision(listener: (d: AutoscaleDecision) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The utilization of one replica over (since, now], or undefined without a sample in it. */
  private utilizationOf(pid: number, since: number): number | undefined {
    const list = this.samples.get(pid) ?? [];
    const fresh = list.filter((m) => m.atMs > since);
    if (fresh.length === 0) return undefined;
    if (this.options.metric === 'elu') return fresh.reduce((a, m) => a + m.eventLoopUtilization, 0) / fresh.length;
    const before = [...list].reverse().find((m) => m.atMs <= since);
    const first = before ?? fresh[0]!;
    const last = fresh[fresh.length - 1]!;
    const wallMs = last.atMs - first.atMs;
    if (first === last || wallMs <= 0) return undefined;
    const cpuUs = last.cpuUserUs + last.cpuSystemUs - (first.cpuUserUs + first.cpuSystemUs);
    return cpuUs / 1000 / wallMs / (this.options.cpuRequestCores ?? 1);
  }

  /** One sync period: measure, decide, scale. Public so tests can drive it without waiting. */
  sync(nowMs = epochMs()): AutoscaleDecision {
    const since = this.lastSyncAt;
    this.lastSyncAt = nowMs;
    const list = this.target.list();
    const ready = list.filter((r) => r.state === 'ready');
    const perReplica: { pid: number; utilization: number }[] = [];
    let missing = 0;
    for (const r of ready) {
      // A replica's samples from before it received requests say nothing about the load.
      const u = this.utilizationOf(r.pid, Math.max(since, r.readyAtMs ?? 0));
      if (u === undefined) missing++;
      else perReplica.push({ pid: r.pid, utilization: u });
    }
    const current = this.target.desired();
    const unready = Math.max(0, current - ready.length);
    const d = hpaSync({ currentReplicas: current, utilizations: perReplica.map((p) => p.utilization), missing, unready }, nowMs, this.history, this.options);
    this.history = remember(this.history, { atMs: nowMs, replicas: d.recommended }, this.options);
    const decision: AutoscaleDecision = {
      atMs: nowMs,
      service: this.target.service,
      currentReplicas: current,
      readyReplicas: ready.length,
      utilization: perReplica.length === 0 ? null : perReplica.reduce((a, p) => a + p.utilization, 0) / perReplica.length,
      perReplica,
      missing,
      unready,
      recommended: d.recommended,
      desired: d.replicas,
      reason: [d.calculator, d.reason].filter((x) => x !== '').join('; '),
    };
    this.log.push(decision);
    for (const l of this.listeners) l(decision);
    if (d.replicas !== current) void this.target.scaleTo(d.replicas);
    return decision;
  }
}
