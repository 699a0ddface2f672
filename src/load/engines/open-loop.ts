// The open-loop engine: requests arrive on a schedule fixed in advance (Poisson or constant, at a target
// rate), whatever the server does. Each request's latency is timed from its *scheduled* send time, as
// wrk2 and MLPerf LoadGen do, so a stalled server shows the waiting of every request that arrived during
// the stall instead of one slow request per connection (coordinated omission). At most `maxInFlight`
// requests are outstanding; later arrivals wait in a queue, their wait counted in their latency and as a
// late send (open-loop-scheduler.ts). Latencies go into an HDR histogram in microseconds.

import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { ServebenchError } from '../../errors.js';
import type { LoadShape } from '../../results/load.js';
import { round1 } from '../../stats/index.js';
import { createArrivals, type ArrivalSchedule } from '../arrivals.js';
import { classifyError, errorCode, FailureCounter } from '../failures.js';
import { histogramOf, LatencyRecorder } from '../latency.js';
import { OpenLoopScheduler, type Pending } from './open-loop-scheduler.js';
import type { EngineResult, EngineRunOptions, LoadEngine } from './types.js';

/** A send later than this after its scheduled time counts as late (timers alone are ~1 ms coarse). */
const DEFAULT_LATE_TOLERANCE_US = 5000;
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

/**
 * An open loop's measured window at `rateRps`: amount / rate with an amount; else durationMs, lengthened up
 * front when the rate would not fill it with the minimum of requests (with a margin: a Poisson window
 * holds a random number of arrivals), up to maxWindowMs.
 */
export function openWindowMs(options: EngineRunOptions, rateRps: number): number {
  if (options.amount !== undefined) return Math.ceil((options.amount / rateRps) * 1000);
  const wanted = (options.minRequests ?? 0) * 1.5;
  return Math.min(
    Math.max(options.durationMs, Math.ceil((wanted / rateRps) * 1000)),
    Math.max(options.durationMs, options.maxWindowMs ?? options.durationMs * 4),
  );
}

async function runAtRate(options: EngineRunOptions, load: Extract<LoadShape, { kind: 'open' }>): Promise<EngineResult> {
  const { rateRps, arrivals, maxInFlight, seed } = load;
  return runOpenLoop(options, {
    schedule: createArrivals(rateRps, arrivals, seed),
    durationMs: openWindowMs(options, rateRps),
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

/** How one request ended: a status and body, or a failure. */
interface Outcome {
  status: number;
  received: number;
  failure?: unknown;
}

/** Sends the scheduler's requests on one undici pool, each with its own timeout, and reports how each ended. */
class RequestSender {
  /** Set when the run is over: requests still settling then are accounted for by the run, not reported. */
  ending = false;
  private readonly pool: Pool;
  private readonly path: string;
  private bodyIndex = 0;
  private readonly active = new Map<AbortController, Pending>();

  constructor(
    private readonly options: EngineRunOptions,
    maxInFlight: number,
  ) {
    const url = new URL(options.target.url);
    this.path = `${url.pathname}${url.search}`;
    this.pool = new Pool(url.origin, {
      connections: maxInFlight,
      pipelining: 1,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connectTimeout: options.timeoutMs,
      keepAliveTimeout: 30_000,
    });
  }

  send(p: Pending, onDone: (outcome: Outcome) => void): void {
    const { method, headers, bodies } = this.options.target;
    const timeoutMs = this.options.timeoutMs;
    const body = bodies.length === 0 ? undefined : bodies[this.bodyIndex++ % bodies.length];
    const abort = new AbortController();
    this.active.set(abort, p);
    const timeout = setTimeout(() => abort.abort(new TimeoutError(timeoutMs)), timeoutMs);
    void (async () => {
      const outcome: Outcome = { status: 0, received: 0 };
      try {
        const res = await this.pool.request({ path: this.path, method, headers, body, signal: abort.signal });
        outcome.status = res.statusCode;
        for await (const chunk of res.body) outcome.received += (chunk as Buffer).length;
      } catch (err) {
        outcome.failure = abort.signal.aborted && abort.signal.reason instanceof TimeoutError ? abort.signal.reason : err;
      } finally {
        clearTimeout(timeout);
        this.active.delete(abort);
      }
      if (!this.ending) onDone(outcome);
    })();
  }

  /** End the run: the requests still in flight are aborted; returns them. */
  end(): Pending[] {
    this.ending = true;
    const left = [...this.active.values()];
    for (const abort of this.active.keys()) abort.abort(new ServebenchError('SB_ERR_INTERNAL', 'run ended'));
    return left;
  }

  destroy(): Promise<void> {
    return this.pool.destroy().catch(() => undefined);
  }
}

/** The figures of the measured requests: latencies from the schedule, failures by kind, successes per second. */
class OpenLoopTally {
  readonly recorder: LatencyRecorder;
  readonly failures = new FailureCounter();
  readonly rpsBins: number[] = [];
  completed = 0;
  successes = 0;
  successesInWindow = 0;
  bytes = 0;
  unfinished = 0;

  constructor(
    private readonly options: EngineRunOptions,
    private readonly scheduler: OpenLoopScheduler,
  ) {
    this.recorder = new LatencyRecorder(options.binMs ?? 1000);
  }

  add(p: Pending, o: Outcome): void {
    const { windowStart, windowEnd } = this.scheduler;
    const end = performance.now();
    const ok = o.failure === undefined && o.status >= 200 && o.status < 300;
    if (ok && end >= windowStart && end < windowEnd) {
      this.successesInWindow++;
      const s = Math.floor((end - windowStart) / 1000);
      while (this.rpsBins.length <= s) this.rpsBins.push(0);
      this.rpsBins[s]!++;
    }
    if (!p.measured) return;
    const at = p.at - windowStart;
    const latencyUs = (end - p.at) * 1000;
    this.bytes += o.received;
    if (o.failure === undefined) this.completed++;
    if (ok) {
      this.successes++;
      this.recorder.record(latencyUs, at);
      this.options.onSample?.({ sentAtMs: at, latencyUs, outcome: 'success' });
    } else if (o.failure === undefined) {
      this.failures.add('non2xx', String(o.status));
      this.recorder.recordFailure(at);
      this.options.onSample?.({ sentAtMs: at, latencyUs, outcome: 'non2xx' });
    } else {
      const kind = classifyError(o.failure);
      this.failures.add(kind, kind === 'timeouts' ? 'timeout' : errorCode(o.failure));
      this.recorder.recordFailure(at);
      this.options.onSample?.({ sentAtMs: at, latencyUs, outcome: kind });
    }
  }

  /**
   * A request of the window still unanswered, or never sent because the in-flight bound stayed full: a
   * timeout (and `unfinished`); not in the latency histogram, like every failure.
   */
  addUnfinished(p: Pending): void {
    if (!p.measured) return;
    this.unfinished++;
    this.failures.add('timeouts', 'unfinished');
    this.recorder.recordFailure(p.at - this.scheduler.windowStart);
  }
}

/** Apply `plan`'s arrivals for a warm-up and a measured window (options.warmupMs, plan.durationMs). */
export async function runOpenLoop(options: EngineRunOptions, plan: OpenLoopPlan): Promise<EngineResult> {
  const toleranceUs = options.lateToleranceUs ?? DEFAULT_LATE_TOLERANCE_US;
  const sender = new RequestSender(options, plan.maxInFlight);
  const scheduler: OpenLoopScheduler = new OpenLoopScheduler({
    schedule: plan.schedule,
    warmupMs: options.warmupMs,
    durationMs: plan.durationMs,
    maxInFlight: plan.maxInFlight,
    toleranceUs,
    send: (p) =>
      sender.send(p, (outcome) => {
        tally.add(p, outcome);
        scheduler.settle(p);
      }),
    ...(options.onWindowStart === undefined ? {} : { onWindowStart: options.onWindowStart }),
    ...(options.onWindowEnd === undefined ? {} : { onWindowEnd: options.onWindowEnd }),
  });
  const tally = new OpenLoopTally(options, scheduler);
  const onAbort = () => scheduler.stop();
  options.signal?.addEventListener('abort', onAbort);
  if (options.signal?.aborted === true) onAbort();
  scheduler.start();
  await scheduler.windowDone;
  // Then wait for the window's requests to finish: every one sent has timed out by the end of this wait.
  if (scheduler.outstanding > 0) {
    let drainTimer: NodeJS.Timeout | undefined;
    await Promise.race([scheduler.drained, new Promise<void>((r) => (drainTimer = setTimeout(r, options.timeoutMs + DRAIN_EXTRA_MS)))]);
    clearTimeout(drainTimer);
  }
  scheduler.clearTimer();
  options.signal?.removeEventListener('abort', onAbort);
  sender.ending = true;
  for (const p of scheduler.takeQueued()) tally.addUnfinished(p);
  for (const p of sender.end()) tally.addUnfinished(p);
  await sender.destroy();
  const result = openLoopResult(plan, scheduler, tally, toleranceUs);
  tally.recorder.destroy();
  return result;
}

function openLoopResult(plan: OpenLoopPlan, scheduler: OpenLoopScheduler, tally: OpenLoopTally, toleranceUs: number): EngineResult {
  const generator = scheduler.generator();
  const windowMs = Math.max(0, scheduler.windowEnd - scheduler.windowStart);
  const { late } = scheduler;
  return {
    windowMs: round1(windowMs),
    requests: { completed: tally.completed, successes: tally.successes },
    failures: tally.failures.counts(),
    failureCodes: Object.fromEntries(tally.failures.codes),
    rps: windowMs > 0 ? round1((tally.successesInWindow * 1000) / windowMs) : 0,
    rpsSeries: Array.from({ length: Math.floor(windowMs / 1000 + 1e-9) }, (_, i) => tally.rpsBins[i] ?? 0),
    latencyUs: tally.recorder.summary(),
    ...histogramOf(tally.recorder),
    latencyResolution: { resolutionUs: 1, source: plan.source },
    latencySeries: tally.recorder.series(windowMs),
    bytesReceived: tally.bytes,
    open: {
      targetRps: plan.targetRps,
      scheduled: scheduler.scheduledInWindow,
      lateSends: { total: late.total, toleranceUs, byCause: { inFlightBound: late.inFlightBound, generator: late.generator } },
      peakInFlight: scheduler.peakInFlight,
      unfinished: tally.unfinished,
    },
    generator,
  };
}

class TimeoutError extends Error {
  constructor(ms: number) {
    super(`request timed out after ${ms} ms`);
    this.name = 'TimeoutError';
  }
}
