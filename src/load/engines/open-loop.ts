// The open-loop engine: requests arrive on a schedule fixed in advance (Poisson or constant, at a target
// rate), whatever the server does. Each request's latency is timed from its *scheduled* send time, as
// wrk2 and MLPerf LoadGen do, so a stalled server shows the waiting of every request that arrived during
// the stall instead of one slow request per connection (coordinated omission). At most `maxInFlight`
// requests are outstanding; later arrivals wait in a queue, their wait counted in their latency and as a
// late send. Latencies go into an HDR histogram in microseconds.

import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { ServebenchError } from '../../errors.js';
import type { LoadShape } from '../../results/load.js';
import { createArrivals, type ArrivalSchedule } from '../arrivals.js';
import { classifyError, errorCode, FailureCounter } from '../failures.js';
import { histogramOf, LatencyRecorder } from '../latency.js';
import { startGeneratorMeter, type GeneratorMeter } from './generator-meter.js';
import type { EngineResult, EngineRunOptions, LoadEngine } from './types.js';

/** A send later than this after its scheduled time counts as late (timers alone are ~1 ms coarse). */
export const DEFAULT_LATE_TOLERANCE_US = 5000;
/** How long after the window the engine waits for the window's requests to finish, beyond the request timeout. */
const DRAIN_EXTRA_MS = 500;

export const openLoopEngine: LoadEngine = {
  name: 'open',
  run(options: EngineRunOptions): Promise<EngineResult> {
    if (options.load.kind !== 'open')
      throw new ServebenchError('SB_ERR_OPTION', 'the open engine applies an arrival rate; use autocannon for a fixed number of connections');
    return runAtRate(options, options.load);
  },
};

async function runAtRate(options: EngineRunOptions, load: Extract<LoadShape, { kind: 'open' }>): Promise<EngineResult> {
  const { rateRps, arrivals, maxInFlight, seed } = load;
  // The rate fixes how many requests a window holds: lengthen it up front if that is below the minimum
  // (with a margin: a Poisson window holds a random number of arrivals).
  const wanted = (options.minRequests ?? 0) * 1.5;
  const durationMs =
    options.amount !== undefined
      ? Math.ceil((options.amount / rateRps) * 1000)
      : Math.min(
          Math.max(options.durationMs, Math.ceil((wanted / rateRps) * 1000)),
          Math.max(options.durationMs, options.maxWindowMs ?? options.durationMs * 4),
        );
  return runOpenLoop(options, {
    schedule: createArrivals(rateRps, arrivals, seed),
    durationMs,
    maxInFlight,
    targetRps: rateRps,
    source: 'open loop (undici): scheduled send time -> last byte of the response, performance.now()',
  });
}

/** What one open-loop run follows (the engine's own rate, or another schedule such as a rate profile). */
export interface OpenLoopPlan {
  /** Send times, ms from the start of the warm-up. */
  schedule: ArrivalSchedule;
  /** The measured window, after `options.warmupMs`, ms (it lasts this long even past the last arrival). */
  durationMs: number;
  /** Requests allowed in flight at once; later arrivals wait. */
  maxInFlight: number;
  /** The rate reported as the target (a profile's peak). */
  targetRps: number;
  /** How latency was timed, for latencyResolution. */
  source: string;
}

interface Pending {
  /** Scheduled send time (performance.now() clock). */
  at: number;
  measured: boolean;
}

/** Apply `plan`'s arrivals for a warm-up and a measured window (options.warmupMs, plan.durationMs). */
export async function runOpenLoop(options: EngineRunOptions, plan: OpenLoopPlan): Promise<EngineResult> {
  const { maxInFlight, schedule } = plan;
  const url = new URL(options.target.url);
  const path = `${url.pathname}${url.search}`;
  const { method, headers, bodies } = options.target;
  const toleranceUs = options.lateToleranceUs ?? DEFAULT_LATE_TOLERANCE_US;
  const binMs = options.binMs ?? 1000;
  const pool = new Pool(url.origin, {
    connections: maxInFlight,
    pipelining: 1,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connectTimeout: options.timeoutMs,
    keepAliveTimeout: 30_000,
  });

  const recorder = new LatencyRecorder(binMs);
  const failures = new FailureCounter();
  const rpsBins: number[] = [];
  const late = { total: 0, inFlightBound: 0, generator: 0 };
  let scheduledInWindow = 0;
  let completed = 0;
  let successes = 0;
  let successesInWindow = 0;
  let bytes = 0;
  let inFlight = 0;
  let peakInFlight = 0;
  let measuredOutstanding = 0;
  let bodyIndex = 0;
  const queue: Pending[] = [];
  const active = new Map<AbortController, Pending>();
  let ending = false;
  let windowDone: (() => void) | undefined;
  let abortPump: (() => void) | undefined;

  const t0 = performance.now();
  const windowStart = t0 + options.warmupMs;
  let windowEnd = windowStart + plan.durationMs;
  let scheduling = true;
  let meter: GeneratorMeter | undefined;
  let windowStarted = false;
  let windowEnded = false;
  let nextAt = t0 + schedule.next();
  let timer: NodeJS.Timeout | undefined;
  let drained: (() => void) | undefined;

  const startWindow = () => {
    if (windowStarted) return;
    windowStarted = true;
    meter = startGeneratorMeter('open', 1);
    options.onWindowStart?.();
  };
  const endWindow = () => {
    if (windowEnded) return;
    windowEnded = true;
    startWindow();
    meter?.stop();
    options.onWindowEnd?.();
    windowDone?.();
  };
  const onAbort = () => {
    windowEnd = Math.min(windowEnd, performance.now());
    scheduling = false;
    abortPump?.();
  };
  options.signal?.addEventListener('abort', onAbort);
  if (options.signal?.aborted === true) onAbort();

  const settle = (p: Pending) => {
    inFlight--;
    if (p.measured) measuredOutstanding--;
    while (queue.length > 0 && inFlight < maxInFlight) send(queue.shift()!, true);
    if (!scheduling && measuredOutstanding === 0) drained?.();
  };

  const send = (p: Pending, fromQueue: boolean) => {
    const now = performance.now();
    if (p.measured) {
      const lateUs = (now - p.at) * 1000;
      if (lateUs > toleranceUs) {
        late.total++;
        if (fromQueue) late.inFlightBound++;
        else late.generator++;
      }
    }
    inFlight++;
    if (inFlight > peakInFlight) peakInFlight = inFlight;
    const body = bodies.length === 0 ? undefined : bodies[bodyIndex++ % bodies.length];
    const abort = new AbortController();
    active.set(abort, p);
    const timeout = setTimeout(() => abort.abort(new TimeoutError(options.timeoutMs)), options.timeoutMs);
    void (async () => {
      let status = 0;
      let received = 0;
      let failure: unknown;
      try {
        const res = await pool.request({ path, method, headers, body, signal: abort.signal });
        status = res.statusCode;
        for await (const chunk of res.body) received += (chunk as Buffer).length;
      } catch (err) {
        failure = abort.signal.aborted && abort.signal.reason instanceof TimeoutError ? abort.signal.reason : err;
      } finally {
        clearTimeout(timeout);
        active.delete(abort);
      }
      if (ending) return;
      const end = performance.now();
      const ok = failure === undefined && status >= 200 && status < 300;
      if (ok && end >= windowStart && end < windowEnd) {
        successesInWindow++;
        const s = Math.floor((end - windowStart) / 1000);
        while (rpsBins.length <= s) rpsBins.push(0);
        rpsBins[s]!++;
      }
      if (p.measured) {
        const at = p.at - windowStart;
        const latencyUs = (end - p.at) * 1000;
        bytes += received;
        if (failure === undefined) completed++;
        if (ok) {
          successes++;
          recorder.record(latencyUs, at);
          options.onSample?.({ sentAtMs: at, latencyUs, outcome: 'success' });
        } else if (failure === undefined) {
          failures.add('non2xx', String(status));
          recorder.recordFailure(at);
          options.onSample?.({ sentAtMs: at, latencyUs, outcome: 'non2xx' });
        } else {
          const kind = classifyError(failure);
          failures.add(kind, kind === 'timeouts' ? 'timeout' : errorCode(failure));
          recorder.recordFailure(at);
          options.onSample?.({ sentAtMs: at, latencyUs, outcome: kind });
        }
      }
      settle(p);
    })();
  };

  // The scheduler: every due arrival is sent (or queued behind the in-flight bound) at once; the timer
  // then sleeps until the next one is due. A late timer makes sends late, and that lateness is part of
  // each latency (timed from the schedule), so a busy generator can only make figures worse, never better.
  const pump = () => {
    timer = undefined;
    let now = performance.now();
    // The window's start hooks (server sampling) run after this tick's sends, so they never delay one.
    const crossing = !windowStarted && now >= windowStart;
    if (scheduling && now >= windowEnd) {
      scheduling = false;
    }
    while (scheduling && nextAt <= now) {
      if (nextAt >= windowEnd) {
        scheduling = false;
        break;
      }
      const measured = nextAt >= windowStart;
      if (measured) {
        scheduledInWindow++;
        measuredOutstanding++;
      }
      const p: Pending = { at: nextAt, measured };
      if (inFlight < maxInFlight && queue.length === 0) send(p, false);
      else queue.push(p);
      nextAt = t0 + schedule.next();
      now = performance.now();
    }
    if (crossing) startWindow();
    if (!scheduling) {
      if (now >= windowEnd) endWindow();
      else timer = setTimeout(pump, Math.max(0, Math.ceil(windowEnd - now)));
      if (measuredOutstanding === 0) drained?.();
      return;
    }
    const wake = Math.min(nextAt, windowStarted ? windowEnd : windowStart);
    timer = setTimeout(pump, Math.max(0, Math.floor(wake - now)));
  };

  const allDrained = new Promise<void>((resolve) => {
    drained = resolve;
  });
  const scheduleDone = new Promise<void>((resolve) => {
    windowDone = resolve;
  });
  abortPump = () => {
    if (timer !== undefined) clearTimeout(timer);
    pump();
  };
  pump();
  await scheduleDone;
  // Then wait for the window's requests to finish: every one sent has timed out by the end of this wait.
  if (measuredOutstanding > 0) {
    let drainTimer: NodeJS.Timeout | undefined;
    await Promise.race([allDrained, new Promise<void>((r) => (drainTimer = setTimeout(r, options.timeoutMs + DRAIN_EXTRA_MS)))]);
    clearTimeout(drainTimer);
  }
  if (timer !== undefined) clearTimeout(timer);
  options.signal?.removeEventListener('abort', onAbort);

  // Requests of the window still unanswered, or never sent because the in-flight bound stayed full, are
  // counted as timeouts (and as `unfinished`); they are not in the latency histogram, like every failure.
  ending = true;
  let unfinished = 0;
  for (const p of queue) {
    if (!p.measured) continue;
    unfinished++;
    failures.add('timeouts', 'unfinished');
    recorder.recordFailure(p.at - windowStart);
  }
  queue.length = 0;
  for (const [abort, p] of active) {
    if (p.measured) {
      unfinished++;
      failures.add('timeouts', 'unfinished');
      recorder.recordFailure(p.at - windowStart);
    }
    abort.abort(new ServebenchError('SB_ERR_INTERNAL', 'run ended'));
  }
  await pool.destroy().catch(() => undefined);

  const generator = (meter ?? startGeneratorMeter('open', 1)).stop();
  const windowMs = Math.max(0, windowEnd - windowStart);
  const result: EngineResult = {
    windowMs: round1(windowMs),
    requests: { completed, successes },
    failures: failures.counts(),
    failureCodes: Object.fromEntries(failures.codes),
    rps: windowMs > 0 ? round1((successesInWindow * 1000) / windowMs) : 0,
    rpsSeries: Array.from({ length: Math.floor(windowMs / 1000 + 1e-9) }, (_, i) => rpsBins[i] ?? 0),
    latencyUs: recorder.summary(),
    ...histogramOf(recorder),
    latencyResolution: { resolutionUs: 1, source: plan.source },
    latencySeries: recorder.series(windowMs),
    bytesReceived: bytes,
    open: {
      targetRps: plan.targetRps,
      scheduled: scheduledInWindow,
      lateSends: { total: late.total, toleranceUs, byCause: { inFlightBound: late.inFlightBound, generator: late.generator } },
      peakInFlight,
      unfinished,
    },
    generator,
  };
  recorder.destroy();
  return result;
}

class TimeoutError extends Error {
  constructor(ms: number) {
    super(`request timed out after ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
