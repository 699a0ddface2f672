// Server-side sampling during a measured window: CPU % and RSS of every server process from /proc (any
// pid: servebench's own servers, their children such as nginx workers, or a user's deployment), plus the
// processes' own metrics sent over IPC (event-loop utilization, event-loop delay p99, requests, timing
// sums), differenced over the window.

import type { ProcessMetrics } from '../results/serving.js';
import type { ProcessSampleSummary, ServerTimingUs } from '../results/load.js';
import { mean, round1, round3 } from '../stats/index.js';
import { descendantsOf, readProcStat, type ProcStat } from './proc.js';

export interface SampledProcess {
  role: string;
  pid: number;
  name: string;
}

/** A source of ProcessMetrics (RunningSystem.onMetrics); returns an unsubscribe function. */
export type MetricsSource = (listener: (m: ProcessMetrics) => void) => () => void;

interface ProcSeries {
  proc: SampledProcess;
  /** [time ms, cpu seconds, rss bytes] */
  points: [number, number, number][];
  gone: boolean;
  /** Found after the window started (a replaced cluster worker, nginx workers after a reload). */
  joined: boolean;
}

/**
 * A process's error answers by 'status code' over the window, from its cumulative counts (all of them when it
 * started during the window); undefined when it sent none, or none happened.
 */
function errorCodesInWindow(first: ProcessMetrics | undefined, last: ProcessMetrics): Record<string, number> | undefined {
  if (last.errorCodes === undefined) return undefined;
  const out: Record<string, number> = {};
  for (const [code, n] of Object.entries(last.errorCodes)) {
    const d = n - (first?.errorCodes?.[code] ?? 0);
    if (d > 0) out[code] = d;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/** @default 250 */
const DEFAULT_SAMPLE_INTERVAL_MS = 250;
/** How often a window looks for new descendants (a scan of /proc takes about a millisecond). */
const DESCENDANT_SCAN_MS = 1000;

/**
 * Follows a set of server processes. Create it when the system is up (so the latest metrics before a window
 * are known), then `startWindow()` / `endWindow()` around each measured window.
 */
export class ServerSampler {
  private readonly latest = new Map<number, ProcessMetrics>();
  private readonly unsubscribe: (() => void) | undefined;
  private windowMetrics = new Map<number, ProcessMetrics[]>();
  private baseline = new Map<number, ProcessMetrics>();
  private series: ProcSeries[] = [];
  private timer: NodeJS.Timeout | undefined;
  private active = false;
  /** The listed processes and their descendants, found at each window's start and rescanned during it. */
  private followed: SampledProcess[] = [];
  private readonly processes: readonly SampledProcess[];
  private readonly listed: ReadonlySet<number>;
  private readonly parentRole: ReadonlyMap<number, string>;
  private lastScanMs = 0;

  constructor(
    processes: readonly SampledProcess[],
    metrics?: MetricsSource,
    private readonly intervalMs: number = DEFAULT_SAMPLE_INTERVAL_MS,
    /** Also sample the descendants of the listed processes (nginx workers, a profiler's child). @default true */
    private readonly includeDescendants = true,
  ) {
    // Metrics arrive over IPC, never during this call, so a subclass's fields are set before the first one.
    this.unsubscribe = metrics?.((m) => this.receive(m));
    this.listed = new Set(processes.map((p) => p.pid));
    this.parentRole = new Map(processes.map((p) => [p.pid, p.role]));
    this.processes = [...processes];
  }

  /** Add the descendants not followed yet; returns them. */
  private findDescendants(): SampledProcess[] {
    if (!this.includeDescendants) return [];
    this.lastScanMs = performance.now();
    const known = new Set(this.followed.map((p) => p.pid));
    const found: SampledProcess[] = [];
    for (const d of descendantsOf([...this.listed])) {
      if (known.has(d.pid)) continue;
      found.push({ role: `${this.parentRole.get(d.ppid) ?? 'child'}-child`, pid: d.pid, name: d.comm });
    }
    this.followed.push(...found);
    return found;
  }

  /** One metrics sample from a server process. */
  protected receive(m: ProcessMetrics): void {
    this.latest.set(m.pid, m);
    if (this.active) {
      const list = this.windowMetrics.get(m.pid) ?? [];
      list.push(m);
      this.windowMetrics.set(m.pid, list);
    }
  }

  startWindow(): void {
    // The listed processes (one that died shows as gone) and the descendants alive now: a worker replaced
    // before this window is followed as its replacement.
    this.followed = [...this.processes];
    this.findDescendants();
    this.series = this.followed.map((proc) => ({ proc, points: [], gone: false, joined: false }));
    this.baseline = new Map(this.latest);
    this.windowMetrics = new Map();
    this.active = true;
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  private sample(): void {
    const now = performance.now();
    if (this.includeDescendants && now - this.lastScanMs >= DESCENDANT_SCAN_MS) {
      for (const proc of this.findDescendants()) this.series.push({ proc, points: [], gone: false, joined: true });
    }
    for (const s of this.series) {
      if (s.gone) continue;
      const st: ProcStat | undefined = readProcStat(s.proc.pid);
      if (st === undefined) {
        s.gone = true;
        continue;
      }
      s.points.push([now, st.cpuSeconds, st.rssBytes]);
    }
  }

  /** End the window and summarise it per process. */
  endWindow(): ProcessSampleSummary[] {
    if (!this.active) return [];
    this.sample();
    this.active = false;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    return this.series.map((s) => this.summarise(s));
  }

  /** Mean per-request server timing over the window, from the scoring processes' cumulative sums. */
  serverTiming(): ServerTimingUs | undefined {
    let requests = 0;
    let queueKnown = 0;
    const sum = { featureRead: 0, modelA: 0, modelB: 0, total: 0, queue: 0 };
    for (const [pid, list] of this.windowMetrics) {
      const last = list[list.length - 1];
      const first = this.baseline.get(pid) ?? list[0];
      if (last?.timingSumsMs === undefined || first?.timingSumsMs === undefined || first === last) continue;
      // Each sum over its own count: the answers it holds (timedRequests), and for the queue those whose
      // queueing was known. `requests` (all responses) is only a fallback for processes that send no count.
      const n =
        last.timedRequests !== undefined && first.timedRequests !== undefined ? last.timedRequests - first.timedRequests : last.requests - first.requests;
      if (n <= 0) continue;
      requests += n;
      queueKnown += last.queueKnownRequests !== undefined && first.queueKnownRequests !== undefined ? last.queueKnownRequests - first.queueKnownRequests : n;
      for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += last.timingSumsMs[k] - first.timingSumsMs[k];
    }
    if (requests === 0) return undefined;
    const us = (ms: number, n = requests) => (n > 0 ? Math.round((ms * 1000) / n) : 0);
    return {
      requests,
      featureRead: us(sum.featureRead),
      modelA: us(sum.modelA),
      modelB: us(sum.modelB),
      total: us(sum.total),
      queue: us(sum.queue, queueKnown),
    };
  }

  private summarise(s: ProcSeries): ProcessSampleSummary {
    const notes: string[] = [];
    const pts = s.points;
    let cpuPercent: ProcessSampleSummary['cpuPercent'] = null;
    let rssBytes: ProcessSampleSummary['rssBytes'] = null;
    if (pts.length >= 2) {
      const first = pts[0]!;
      const last = pts[pts.length - 1]!;
      const wall = (last[0] - first[0]) / 1000;
      let max = 0;
      for (let i = 1; i < pts.length; i++) {
        const dt = (pts[i]![0] - pts[i - 1]![0]) / 1000;
        if (dt > 0) max = Math.max(max, ((pts[i]![1] - pts[i - 1]![1]) / dt) * 100);
      }
      cpuPercent = { mean: wall > 0 ? round1(((last[1] - first[1]) / wall) * 100) : 0, max: round1(max) };
    } else {
      notes.push(pts.length === 0 ? 'no /proc sample (process gone, or not Linux)' : 'too few /proc samples for CPU %');
    }
    if (pts.length > 0) {
      let sum = 0;
      let max = 0;
      for (const p of pts) {
        sum += p[2];
        max = Math.max(max, p[2]);
      }
      rssBytes = { mean: Math.round(sum / pts.length), max };
    }
    if (s.joined) notes.push('the process started during the window (a replacement worker, or nginx workers after a reload): sampled from when it was found');
    if (s.gone) notes.push('the process exited during the window');
    const ms = this.windowMetrics.get(s.proc.pid) ?? [];
    let elu: ProcessSampleSummary['eventLoopUtilization'] = null;
    let delay: ProcessSampleSummary['eventLoopDelayP99Us'] = null;
    let requests: number | null = null;
    let errorCodes: Record<string, number> | undefined;
    if (ms.length > 0) {
      elu = { mean: round3(mean(ms.map((m) => m.eventLoopUtilization))), max: round3(Math.max(...ms.map((m) => m.eventLoopUtilization))) };
      const d = ms.map((m) => m.eventLoopDelayP99Ms * 1000);
      delay = { mean: Math.round(mean(d)), max: Math.round(Math.max(...d)) };
      const first = this.baseline.get(s.proc.pid);
      const last = ms[ms.length - 1]!;
      // A process that started during the window served all its requests in it.
      requests = first !== undefined ? last.requests - first.requests : s.joined ? last.requests : null;
      if (first === undefined && !s.joined) notes.push('no metrics before the window: request count unknown');
      errorCodes = errorCodesInWindow(first, last);
    }
    return {
      role: s.proc.role,
      pid: s.proc.pid,
      name: s.proc.name,
      samples: pts.length,
      cpuPercent,
      rssBytes,
      eventLoopUtilization: elu,
      eventLoopDelayP99Us: delay,
      requests,
      ...(errorCodes === undefined ? {} : { errorCodes }),
      notes,
    };
  }

  /** Stop listening to metrics. */
  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.unsubscribe?.();
  }
}
