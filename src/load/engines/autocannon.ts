// The closed-loop engine: autocannon, C connections each sending its next request when the previous one
// is answered. In the servebench process (workers = 0) every response is timed from autocannon's own
// hrtime stamps at microsecond resolution and the warm-up is cut out by time within one run; with worker
// threads autocannon's events stay in the workers, so the figures come from its result, whose latency
// histogram holds whole milliseconds (the result says so in latencyResolution).

import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { ServebenchError } from '../../errors.js';
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
export function autocannonTimeoutS(timeoutMs: number): number {
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
  const binMs = options.binMs ?? 1000;
  const recorder = new LatencyRecorder(binMs);
  const failures = new FailureCounter();
  const rpsBins: number[] = [];
  const notes = new Set<string>();
  let completed = 0;
  let successes = 0;
  let bytes = 0;
  let windowStart = Number.POSITIVE_INFINITY;
  let windowEnd = Number.POSITIVE_INFINITY;
  let meter: GeneratorMeter | undefined;
  const inWindow = (t: number) => t >= windowStart && t < windowEnd;

  const onLost = (count: number, code: string) => {
    const t = performance.now();
    if (!inWindow(t)) return;
    for (let i = 0; i < count; i++) {
      failures.add('resets', code);
      recorder.recordFailure(t - windowStart);
      options.onSample?.({ sentAtMs: t - windowStart, latencyUs: 0, outcome: 'resets' });
    }
  };

  const acOptions: AutocannonOptions = {
    ...baseOptions(options, connections, pipelining),
    // Stopped by this engine at the end of the window; the duration is only a backstop.
    duration: (options.warmupMs + options.durationMs) / 1000 + 30,
    setupClient: fixStaleRequests(onLost, notes) as AutocannonOptions['setupClient'],
  };

  return new Promise<EngineResult>((resolve, reject) => {
    let finished = false;
    let instance: autocannon.Instance;
    const timers: NodeJS.Timeout[] = [];
    const finish = (err?: unknown) => {
      if (finished) return;
      finished = true;
      for (const t of timers) clearTimeout(t);
      options.signal?.removeEventListener('abort', endWindow);
      if (err !== undefined) {
        recorder.destroy();
        reject(err instanceof Error ? err : new ServebenchError('SB_ERR_INTERNAL', String(err)));
        return;
      }
      const generator = (meter ?? startGeneratorMeter('autocannon', 1)).stop();
      const windowMs = Math.max(0, Math.min(windowEnd, performance.now()) - Math.min(windowStart, performance.now()));
      const result: EngineResult = {
        windowMs: round1(windowMs),
        requests: { completed, successes },
        failures: failures.counts(),
        failureCodes: Object.fromEntries(failures.codes),
        rps: windowMs > 0 ? round1((successes * 1000) / windowMs) : 0,
        rpsSeries: wholeSeconds(rpsBins, windowMs),
        latencyUs: recorder.summary(),
        ...histogramOf(recorder),
        latencyResolution: {
          resolutionUs: 1,
          source: `autocannon in-process: request written -> response parsed, per response from its hrtime stamps (pipelining ${pipelining})${timeoutNote(options.timeoutMs)}${notes.size > 0 ? `; ${[...notes].join('; ')}` : ''}`,
        },
        latencySeries: recorder.series(windowMs),
        bytesReceived: bytes,
        generator,
      };
      recorder.destroy();
      resolve(result);
    };

    // With an amount: end the window once that many requests are done in it (bounded). The response and
    // error handlers end it as soon as the count is reached; this poll also covers requests lost to a closed
    // connection (counted outside them) and the cap.
    const amountReached = () => options.amount !== undefined && completed + failures.total >= options.amount;
    function endAtAmount() {
      const done = () => amountReached() || performance.now() - windowStart >= AMOUNT_CAP_MS;
      if (done()) return endWindow();
      // One interval for the whole window (cleared with the other timers when the run finishes).
      const poll = setInterval(() => {
        if (!done()) return;
        clearInterval(poll);
        endWindow();
      }, 10);
      timers.push(poll);
    }

    // At the planned end: end the window, or keep it open until enough responses are in (bounded).
    function endOrExtend() {
      const minRequests = options.minRequests ?? 0;
      const maxWindowMs = options.maxWindowMs ?? options.durationMs * 4;
      if (completed + failures.total < minRequests && performance.now() - windowStart < maxWindowMs) {
        timers.push(setTimeout(endOrExtend, 20));
        return;
      }
      endWindow();
    }

    function endWindow() {
      if (windowEnd !== Number.POSITIVE_INFINITY) return;
      const now = performance.now();
      if (windowStart === Number.POSITIVE_INFINITY) windowStart = now;
      windowEnd = now;
      meter?.stop();
      options.onWindowEnd?.();
      instance.stop();
    }

    try {
      instance = autocannon(acOptions, (err: unknown) => {
        if (err !== null && err !== undefined) finish(err);
        else finish();
      });
    } catch (err) {
      finish(err);
      return;
    }
    // autocannon reports invalid options through the callback, possibly already called.
    if (finished || typeof instance?.stop !== 'function') return;
    const startWindow = () => {
      windowStart = performance.now();
      meter = startGeneratorMeter('autocannon', 1);
      options.onWindowStart?.();
      // Timed from the window's real start (a late warm-up timer must not shorten the window); Node's
      // timers have millisecond granularity, so one more ms keeps the window at least durationMs long.
      if (options.amount !== undefined) endAtAmount();
      else timers.push(setTimeout(endOrExtend, options.durationMs + 1));
    };
    if (options.warmupMs > 0) timers.push(setTimeout(startWindow, options.warmupMs));
    else startWindow();
    options.signal?.addEventListener('abort', endWindow);
    if (options.signal?.aborted === true) endWindow();

    instance.on('response', (...args: unknown[]) => {
      const r = responseArgs(args);
      const t = performance.now();
      if (!inWindow(t)) return;
      const at = t - windowStart;
      completed++;
      bytes += r.bytes;
      const ok = r.statusCode >= 200 && r.statusCode < 300;
      if (ok) {
        successes++;
        recorder.record(r.responseTimeMs * 1000, at);
        const s = Math.floor(at / 1000);
        while (rpsBins.length <= s) rpsBins.push(0);
        rpsBins[s]!++;
      } else {
        failures.add('non2xx', String(r.statusCode));
        recorder.recordFailure(at);
      }
      options.onSample?.({ sentAtMs: at - r.responseTimeMs, latencyUs: r.responseTimeMs * 1000, outcome: ok ? 'success' : 'non2xx' });
      // Not from inside autocannon's own response handling: right after it.
      if (amountReached()) setImmediate(endWindow);
    });
    instance.on('reqError', (err: unknown) => {
      const t = performance.now();
      if (!inWindow(t)) return;
      const kind = classifyError(err);
      failures.add(kind, kind === 'timeouts' ? 'timeout' : errorCode(err));
      recorder.recordFailure(t - windowStart);
      options.onSample?.({ sentAtMs: t - windowStart, latencyUs: 0, outcome: kind });
      if (amountReached()) setImmediate(endWindow);
    });
  });
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
      source: `autocannon with ${workers} worker threads: its own latency histogram, whole milliseconds; resets are counted among errors; the warm-up was a separate run${timeoutNote(options.timeoutMs)}`,
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

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
