// The native engine: servebench's load generator in Rust (native/src/load, the addon's LoadRun), for both
// loads: a closed loop (connections, pipelining, amount) and an open loop (arrivals at a rate, each latency
// timed from its scheduled send). It runs on threads of its own, never on the JavaScript event loop, which
// only starts it, polls its phase every few ms for the window hooks (server sampling), extends or cancels
// it, and turns its report into the figures the other engines give.

import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { LoadRun, LoadRunConfig, LoadRunReport } from '../../../native/index.cjs';
import { ServebenchError, errorMessage } from '../../errors.js';
import { nativeLoadRun } from '../../kernels/native-binding.js';
import type { GeneratorFacts, LoadShape } from '../../results/load.js';
import { round1, round3 } from '../../stats/index.js';
import { openWindowMs } from './open-loop.js';
import type { EngineResult, EngineRunOptions, LoadEngine } from './types.js';

/** How often the JS side looks at the run (window hooks, extension); a snapshot costs a few atomics. */
const POLL_MS = 10;
/** Longest window of a closed loop given an amount of requests (as autocannon's). */
const AMOUNT_CAP_MS = 600_000;

export const nativeEngine: LoadEngine = {
  name: 'native',
  run(options: EngineRunOptions): Promise<EngineResult> {
    const engine = nativeLoadRun();
    if (!engine.available) return Promise.reject(new ServebenchError('SB_ERR_NATIVE', `native engine: unavailable (${engine.reason})`));
    if (options.onSample !== undefined) {
      // Per-request samples stay in Rust; a caller that needs them must not get silence.
      return Promise.reject(new ServebenchError('SB_ERR_OPTION', 'the native engine keeps its samples in Rust: onSample needs the autocannon or open engine'));
    }
    const plan = nativePlan(options);
    let run: LoadRun;
    try {
      run = engine.LoadRun.start(plan.config);
    } catch (err) {
      return Promise.reject(new ServebenchError('SB_ERR_OPTION', `native engine: ${errorMessage(err)}`, { cause: err }));
    }
    return new NativeRun(run, options, plan).finish();
  },
};

/** What one run is started with, and when the JS side ends its window early. */
interface NativePlan {
  config: LoadRunConfig;
  /** Closed loop with a minimum of requests: the window runs up to maxWindowMs, and ends at durationMs once that many are in. */
  extendUntil?: { durationMs: number; minRequests: number };
}

/** The native configuration of one run: the load shape, the target and the timings. Exported for tests. */
export function nativePlan(options: EngineRunOptions): NativePlan {
  const { target, load } = options;
  const common = {
    url: target.url,
    method: target.method,
    headers: target.headers,
    bodies: target.bodies,
    warmupMs: options.warmupMs,
    timeoutMs: options.timeoutMs,
    binMs: options.binMs ?? 1000,
  };
  if (load.kind === 'open') {
    return {
      config: {
        ...common,
        mode: 'open',
        durationMs: openWindowMs(options, load.rateRps),
        rateRps: load.rateRps,
        arrivals: load.arrivals,
        seed: load.seed,
        maxInFlight: load.maxInFlight,
        threads: threadsFor(load, load.maxInFlight),
        ...(options.lateToleranceUs === undefined ? {} : { lateToleranceUs: options.lateToleranceUs }),
      },
    };
  }
  const closed = {
    ...common,
    mode: 'closed' as const,
    connections: load.connections,
    pipelining: load.pipelining,
    threads: threadsFor(load, load.connections),
  };
  if (options.amount !== undefined) return { config: { ...closed, amount: options.amount, durationMs: AMOUNT_CAP_MS } };
  const minRequests = options.minRequests ?? 0;
  const maxWindowMs = Math.max(options.durationMs, options.maxWindowMs ?? options.durationMs * 4);
  if (minRequests <= 0 || maxWindowMs === options.durationMs) return { config: { ...closed, durationMs: options.durationMs } };
  return { config: { ...closed, durationMs: maxWindowMs }, extendUntil: { durationMs: options.durationMs, minRequests } };
}

/** The shape's threads, at most one per connection (closed) or per request in flight (open), at least one. */
function threadsFor(load: LoadShape, most: number): number {
  return Math.max(1, Math.min(load.threads ?? 1, most));
}

/** One started run, followed from the JS side: window hooks, the early end of an extended window, cancellation. */
class NativeRun {
  private readonly poll: NodeJS.Timeout;
  private windowStarted = false;
  private windowEnded = false;
  private elu0: EventLoopUtilization | undefined;
  private elu: EventLoopUtilization | undefined;

  constructor(
    private readonly run: LoadRun,
    private readonly options: EngineRunOptions,
    private readonly plan: NativePlan,
  ) {
    options.signal?.addEventListener('abort', this.cancel);
    if (options.signal?.aborted === true) this.cancel();
    this.poll = setInterval(this.tick, POLL_MS);
    this.tick();
  }

  async finish(): Promise<EngineResult> {
    try {
      const report = await this.run.result();
      this.tick();
      this.endWindow();
      return nativeResult(report, this.generatorElu());
    } catch (err) {
      this.endWindow();
      throw new ServebenchError('SB_ERR_NATIVE', `native engine: ${errorMessage(err)}`, { cause: err });
    } finally {
      clearInterval(this.poll);
      this.options.signal?.removeEventListener('abort', this.cancel);
    }
  }

  private readonly cancel = (): void => this.run.cancel();

  private readonly tick = (): void => {
    const snap = this.run.snapshot();
    if (!this.windowStarted && snap.phase !== 'warmup') {
      this.windowStarted = true;
      this.elu0 = performance.eventLoopUtilization();
      this.options.onWindowStart?.();
    }
    if (snap.phase === 'drain' || snap.phase === 'done') this.endWindow();
    const extend = this.plan.extendUntil;
    if (extend !== undefined && snap.phase === 'window' && snap.elapsedMs - this.options.warmupMs >= extend.durationMs) {
      // The planned window is over: end it now unless too few requests are in (then it runs on, bounded).
      if (snap.completed + snap.failures >= extend.minRequests) this.run.cancel();
    }
  };

  private endWindow(): void {
    if (this.windowEnded || !this.windowStarted) return;
    this.windowEnded = true;
    if (this.elu0 !== undefined) this.elu = performance.eventLoopUtilization(this.elu0);
    this.options.onWindowEnd?.();
  }

  private generatorElu(): number {
    return this.elu?.utilization ?? 0;
  }
}

/** The report as the other engines' figures: the same fields, the histogram as it is (it merges with theirs). */
function nativeResult(r: LoadRunReport, eventLoopUtilization: number): EngineResult {
  const generator: GeneratorFacts = {
    engine: 'native',
    pid: process.pid,
    // The engine's threads' own CPU clocks over the window, in cores: the generator-cpu rule compares it with `threads`.
    cpuCores: round3(r.generator.cpuUs / Math.max(1, r.windowMs * 1000)),
    threads: r.generator.threads,
    eventLoopUtilization: round3(eventLoopUtilization),
  };
  const o = r.open;
  return {
    windowMs: round1(r.windowMs),
    requests: { completed: r.requests.completed, successes: r.requests.successes },
    failures: { total: r.failures.total, byKind: { ...r.failures.byKind } },
    failureCodes: { ...r.failureCodes },
    rps: round1(r.rps),
    rpsSeries: [...r.rpsSeries],
    latencyUs: { ...r.latencyUs },
    ...(r.latencyHistogramUs === undefined ? {} : { latencyHistogramUs: r.latencyHistogramUs }),
    latencyResolution: { resolutionUs: r.latencyResolution.resolutionUs, source: r.latencyResolution.source },
    latencySeries: r.latencySeries.map((b) => ({ ...b })),
    bytesReceived: r.bytesReceived,
    ...(o === undefined
      ? {}
      : {
          open: {
            targetRps: o.targetRps,
            scheduled: o.scheduled,
            lateSends: { total: o.lateSends.total, toleranceUs: o.lateSends.toleranceUs, byCause: { ...o.lateSends.byCause } },
            peakInFlight: o.peakInFlight,
            unfinished: o.unfinished,
          },
        }),
    generator,
  };
}
