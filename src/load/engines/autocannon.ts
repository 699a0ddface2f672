// The closed-loop engine: autocannon, C connections each sending its next request when the previous one
// is answered. In the servebench process (workers = 0) every response is timed from autocannon's own
// hrtime stamps at microsecond resolution and the warm-up is cut out by time within one run; with worker
// threads autocannon's events stay in the workers, so the figures come from its result, whose latency
// histogram holds whole milliseconds (the result says so in latencyResolution).

import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { ServebenchError } from '../../errors.js';
import { round1 } from '../../stats/index.js';
import { classifyError, errorCode, FailureCounter } from '../failures.js';
import { histogramOf, LatencyRecorder } from '../latency.js';
import { startGeneratorMeter, type GeneratorMeter } from './generator-meter.js';
import type { EngineResult, EngineRunOptions, LoadEngine } from './types.js';

/** autocannon checks for the end of a run every sampleInt ms; short, so a stop takes effect quickly. */
const SAMPLE_INTERVAL_MS = 100;
/** Longest window of a run given an amount of requests. */
const AMOUNT_CAP_MS = 600_000;

export const autocannonEngine: LoadEngine = {
  name: 'autocannon',
  run(options: EngineRunOptions): Promise<EngineResult> {
    const load = options.load;
    if (load.kind !== 'closed')
      throw new ServebenchError('SB_ERR_OPTION', 'the autocannon engine applies a closed-loop load (connections); use the open engine for a rate');
    return load.workers > 0 ? runInWorkers(options, load.connections, load.pipelining, load.workers) : runInProcess(options, load.connections, load.pipelining);
  },
};

type AutocannonOptions = autocannon.Options;

/** autocannon takes its request timeout in whole seconds, at least 1. */
function autocannonTimeoutS(timeoutMs: number): number {
  return Math.max(1, Math.round(timeoutMs / 1000));
}

function timeoutNote(timeoutMs: number): string {
  const s = autocannonTimeoutS(timeoutMs);
  return s * 1000 === timeoutMs ? '' : `; autocannon's timeout is whole seconds: ${s} s used for ${timeoutMs} ms`;
}

function baseOptions(options: EngineRunOptions, connections: number, pipelining: number): AutocannonOptions {
  const { target } = options;
  const common: AutocannonOptions = {
    url: target.url,
    method: target.method,
    headers: target.headers,
    connections,
    pipelining,
    timeout: autocannonTimeoutS(options.timeoutMs),
    sampleInt: SAMPLE_INTERVAL_MS,
  } as AutocannonOptions;
  if (target.bodies.length === 1) common.body = target.bodies[0];
  // Several bodies: autocannon sends them in turn on each connection.
  if (target.bodies.length > 1) common.requests = target.bodies.map((body) => ({ method: target.method, body, headers: target.headers }));
  return common;
}

/** The part of autocannon's per-connection client this engine reaches into (see fixStaleRequests). */
interface ClientInternals {
  _connect?: () => void;
  conn?: NodeJS.EventEmitter & { prependListener(event: string, fn: (...args: unknown[]) => void): unknown };
  destroyed?: boolean;
  pipelinedRequests?: { size(): number; clear(): void };
}

/**
 * autocannon reconnects silently when a server closes a connection (FIN) with requests outstanding, and
 * after a reset it keeps the lost requests queued, so the next response is paired with the wrong request.
 * This hook counts the lost requests as resets and drops them from the queue before autocannon reconnects.
 * It touches autocannon internals; when they are not as expected it does nothing and says so.
 */
function fixStaleRequests(onLost: (count: number, code: string) => void, notes: Set<string>) {
  return (client: unknown): void => {
    const c = client as ClientInternals;
    const original = c._connect;
    if (typeof original !== 'function') {
      notes.add('autocannon internals changed: requests lost to a closed connection are not counted');
      return;
    }
    c._connect = function patchedConnect(this: ClientInternals) {
      original.call(this);
      const conn = this.conn;
      if (conn === undefined || typeof conn.prependListener !== 'function' || this.pipelinedRequests === undefined) return;
      const lose = (code: string, count: boolean) => () => {
        if (this.destroyed === true) return;
        const pending = this.pipelinedRequests?.size() ?? 0;
        // An 'error' is counted by autocannon's own reqError event; only a silent close needs counting here.
        if (count && pending > 0) onLost(pending, code);
        this.pipelinedRequests?.clear();
      };
      conn.prependListener('end', lose('closed-by-server', true));
      conn.prependListener('error', lose('error', false));
    };
  };
}

interface ResponseListenerArgs {
  statusCode: number;
  bytes: number;
  responseTimeMs: number;
}

function runInProcess(options: EngineRunOptions, connections: number, pipelining: number): Promise<EngineResult> {
  return new InProcessRun(options, connections, pipelining).run();
}

/**
 * One closed-loop run in this process: autocannon runs through the warm-up and the window; this object
 * opens the window, counts what happens in it (responses, errors, requests lost to closed connections),
 * ends it after its duration, its amount or an abort, and makes the figures once autocannon has stopped.
 */
class InProcessRun {
  private readonly recorder: LatencyRecorder;
  private readonly failures = new FailureCounter();
  private readonly rpsBins: number[] = [];
  private readonly notes = new Set<string>();
  private completed = 0;
  private successes = 0;
  private bytes = 0;
  private windowStart = Number.POSITIVE_INFINITY;
  private windowEnd = Number.POSITIVE_INFINITY;
  private meter: GeneratorMeter | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private instance: autocannon.Instance | undefined;
  private finished = false;
  private resolve!: (r: EngineResult) => void;
  private reject!: (err: Error) => void;

  constructor(
    private readonly options: EngineRunOptions,
    private readonly connections: number,
    private readonly pipelining: number,
  ) {
    this.recorder = new LatencyRecorder(options.binMs ?? 1000);
  }

  run(): Promise<EngineResult> {
    const { options } = this;
    const acOptions: AutocannonOptions = {
      ...baseOptions(options, this.connections, this.pipelining),
      // Stopped by this engine at the end of the window; the duration is only a backstop.
      duration: (options.warmupMs + options.durationMs) / 1000 + 30,
      setupClient: fixStaleRequests(this.onLost, this.notes) as AutocannonOptions['setupClient'],
    };
    return new Promise<EngineResult>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      let instance: autocannon.Instance;
      try {
        instance = autocannon(acOptions, (err: unknown) => this.finish(err === null ? undefined : err));
      } catch (err) {
        this.finish(err);
        return;
      }
      // autocannon reports invalid options through the callback, possibly already called.
      if (this.finished || typeof instance?.stop !== 'function') return;
      this.instance = instance;
      if (options.warmupMs > 0) this.timers.push(setTimeout(this.startWindow, options.warmupMs));
      else this.startWindow();
      options.signal?.addEventListener('abort', this.endWindow);
      if (options.signal?.aborted === true) this.endWindow();
      instance.on('response', (...args: unknown[]) => this.onResponse(responseArgs(args)));
      instance.on('reqError', this.onReqError);
    });
  }

  private inWindow(t: number): boolean {
    return t >= this.windowStart && t < this.windowEnd;
  }

  private amountReached(): boolean {
    return this.options.amount !== undefined && this.completed + this.failures.total >= this.options.amount;
  }

  private readonly onLost = (count: number, code: string): void => {
    const t = performance.now();
    if (!this.inWindow(t)) return;
    for (let i = 0; i < count; i++) {
      this.failures.add('resets', code);
      this.recorder.recordFailure(t - this.windowStart);
      this.options.onSample?.({ sentAtMs: t - this.windowStart, latencyUs: 0, outcome: 'resets' });
    }
  };

  private onResponse(r: ResponseListenerArgs): void {
    const t = performance.now();
    if (!this.inWindow(t)) return;
    const at = t - this.windowStart;
    this.completed++;
    this.bytes += r.bytes;
    const ok = r.statusCode >= 200 && r.statusCode < 300;
    if (ok) {
      this.successes++;
      this.recorder.record(r.responseTimeMs * 1000, at);
      const s = Math.floor(at / 1000);
      while (this.rpsBins.length <= s) this.rpsBins.push(0);
      this.rpsBins[s]!++;
    } else {
      this.failures.add('non2xx', String(r.statusCode));
      this.recorder.recordFailure(at);
    }
    this.options.onSample?.({ sentAtMs: at - r.responseTimeMs, latencyUs: r.responseTimeMs * 1000, outcome: ok ? 'success' : 'non2xx' });
    // Not from inside autocannon's own response handling: right after it.
    if (this.amountReached()) setImmediate(this.endWindow);
  }

  private readonly onReqError = (err: unknown): void => {
    const t = performance.now();
    if (!this.inWindow(t)) return;
    const kind = classifyError(err);
    this.failures.add(kind, kind === 'timeouts' ? 'timeout' : errorCode(err));
    this.recorder.recordFailure(t - this.windowStart);
    this.options.onSample?.({ sentAtMs: t - this.windowStart, latencyUs: 0, outcome: kind });
    if (this.amountReached()) setImmediate(this.endWindow);
  };

  private readonly startWindow = (): void => {
    const { options } = this;
    this.windowStart = performance.now();
    this.meter = startGeneratorMeter('autocannon', 1);
    options.onWindowStart?.();
    // Timed from the window's real start (a late warm-up timer must not shorten the window); Node's
    // timers have millisecond granularity, so one more ms keeps the window at least durationMs long.
    if (options.amount !== undefined) this.endAtAmount();
    else this.timers.push(setTimeout(this.endOrExtend, options.durationMs + 1));
  };

  // With an amount: end the window once that many requests are done in it (bounded). The response and
  // error handlers end it as soon as the count is reached; this poll also covers requests lost to a closed
  // connection (counted outside them) and the cap.
  private endAtAmount(): void {
    const done = () => this.amountReached() || performance.now() - this.windowStart >= AMOUNT_CAP_MS;
    if (done()) {
      this.endWindow();
      return;
    }
    // One interval for the whole window (cleared with the other timers when the run finishes).
    const poll = setInterval(() => {
      if (!done()) return;
      clearInterval(poll);
      this.endWindow();
    }, 10);
    this.timers.push(poll);
  }

  /** At the planned end: end the window, or keep it open until enough responses are in (bounded). */
  private readonly endOrExtend = (): void => {
    const minRequests = this.options.minRequests ?? 0;
    const maxWindowMs = this.options.maxWindowMs ?? this.options.durationMs * 4;
    if (this.completed + this.failures.total < minRequests && performance.now() - this.windowStart < maxWindowMs) {
      this.timers.push(setTimeout(this.endOrExtend, 20));
      return;
    }
    this.endWindow();
  };

  private readonly endWindow = (): void => {
    if (this.windowEnd !== Number.POSITIVE_INFINITY) return;
    const now = performance.now();
    if (this.windowStart === Number.POSITIVE_INFINITY) this.windowStart = now;
    this.windowEnd = now;
    this.meter?.stop();
    this.options.onWindowEnd?.();
    this.instance?.stop();
  };

  private finish(err?: unknown): void {
    if (this.finished) return;
    this.finished = true;
    for (const t of this.timers) clearTimeout(t);
    this.options.signal?.removeEventListener('abort', this.endWindow);
    if (err !== undefined) {
      this.recorder.destroy();
      this.reject(err instanceof Error ? err : new ServebenchError('SB_ERR_INTERNAL', String(err)));
      return;
    }
    const result = this.result();
    this.recorder.destroy();
    this.resolve(result);
  }

  private result(): EngineResult {
    const { options, notes } = this;
    const generator = (this.meter ?? startGeneratorMeter('autocannon', 1)).stop();
    const windowMs = Math.max(0, Math.min(this.windowEnd, performance.now()) - Math.min(this.windowStart, performance.now()));
    const caveats = `${timeoutNote(options.timeoutMs)}${notes.size > 0 ? `; ${[...notes].join('; ')}` : ''}`;
    return {
      windowMs: round1(windowMs),
      requests: { completed: this.completed, successes: this.successes },
      failures: this.failures.counts(),
      failureCodes: Object.fromEntries(this.failures.codes),
      rps: windowMs > 0 ? round1((this.successes * 1000) / windowMs) : 0,
      rpsSeries: wholeSeconds(this.rpsBins, windowMs),
      latencyUs: this.recorder.summary(),
      ...histogramOf(this.recorder),
      latencyResolution: {
        resolutionUs: 1,
        source: `autocannon in-process: request written -> response parsed, per response from its hrtime stamps (pipelining ${this.pipelining})${caveats}`,
      },
      latencySeries: this.recorder.series(windowMs),
      bytesReceived: this.bytes,
      generator,
    };
  }
}

/** autocannon's 'response' event: (client, statusCode, resBytes, responseTime in ms). */
function responseArgs(args: unknown[]): ResponseListenerArgs {
  return { statusCode: Number(args[1]), bytes: Number(args[2]) || 0, responseTimeMs: Number(args[3]) || 0 };
}

/** Worker-thread mode: a separate warm-up run, then the measured run, figures from autocannon's own result. */
async function runInWorkers(options: EngineRunOptions, connections: number, pipelining: number, workers: number): Promise<EngineResult> {
  const base = baseOptions(options, connections, pipelining);
  if (options.warmupMs > 0) await autocannon({ ...base, workers, duration: options.warmupMs / 1000 });
  options.onWindowStart?.();
  const meter = startGeneratorMeter('autocannon', workers);
  const t0 = performance.now();
  const r = await autocannon({ ...base, workers, ...(options.amount === undefined ? { duration: options.durationMs / 1000 } : { amount: options.amount }) });
  const windowMs = performance.now() - t0;
  const generator = meter.stop();
  options.onWindowEnd?.();
  const timeouts = r.timeouts;
  const non2xx = r.non2xx;
  // autocannon counts timeouts among its errors; it cannot tell resets from other errors in this mode.
  const errors = Math.max(0, r.errors - timeouts);
  const successes = r['2xx'];
  const lat = r.latency as unknown as Record<string, number>;
  const ms = (k: string) => Math.round((lat[k] ?? 0) * 1000);
  return {
    windowMs: round1(windowMs),
    requests: { completed: successes + non2xx, successes },
    failures: { total: errors + timeouts + non2xx, byKind: { errors, timeouts, non2xx, resets: 0 } },
    failureCodes: Object.fromEntries(
      Object.entries(r.statusCodeStats ?? {})
        .filter(([code]) => !code.startsWith('2'))
        .map(([code, v]) => [code, (v as { count: number }).count]),
    ),
    rps: windowMs > 0 ? round1((successes * 1000) / windowMs) : 0,
    rpsSeries: [],
    latencyUs: { min: ms('min'), mean: ms('mean'), stdev: ms('stddev'), p50: ms('p50'), p90: ms('p90'), p99: ms('p99'), p999: ms('p99_9'), max: ms('max') },
    latencyResolution: {
      resolutionUs: 1000,
      source:
        `autocannon with ${workers} worker threads: its own latency histogram, whole milliseconds; resets are counted among errors; ` +
        `the warm-up was a separate run${timeoutNote(options.timeoutMs)}`,
    },
    latencySeries: [],
    bytesReceived: r.throughput.total,
    generator,
  };
}

/** Per-second counts, one entry per whole second of the window. */
function wholeSeconds(bins: number[], windowMs: number): number[] {
  const n = Math.floor(windowMs / 1000 + 1e-9);
  return Array.from({ length: n }, (_, i) => bins[i] ?? 0);
}
