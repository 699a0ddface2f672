// Aggregation: per-configuration summaries over repeats (median and spread of the valid ones), ratios
// paired within a round, Little's law, recovery time, and readable open-loop rates.

import { describe, expect, it } from 'vitest';
import { compare, spreadOf, summarise } from '../src/load/aggregate.js';
import { latencyCaveats, littlesLaw } from '../src/load/runner.js';
import { recoveryTime, roundRate } from '../src/load/scenarios.js';
import type { LoadRun } from '../src/results/load.js';
import { checkValidity } from '../src/load/validity.js';

function run(configId: string, repeat: number, rps: number, valid = true, p99 = 1000): LoadRun {
  const validity = checkValidity({
    windowMs: valid ? 2000 : 10,
    warmupMs: 500,
    completed: 100,
    successes: 100,
    failures: 0,
    generatorCpuCores: 0.1,
    generatorThreads: 1,
  });
  return {
    id: `${configId}/sustained/held/r${repeat}`,
    configId,
    scenario: 'sustained',
    step: { index: 0, label: 'held', load: 10, loadUnit: 'connections' },
    repeat,
    startedAt: new Date(0).toISOString(),
    load: { kind: 'closed', engine: 'autocannon', connections: 10, pipelining: 1, workers: 0 },
    state: 'completed',
    warmupMs: 500,
    windowMs: 2000,
    requests: { completed: 100, successes: 100 },
    failures: { total: 0, byKind: { errors: 0, timeouts: 0, non2xx: 0, resets: 0 } },
    failureCodes: {},
    rps,
    rpsSeries: [],
    latencyUs: { min: 1, mean: 500, stdev: 1, p50: 500, p90: 800, p99, p999: p99, max: p99 },
    latencyResolution: { resolutionUs: 1, source: 'test' },
    latencySeries: [],
    bytesReceived: 0,
    generator: { engine: 'autocannon', pid: 1, cpuCores: 0.1, threads: 1, eventLoopUtilization: 0.1 },
    servers: [],
    notes: [],
    valid: validity.valid,
    validity,
  };
}

describe('load aggregation', () => {
  it('summarises each configuration over its valid repeats: median, min, max, relative spread', () => {
    const runs = [run('a', 1, 100), run('b', 1, 10), run('a', 2, 120), run('b', 2, 12), run('a', 3, 80), run('a', 4, 1000, false)];
    const [a, b] = summarise(runs);
    expect(a!.configId).toBe('a');
    expect(a!.repeats).toBe(4);
    expect(a!.validRepeats).toBe(3);
    expect(a!.rps).toEqual({ unit: 'requests/s', median: 100, min: 80, max: 120, relativeSpread: 0.4, repeats: 3 });
    expect(b!.rps.median).toBe(11);
    expect(a!.fromInvalid).toBe(false);
  });

  it('falls back to invalid repeats when none is valid, and says so', () => {
    const [s] = summarise([run('a', 1, 50, false)]);
    expect(s!.fromInvalid).toBe(true);
    expect(s!.rps.median).toBe(50);
  });

  it('pairs ratios within a round and skips rounds with an invalid run', () => {
    const runs = [run('fast', 1, 200), run('slow', 1, 10), run('fast', 2, 300), run('slow', 2, 10), run('fast', 3, 999), run('slow', 3, 1, false)];
    const at = (configId: string) => ({ configId, scenario: 'sustained' as const, step: 'held' });
    const c = compare(runs, 'x', 'fast over slow', at('fast'), at('slow'), { min: 20 });
    expect(c.perRepeat).toEqual([20, 30]);
    expect(c.ratio.median).toBe(25);
    expect(c.met).toBe(true);
    expect(c.note).toMatch(/2 paired.*1 skipped/);
    const approx = compare(runs, 'y', '', at('fast'), at('slow'), { approx: 2, tolerance: 0.2 });
    expect(approx.met).toBe(false);
  });

  it("sets Little's law beside closed-loop throughput only", () => {
    const closed = { kind: 'closed', engine: 'autocannon', connections: 100, pipelining: 1, workers: 0 } as const;
    // 100 connections at 50 ms each: 2000 rps expected.
    expect(littlesLaw(closed, 1800, 50_000)).toEqual({ concurrency: 100, baselineMeanLatencyUs: 50_000, expectedRps: 2000, ratio: 0.9 });
    expect(littlesLaw({ kind: 'open', engine: 'open', rateRps: 10, arrivals: 'poisson', maxInFlight: 10, seed: 1 }, 10, 50_000)).toBeUndefined();
    expect(littlesLaw(closed, 10, undefined)).toBeUndefined();
  });

  it('finds the start of the recovered stretch of a latency series', () => {
    const bins = (p99s: number[]) => p99s.map((p99Us, i) => ({ startMs: i * 500, completed: p99Us < 0 ? 0 : 10, p99Us: Math.max(0, p99Us) }));
    expect(recoveryTime(bins([900, 700, 100, 90, 95]), 150)).toEqual({ recovered: true, recoveryMs: 1000 });
    // A relapse resets the stretch; an empty bin is not recovered.
    expect(recoveryTime(bins([100, 900, 100, -1, 100]), 150)).toEqual({ recovered: true, recoveryMs: 2000 });
    expect(recoveryTime(bins([900, 900]), 150)).toEqual({ recovered: false, recoveryMs: null });
  });

  it('rounds open-loop rates to two significant digits, at least 1', () => {
    expect(roundRate(10.64)).toBe(11);
    expect(roundRate(1234)).toBe(1200);
    expect(roundRate(0.3)).toBe(1);
  });

  it("notes latency percentiles that Little's law shows to be understated", () => {
    const closed = { kind: 'closed', engine: 'autocannon', connections: 50, pipelining: 1, workers: 0 } as const;
    const base = { rps: 10, windowMs: 2000, requests: { completed: 20, successes: 20 } };
    const lat = (mean: number) => ({ min: 0, mean, stdev: 0, p50: mean, p90: mean, p99: mean, p999: mean, max: mean });
    // 50 in flight at 10 rps: 5 s each on average; 1.2 s measured means the long waits are missing.
    expect(latencyCaveats(closed, { ...base, latencyUs: lat(1_200_000) })[0]).toMatch(/understated.*5\.00 s.*1\.20 s/);
    expect(latencyCaveats(closed, { ...base, latencyUs: lat(4_900_000) })).toEqual([]);
  });

  it('spreads of nothing are empty, not zero', () => {
    expect(spreadOf([], 'x').repeats).toBe(0);
    expect(Number.isNaN(spreadOf([], 'x').median)).toBe(true);
  });
});

describe('latency series', () => {
  it('merges a trailing sliver of the window into the last bin, keeping empty bins inside it', async () => {
    const { LatencyRecorder } = await import('../src/load/latency.js');
    const r = new LatencyRecorder(500);
    r.record(1000, 100);
    r.record(2000, 1600);
    r.record(3000, 2001);
    const s = r.series(2003);
    r.destroy();
    expect(s.map((b) => [b.startMs, b.completed])).toEqual([
      [0, 1],
      [500, 0],
      [1000, 0],
      [1500, 2],
    ]);
    expect(s[3]!.durationMs).toBe(503);
  });
});
