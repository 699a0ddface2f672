// An open-loop engine whose arrival rate follows a profile (ramp up, hold, drop...) instead of one rate:
// for load that changes while the system adapts (autoscaling). Arrivals are fixed in advance: Poisson
// within short slots, each slot at the profile's rate at its middle (exact for a piecewise-constant rate,
// since Poisson gaps are memoryless). As in the open-loop engine, each latency is timed from the request's
// scheduled send time, at most maxInFlight requests are outstanding (later ones wait, and their wait counts),
// and the latency series is binned by scheduled time: what a request arriving then went through.

import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { ServebenchError } from '../../errors.js';
import type { RatePhase } from '../../report/schema/load.js';
import { createRng, exponential } from '../../stats/index.js';
import { classifyError, errorCode, FailureCounter } from '../failures.js';
import { LatencyRecorder } from '../latency.js';
import { startGeneratorMeter } from './generator-meter.js';
import type { EngineResult, EngineRunOptions, LoadEngine } from './types.js';

/** Width of the constant-rate slots approximating a ramp, ms. */
const SLOT_MS = 100;
const DRAIN_EXTRA_MS = 500;
const LATE_TOLERANCE_US = 5000;

export function profileDurationMs(profile: readonly RatePhase[]): number {
  return profile.reduce((a, p) => a + p.durationMs, 0);
}

/** The profile's rate at `tMs` from its start (linear within a phase), and the phase. */
export function rateAt(profile: readonly RatePhase[], tMs: number): { rps: number; phase: string } {
  let start = 0;
  for (const p of profile) {
    if (tMs < start + p.durationMs) {
      const f = p.durationMs === 0 ? 0 : (tMs - start) / p.durationMs;
      return { rps: p.fromRps + (p.toRps - p.fromRps) * f, phase: p.name };
    }
    start += p.durationMs;
  }
  const last = profile[profile.length - 1];
  return { rps: last?.toRps ?? 0, phase: last?.name ?? '' };
}

/** Send times (ms from the start) for the whole profile, seeded. */
export function profileArrivals(profile: readonly RatePhase[], seed: number, slotMs = SLOT_MS): number[] {
  const total = profileDurationMs(profile);
  const rng = createRng(seed);
  const out: number[] = [];
  for (let s = 0; s < total; s += slotMs) {
    const end = Math.min(total, s + slotMs);
    const rps = rateAt(profile, (s + end) / 2).rps;
    if (!(rps > 0)) continue;
    let t = s + exponential(rng, 1000 / rps);
    while (t < end) {
      out.push(t);
      t += exponential(rng, 1000 / rps);
    }
  }
  return out;
}

export interface RateProfileEngine extends LoadEngine {
  /** Arrivals scheduled in each whole second of the last run's window. */
  offeredSeries(): number[];
}

export function rateProfileEngine(profile: readonly RatePhase[]): RateProfileEngine {
  let offered: number[] = [];
  return {
    name: 'open',
    offeredSeries: () => offered,
    async run(options: EngineRunOptions): Promise<EngineResult> {
      if (options.load.kind !== 'open') throw new ServebenchError('SB_ERR_OPTION', 'the rate-profile engine applies arrival rates (an open loop)');
      const { maxInFlight, seed } = options.load;
      const arrivals = profileArrivals(profile, seed);
      const windowMsPlanned = profileDurationMs(profile);
      offered = Array.from({ length: Math.ceil(windowMsPlanned / 1000) }, () => 0);
      for (const a of arrivals) offered[Math.floor(a / 1000)]!++;
      const url = new URL(options.target.url);
      const path = `${url.pathname}${url.search}`;
      const { method, headers, bodies } = options.target;
      const binMs = options.binMs ?? 1000;
      const pool = new Pool(url.origin, { connections: maxInFlight, pipelining: 1, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs, connectTimeout: options.timeoutMs, keepAliveTimeout: 30_000 });
      const recorder = new LatencyRecorder(binMs);
      const failures = new FailureCounter();
      const rpsBins: number[] = [];
      const late = { total: 0, inFlightBound: 0, generator: 0 };
      let completed = 0;
      let successes = 0;
      let successesInWindow = 0;
      let bytes = 0;
      let inFlight = 0;
      let peak = 0;
      let outstanding = 0;
      let bodyIndex = 0;
      let next = 0;
      let ending = false;
      const waiting: number[] = [];
      const active = new Map<AbortController, number>();
      let drained: (() => void) | undefined;
      let stopAt = windowMsPlanned;

      // The window starts with the first arrival slot: no warm-up (the profile's start is part of what is measured).
      const t0 = performance.now();
      options.onWindowStart?.();
      const meter = startGeneratorMeter('open', 1);
      const settle = () => {
        inFlight--;
        outstanding--;
        while (waiting.length > 0 && inFlight < maxInFlight) send(waiting.shift()!, true);
        if (next >= arrivals.length && outstanding === 0) drained?.();
      };
      const send = (at: number, fromQueue: boolean) => {
        const lateUs = (performance.now() - (t0 + at)) * 1000;
        if (lateUs > LATE_TOLERANCE_US) {
          late.total++;
          if (fromQueue) late.inFlightBound++;
          else late.generator++;
        }
        inFlight++;
        peak = Math.max(peak, inFlight);
        const body = bodies.length === 0 ? undefined : bodies[bodyIndex++ % bodies.length];
        const abort = new AbortController();
        active.set(abort, at);
        const timer = setTimeout(() => abort.abort(new ServebenchError('SB_ERR_TIMEOUT', `request timed out after ${options.timeoutMs} ms`)), options.timeoutMs);
        void (async () => {
          let status = 0;
          let received = 0;
          let failure: unknown;
          try {
            const res = await pool.request({ path, method, headers, body, signal: abort.signal });
            status = res.statusCode;
            for await (const chunk of res.body) received += (chunk as Buffer).length;
          } catch (err) {
            failure = abort.signal.aborted ? { name: 'TimeoutError', message: 'timed out' } : err;
          } finally {
            clearTimeout(timer);
            active.delete(abort);
          }
          if (ending) return;
          const end = performance.now() - t0;
          const ok = failure === undefined && status >= 200 && status < 300;
          bytes += received;
          if (failure === undefined) completed++;
          if (ok) {
            successes++;
            if (end < stopAt) {
              successesInWindow++;
              const s = Math.floor(end / 1000);
              while (rpsBins.length <= s) rpsBins.push(0);
              rpsBins[s]!++;
            }
            recorder.record((end - at) * 1000, at);
            options.onSample?.({ sentAtMs: at, latencyUs: (end - at) * 1000, outcome: 'success' });
          } else if (failure === undefined) {
            failures.add('non2xx', String(status));
            recorder.recordFailure(at);
            options.onSample?.({ sentAtMs: at, latencyUs: (end - at) * 1000, outcome: 'non2xx' });
          } else {
            const kind = classifyError(failure);
            failures.add(kind, kind === 'timeouts' ? 'timeout' : errorCode(failure));
            recorder.recordFailure(at);
            options.onSample?.({ sentAtMs: at, latencyUs: (end - at) * 1000, outcome: kind });
          }
          settle();
        })();
      };

      const allDrained = new Promise<void>((r) => (drained = r));
      await new Promise<void>((resolve) => {
        const onAbort = () => {
          stopAt = Math.min(stopAt, performance.now() - t0);
          next = arrivals.length;
          resolve();
        };
        options.signal?.addEventListener('abort', onAbort, { once: true });
        const pump = () => {
          if (next >= arrivals.length) return resolve();
          const now = performance.now() - t0;
          while (next < arrivals.length && arrivals[next]! <= now) {
            const at = arrivals[next++]!;
            outstanding++;
            if (inFlight < maxInFlight && waiting.length === 0) send(at, false);
            else waiting.push(at);
          }
          if (next >= arrivals.length) {
            // The window lasts the whole profile, even past its last arrival.
            setTimeout(resolve, Math.max(0, windowMsPlanned - now));
            return;
          }
          setTimeout(pump, Math.max(0, Math.floor(arrivals[next]! - now)));
        };
        pump();
      });
      const windowMs = Math.min(stopAt, performance.now() - t0);
      stopAt = windowMs;
      const generator = meter.stop();
      options.onWindowEnd?.();
      if (outstanding > 0) {
        let t: NodeJS.Timeout | undefined;
        await Promise.race([allDrained, new Promise<void>((r) => (t = setTimeout(r, options.timeoutMs + DRAIN_EXTRA_MS)))]);
        clearTimeout(t);
      }
      ending = true;
      let unfinished = 0;
      for (const at of waiting) {
        unfinished++;
        failures.add('timeouts', 'unfinished');
        recorder.recordFailure(at);
      }
      waiting.length = 0;
      for (const [abort, at] of active) {
        unfinished++;
        failures.add('timeouts', 'unfinished');
        recorder.recordFailure(at);
        abort.abort(new ServebenchError('SB_ERR_INTERNAL', 'run ended'));
      }
      await pool.destroy().catch(() => undefined);
      const result: EngineResult = {
        windowMs: Math.round(windowMs * 10) / 10,
        requests: { completed, successes },
        failures: failures.counts(),
        failureCodes: Object.fromEntries(failures.codes),
        rps: windowMs > 0 ? Math.round(((successesInWindow * 1000) / windowMs) * 10) / 10 : 0,
        rpsSeries: Array.from({ length: Math.floor(windowMs / 1000 + 1e-9) }, (_, i) => rpsBins[i] ?? 0),
        latencyUs: recorder.summary(),
        latencyResolution: { resolutionUs: 1, source: 'open loop with a rate profile (undici): scheduled send time -> last byte of the response, performance.now()' },
        latencySeries: recorder.series(windowMs),
        bytesReceived: bytes,
        open: {
          targetRps: Math.max(...profile.map((p) => Math.max(p.fromRps, p.toRps))),
          scheduled: arrivals.filter((a) => a < windowMs).length,
          lateSends: { total: late.total, toleranceUs: LATE_TOLERANCE_US, byCause: { inFlightBound: late.inFlightBound, generator: late.generator } },
          peakInFlight: peak,
          unfinished,
        },
        generator,
      };
      recorder.destroy();
      return result;
    },
  };
}
