// The engines benchmark's three measures, each one run of one engine against the fast server: the closed
// loop's rps at 64 connections (and whether the generator saturated, by the load suite's own rule), the
// open loop at a fixed rate (latency, late and failed shares), and the highest rate of a ladder the open
// loop holds on time (under 1% of sends late, under 1% failed).

import { autocannonEngine } from '../../src/load/engines/autocannon.js';
import { nativeEngine } from '../../src/load/engines/native.js';
import { openLoopEngine } from '../../src/load/engines/open-loop.js';
import type { EngineResult, LoadEngine } from '../../src/load/engines/types.js';
import { checkValidity } from '../../src/load/validity.js';
import type { ClosedLoopEngine, LoadShape, OpenLoopEngine } from '../../src/results/load.js';

export const CONNECTIONS = 64;
export const FIXED_RATE = 5000;
/** Both open engines may keep this many requests in flight (the JS open engine's default). */
export const MAX_IN_FLIGHT = 1000;
/** Open-loop rates tried in turn, until two in a row are not held on time. */
export const RATE_LADDER = [250, 500, 1000, 2000, 3000, 5000, 7500, 10_000, 15_000, 20_000, 30_000, 40_000, 60_000, 80_000, 100_000, 130_000];
/** Held on time: under this share of sends late, and under this share failed. */
const ON_TIME_SHARE = 0.01;

export interface Timing {
  warmupMs: number;
  durationMs: number;
}

const ENGINES: Record<ClosedLoopEngine | OpenLoopEngine, LoadEngine> = { native: nativeEngine, autocannon: autocannonEngine, open: openLoopEngine };

export interface ClosedFigures {
  rps: number;
  p50Us: number;
  p99Us: number;
  /** The generator-cpu rule's figure: the busier of CPU per thread and the main thread's event-loop use. */
  busiest: number;
  saturated: boolean;
}

/** The closed loop at 64 connections (autocannon in this process, as the load suite runs it). */
export async function closedMax(engine: ClosedLoopEngine, url: string, threads: number, t: Timing): Promise<ClosedFigures> {
  const load: LoadShape =
    engine === 'native'
      ? { kind: 'closed', engine, connections: CONNECTIONS, pipelining: 1, workers: 0, threads }
      : { kind: 'closed', engine, connections: CONNECTIONS, pipelining: 1, workers: 0 };
  const r = await run(engine, url, load, t);
  const rule = checkValidity({
    windowMs: r.windowMs,
    warmupMs: t.warmupMs,
    completed: r.requests.completed,
    successes: r.requests.successes,
    failures: r.failures.total,
    generatorCpuCores: r.generator.cpuCores,
    generatorThreads: r.generator.threads,
    generatorEventLoopUtilization: r.generator.eventLoopUtilization,
  }).rules.find((x) => x.rule === 'generator-cpu');
  return { rps: r.rps, p50Us: r.latencyUs.p50, p99Us: r.latencyUs.p99, busiest: rule?.measured ?? Number.NaN, saturated: rule?.passed === false };
}

export interface OpenFigures {
  rps: number;
  p50Us: number;
  p99Us: number;
  lateShare: number;
  /** Late sends by cause, as shares of the scheduled ones. */
  lateByCause: { generator: number; inFlightBound: number };
  failedShare: number;
  onTime: boolean;
}

/** The open loop at `rateRps`, constant arrivals. */
export async function openAt(engine: OpenLoopEngine, url: string, rateRps: number, threads: number, t: Timing): Promise<OpenFigures> {
  const shape = { kind: 'open', rateRps, arrivals: 'constant', maxInFlight: MAX_IN_FLIGHT, seed: 1 } as const;
  const load: LoadShape = engine === 'native' ? { ...shape, engine, threads } : { ...shape, engine };
  const r = await run(engine, url, load, t);
  const scheduled = Math.max(1, r.open?.scheduled ?? 0);
  const lateShare = (r.open?.lateSends.total ?? 0) / scheduled;
  const byCause = r.open?.lateSends.byCause ?? { generator: 0, inFlightBound: 0 };
  const lateByCause = { generator: byCause.generator / scheduled, inFlightBound: byCause.inFlightBound / scheduled };
  const failedShare = r.failures.total / scheduled;
  return {
    rps: r.rps,
    p50Us: r.latencyUs.p50,
    p99Us: r.latencyUs.p99,
    lateShare,
    lateByCause,
    failedShare,
    onTime: lateShare < ON_TIME_SHARE && failedShare < ON_TIME_SHARE,
  };
}

export interface OnTimeRate {
  /** The highest rate of the ladder held on time (0: not even the first). */
  rateRps: number;
  /** The last rate not held, and why. */
  brokeAt?: { rateRps: number; why: string };
}

/**
 * Up the ladder until two rates in a row are not held on time: on a shared machine one late burst (another
 * process taking the core for 20 ms) should not end the search, two in a row do.
 */
export async function onTimeRate(engine: OpenLoopEngine, url: string, threads: number, t: Timing): Promise<OnTimeRate> {
  let held = 0;
  let brokeAt: OnTimeRate['brokeAt'];
  let missed = 0;
  for (const rate of RATE_LADDER) {
    const f = await openAt(engine, url, rate, threads, t);
    if (f.onTime) {
      held = rate;
      missed = 0;
      continue;
    }
    const causes = `generator ${pct(f.lateByCause.generator)}, in-flight bound ${pct(f.lateByCause.inFlightBound)}`;
    brokeAt = { rateRps: rate, why: `${pct(f.lateShare)} late (${causes}), ${pct(f.failedShare)} failed` };
    if (++missed === 2) break;
  }
  return { rateRps: held, ...(brokeAt === undefined ? {} : { brokeAt }) };
}

function run(engine: ClosedLoopEngine | OpenLoopEngine, url: string, load: LoadShape, t: Timing): Promise<EngineResult> {
  return ENGINES[engine].run({ target: { url, method: 'GET', headers: {}, bodies: [] }, load, ...t, timeoutMs: 5000 });
}

function pct(x: number): string {
  return `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;
}
