// An open-loop engine whose arrival rate follows a profile (ramp up, hold, drop...) instead of one rate:
// for load that changes while the system adapts (autoscaling). Arrivals are fixed in advance: Poisson
// within short slots, each slot at the profile's rate at its middle (exact for a piecewise-constant rate,
// since Poisson gaps are memoryless). The open-loop engine's runner sends them: each latency is timed from
// the request's scheduled send time, at most maxInFlight requests are outstanding (later ones wait, and
// their wait counts), and the latency series is binned by scheduled time: what a request arriving then
// went through.

import { ServebenchError } from '../../errors.js';
import type { RatePhase } from '../../results/experiments.js';
import { createRng, exponential } from '../../stats/index.js';
import { runOpenLoop } from './open-loop.js';
import type { EngineResult, EngineRunOptions, LoadEngine } from './types.js';

/** Width of the constant-rate slots approximating a ramp, ms. */
const SLOT_MS = 100;

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
      const arrivals = profileArrivals(profile, options.load.seed);
      const durationMs = profileDurationMs(profile);
      offered = Array.from({ length: Math.ceil(durationMs / 1000) }, () => 0);
      for (const a of arrivals) offered[Math.floor(a / 1000)]!++;
      let next = 0;
      // The window starts with the first arrival slot: no warm-up (the profile's start is part of what is
      // measured), and it lasts the whole profile, even past its last arrival.
      return runOpenLoop(
        { ...options, warmupMs: 0 },
        {
          schedule: { next: () => arrivals[next++] ?? Number.POSITIVE_INFINITY },
          durationMs,
          maxInFlight: options.load.maxInFlight,
          targetRps: Math.max(...profile.map((p) => Math.max(p.fromRps, p.toRps))),
          source: 'open loop with a rate profile (undici): scheduled send time -> last byte of the response, performance.now()',
        },
      );
    },
  };
}
