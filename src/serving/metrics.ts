// The per-process meter every server process runs: counters updated per request, and a ProcessMetrics
// sample sent to the parent at a fixed interval. Cheap by design: a few counters per request, one
// eventLoopUtilization diff, one histogram read and reset, and one IPC message per interval.

import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { BatchingMetrics, PredictTiming, ProcessMetrics, ScoreTiming, ServiceName } from '../results/serving.js';
import { sendToParent } from './channel.js';

export class ProcessMeter {
  requests = 0;
  errorResponses = 0;
  queueKnownRequests = 0;
  /** Responses whose timing is in the sums below (answers delivered), cumulative: the sums' denominator. */
  timedRequests = 0;
  /** Scoring processes. */
  readonly timingSumsMs = { featureRead: 0, modelA: 0, modelB: 0, total: 0, queue: 0 };
  /** Model API processes. */
  readonly predictSumsMs = { predict: 0, total: 0, queue: 0 };
  /** Model APIs with batching on: batches run, their requests and waits (waitMaxMs is reset each sample). */
  batching: BatchingMetrics | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastElu: EventLoopUtilization | undefined;
  private readonly delay = monitorEventLoopDelay({ resolution: 10 });

  constructor(
    readonly role: string,
    readonly name: string,
    readonly service: ServiceName | undefined,
    private readonly kind: 'scoring' | 'model' | 'primary',
  ) {}

  /** Error responses by 'status code', cumulative. */
  readonly errorCodes = new Map<string, number>();

  /** Count a finished response (an error answer by its status and code, e.g. '500 model_failed'). */
  response(status: number, code?: string): void {
    this.requests++;
    if (status < 400) return;
    this.errorResponses++;
    const key = code === undefined ? String(status) : `${status} ${code}`;
    this.errorCodes.set(key, (this.errorCodes.get(key) ?? 0) + 1);
  }

  /** Add a delivered /score answer's timing to the sums (scoring processes). */
  recordScore(t: ScoreTiming): void {
    const s = this.timingSumsMs;
    s.featureRead += t.featureReadMs;
    s.modelA += t.modelAMs;
    s.modelB += t.modelBMs;
    s.total += t.totalMs;
    this.timedRequests++;
    if (t.queueMs !== undefined) {
      s.queue += t.queueMs;
      this.queueKnownRequests++;
    }
  }

  /** Add a predict's timing to the sums (model APIs and queue workers). */
  recordPredict(t: PredictTiming): void {
    const s = this.predictSumsMs;
    s.predict += t.predictMs;
    s.total += t.totalMs;
    this.timedRequests++;
    if (t.queueMs !== undefined) {
      s.queue += t.queueMs;
      this.queueKnownRequests++;
    }
  }

  /** Count a batch run: its size and each of its requests' wait for it. */
  recordBatch(size: number, waitsMs: readonly number[]): void {
    this.batching ??= { batches: 0, requests: 0, waitMsSum: 0, waitMaxMs: 0 };
    const b = this.batching;
    b.batches++;
    b.requests += size;
    for (const w of waitsMs) {
      b.waitMsSum += w;
      if (w > b.waitMaxMs) b.waitMaxMs = w;
    }
  }

  /** Start sending samples every `intervalMs` (0: never). The timer never keeps the process alive. */
  start(intervalMs: number): void {
    if (intervalMs <= 0 || this.timer !== undefined) return;
    this.delay.enable();
    this.lastElu = performance.eventLoopUtilization();
    this.timer = setInterval(() => sendToParent({ type: 'metrics', metrics: this.sample(intervalMs) }), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.delay.disable();
  }

  /** One sample; resets the interval's event-loop figures. */
  sample(intervalMs: number): ProcessMetrics {
    const elu = performance.eventLoopUtilization();
    const diff = this.lastElu === undefined ? elu : performance.eventLoopUtilization(elu, this.lastElu);
    this.lastElu = elu;
    // The histogram is empty when the loop was blocked for the whole interval (no timer tick got in).
    const p99Ns = this.delay.count > 0 ? this.delay.percentile(99) : 0;
    this.delay.reset();
    const cpu = process.cpuUsage();
    const m: ProcessMetrics = {
      role: this.role,
      pid: process.pid,
      atMs: Date.now(),
      cpuUserUs: cpu.user,
      cpuSystemUs: cpu.system,
      rssBytes: process.memoryUsage.rss(),
      eventLoopUtilization: diff.utilization,
      eventLoopDelayP99Ms: p99Ns / 1e6,
      requests: this.requests,
      name: this.name,
      errorResponses: this.errorResponses,
      errorCodes: Object.fromEntries(this.errorCodes),
      intervalMs,
    };
    if (this.service !== undefined) m.service = this.service;
    if (this.kind === 'scoring') {
      m.timingSumsMs = { ...this.timingSumsMs };
      m.queueKnownRequests = this.queueKnownRequests;
      m.timedRequests = this.timedRequests;
    } else if (this.kind === 'model') {
      m.predictSumsMs = { ...this.predictSumsMs };
      m.queueKnownRequests = this.queueKnownRequests;
      m.timedRequests = this.timedRequests;
      if (this.batching !== undefined) {
        m.batching = { ...this.batching };
        this.batching.waitMaxMs = 0;
      }
    }
    return m;
  }
}
