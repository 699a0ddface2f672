// Synthetic load results for the merge tests: valid LoadData envelopes whose runs carry HDR histograms of
// known latency samples (encoded with hdr-histogram-js as the load engines encode theirs), so a merge can be
// checked against one histogram of all the samples. No server runs.

import hdr from 'hdr-histogram-js';
import type { ResultEnvelope } from '../src/results/envelope.js';
import type { EnvBlock } from '../src/results/env.js';
import type { LoadData, LoadRun, ShardEcho } from '../src/results/load.js';
import { createRng } from '../src/stats/random.js';

type Histogram = ReturnType<typeof hdr.build>;

export function buildHistogram(samples: readonly number[]): Histogram {
  const h = hdr.build({
    bitBucketSize: 'packed',
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000_000,
    numberOfSignificantValueDigits: 3,
  });
  for (const v of samples) h.recordValue(v);
  return h;
}

/** Every bucket of a histogram with a count: [value, count] pairs (what "same count per bucket" compares). */
export function bucketCounts(h: Histogram): [number, number][] {
  const out: [number, number][] = [];
  const it = (
    h as unknown as { recordedValuesIterator: { reset(): void; hasNext(): boolean; next(): { valueIteratedTo: number; countAtValueIteratedTo: number } } }
  ).recordedValuesIterator;
  it.reset();
  while (it.hasNext()) {
    const v = it.next();
    out.push([v.valueIteratedTo, v.countAtValueIteratedTo]);
  }
  return out;
}

export function decode(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, 'packed', false);
}

/** A histogram as a results file keeps it: encoded and decoded (its max is then its bucket's highest value). */
export function asStored(h: Histogram): Histogram {
  return decode(hdr.encodeIntoCompressedBase64(h));
}

/** Latencies, us: a log-normal-ish spread from a seed (distinct per shard). */
export function latencySamples(n: number, seed: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Math.max(1, Math.round(2000 * Math.exp(rng() * 3))));
}

export interface ShardSpecForTest {
  samples: number[];
  /** Epoch ms of the run's start; undefined: an unparsable start time. */
  startMs?: number;
  shard?: ShardEcho;
  rateRps?: number;
  connections?: number;
  seed?: number;
  target?: string;
  durationMs?: number;
  valid?: boolean;
  state?: LoadRun['state'];
  failures?: number;
  rpsSeries?: number[];
}

const ENV = { envVersion: 2, capturedAt: '2026-01-01T00:00:00.000Z', captureMs: 1, host: { hostname: 'test-host' } } as unknown as EnvBlock;

function validity(valid: boolean) {
  return {
    valid,
    reasons: valid ? [] : ['generator-cpu: load generator saturated'],
    rules: [
      { rule: 'min-requests' as const, applies: true, passed: true, measured: 100, limit: 20, message: 'ok' },
      { rule: 'generator-cpu' as const, applies: true, passed: valid, measured: valid ? 0.2 : 0.95, limit: 0.9, message: 'load generator saturated' },
    ],
  };
}

/** One shard's load result: one sustained run of the target at its share of the load. */
export function makeShard(o: ShardSpecForTest): ResultEnvelope<'load', LoadData> {
  const open = o.connections === undefined;
  const load = open ? (o.rateRps ?? 100) : o.connections!;
  const label = open ? `held ${load}/s` : `held c=${load}`;
  const durationMs = o.durationMs ?? 2000;
  const startedAt = o.startMs === undefined ? 'not a date' : new Date(o.startMs).toISOString();
  const seed = o.seed ?? 1;
  const header = {
    id: `target/sustained/${label}/r1`,
    configId: 'target',
    scenario: 'sustained' as const,
    step: { index: 0, label, load, loadUnit: open ? ('rps' as const) : ('connections' as const) },
    repeat: 1,
    startedAt,
    load: open
      ? { kind: 'open' as const, engine: 'open' as const, rateRps: load, arrivals: 'poisson' as const, maxInFlight: 1000, seed }
      : { kind: 'closed' as const, engine: 'autocannon' as const, connections: load, pipelining: 1, workers: 0 },
  };
  const h = buildHistogram(o.samples);
  const failures = o.failures ?? 0;
  const valid = o.valid ?? true;
  const run: LoadRun =
    o.state === 'errored'
      ? { ...header, state: 'errored', error: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED scoring:8080' }, valid: false }
      : {
          ...header,
          state: 'completed',
          warmupMs: 500,
          windowMs: durationMs,
          requests: { completed: o.samples.length + failures, successes: o.samples.length },
          failures: { total: failures, byKind: { errors: 0, timeouts: 0, non2xx: failures, resets: 0 } },
          failureCodes: failures > 0 ? { '503': failures } : {},
          rps: o.samples.length / (durationMs / 1000),
          rpsSeries: o.rpsSeries ?? [Math.floor(o.samples.length / 2), Math.ceil(o.samples.length / 2)],
          latencyUs: { min: h.minNonZeroValue, mean: h.mean, stdev: h.stdDeviation, p50: 0, p90: 0, p99: h.getValueAtPercentile(99), p999: 0, max: h.maxValue },
          latencyHistogramUs: hdr.encodeIntoCompressedBase64(h),
          latencyResolution: { resolutionUs: 1, source: 'open loop' },
          latencySeries: [
            { startMs: 0, durationMs: 1000, completed: Math.floor(o.samples.length / 2), failures: 0, p50Us: 3000, p99Us: 9000, maxUs: 9500 },
            { startMs: 1000, durationMs: 1000, completed: Math.ceil(o.samples.length / 2), failures, p50Us: 3100, p99Us: 9100, maxUs: 9600 },
          ],
          bytesReceived: o.samples.length * 100,
          ...(open
            ? {
                open: {
                  targetRps: load,
                  scheduled: o.samples.length,
                  lateSends: { total: 1, toleranceUs: 5000, byCause: { inFlightBound: 0, generator: 1 } },
                  peakInFlight: 4,
                  unfinished: 0,
                },
              }
            : {}),
          generator: { engine: open ? 'open' : 'autocannon', pid: 1000 + seed, cpuCores: 0.2, threads: 1, eventLoopUtilization: 0.3 },
          servers: [],
          notes: [],
          valid,
          validity: validity(valid),
        };
  const data: LoadData = {
    options: {
      scenarios: ['sustained'],
      engine: open ? 'open' : 'autocannon',
      repeats: 1,
      quick: false,
      target: o.target ?? 'http://scoring:8080/score',
      durationMs,
      warmupMs: 500,
      timeoutMs: 10_000,
      latencyGoalP99Us: 500_000,
      errorBudget: 0.01,
      ...(open ? { rateRps: load } : { connections: load }),
      seed,
      ...(o.shard === undefined ? {} : { shard: o.shard }),
    },
    validityRules: [],
    fdLimit: { soft: 1024, hard: 1024, needed: 10, raised: false, note: '' },
    configurations: [{ id: 'target', url: o.target ?? 'http://scoring:8080/score', state: 'completed' }],
    runs: [run],
    summaries: [],
    ramps: [],
    stresses: [],
    comparisons: [],
    goals: [],
    flags: [],
    durationMs: durationMs + 500,
    interrupted: false,
  };
  return {
    schema: 'servebench',
    version: 1,
    kind: 'load',
    createdAt: new Date(o.startMs ?? 0).toISOString(),
    servebench: { version: '0.1.0', argv: [] },
    env: ENV,
    data,
  };
}
