// Small, hand-built results for the compare tests: load runs with real HDR histograms of given latencies,
// kernels entries with given per-process figures, wrapped in an envelope whose env is a real run's.

import { readFileSync } from 'node:fs';
import hdr from 'hdr-histogram-js';
import type { EnvBlock, KernelEntry, KernelsData, LoadData, LoadRun, ResultEnvelope, ResultKind } from '../src/results/index.js';
import { createRng } from '../src/stats/index.js';

const bench = JSON.parse(readFileSync(new URL('./fixtures/bench-quick-results.json', import.meta.url), 'utf8')) as ResultEnvelope<'bench', unknown>;

/** A real environment block (a copy each time, so a test may change it). */
export function realEnv(): EnvBlock {
  return structuredClone(bench.env);
}

/** The real quick bench run of the fixtures (a copy). */
export function realBench(): ResultEnvelope<'bench', unknown> {
  return structuredClone(bench);
}

export function wrap<D>(kind: ResultKind, data: D, env: EnvBlock = realEnv()): ResultEnvelope<ResultKind, D> {
  return { schema: 'servebench', version: 1, kind, createdAt: '2026-12-01T10:00:00.000Z', servebench: { version: '0.1.0', argv: [] }, env, data };
}

/** n latencies around `centerUs`, spread uniformly by +-spread (a fraction), seeded. */
export function latencies(n: number, centerUs: number, spread: number, seed: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Math.max(1, Math.round(centerUs * (1 + spread * (2 * rng() - 1)))));
}

export function histogramOf(values: readonly number[]): string {
  const h = hdr.build({
    bitBucketSize: 'packed',
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000_000,
    numberOfSignificantValueDigits: 3,
  });
  for (const v of values) h.recordValue(v);
  const out = hdr.encodeIntoCompressedBase64(h);
  h.destroy();
  return out;
}

export interface RunSpec {
  configId?: string;
  scenario?: LoadRun['scenario'];
  step?: string;
  repeat?: number;
  /** Per-second successes; rps is their mean. */
  rpsSeries: number[];
  latenciesUs: number[];
  /** The latencies of each second (the per-second bins); default: latenciesUs cut into rpsSeries.length parts. */
  perSecondUs?: number[][];
  valid?: boolean;
  connections?: number;
  windowMs?: number;
}

function percentiles(values: readonly number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { sorted, at };
}

export function loadRun(s: RunSpec): LoadRun {
  const { sorted, at } = percentiles(s.latenciesUs);
  const configId = s.configId ?? 'target';
  const scenario = s.scenario ?? 'sustained';
  const step = s.step ?? 'held c=10';
  const repeat = s.repeat ?? 1;
  const successes = s.rpsSeries.reduce((a, b) => a + b, 0);
  const valid = s.valid ?? true;
  const parts = s.rpsSeries.length;
  const chunk = Math.ceil(s.latenciesUs.length / parts);
  const seconds = s.perSecondUs ?? Array.from({ length: parts }, (_, i) => s.latenciesUs.slice(i * chunk, (i + 1) * chunk));
  const latencySeries = seconds.map((values, i) => {
    const b = percentiles(values.length > 0 ? values : [1]);
    return {
      startMs: i * 1000,
      durationMs: 1000,
      completed: values.length,
      failures: 0,
      p50Us: b.at(0.5),
      p99Us: b.at(0.99),
      maxUs: b.sorted[b.sorted.length - 1]!,
    };
  });
  return {
    id: `${configId}/${scenario}/${step}/r${repeat}`,
    configId,
    scenario,
    step: { index: 0, label: step, load: s.connections ?? 10, loadUnit: 'connections' },
    repeat,
    startedAt: '2026-12-01T10:00:00.000Z',
    load: { kind: 'closed', engine: 'autocannon', connections: s.connections ?? 10, pipelining: 1, workers: 0 },
    state: 'completed',
    warmupMs: 500,
    windowMs: s.windowMs ?? s.rpsSeries.length * 1000,
    requests: { completed: successes, successes },
    failures: { total: 0, byKind: { errors: 0, timeouts: 0, non2xx: 0, resets: 0 } },
    failureCodes: {},
    rps: successes / s.rpsSeries.length,
    rpsSeries: s.rpsSeries,
    latencyUs: {
      min: sorted[0]!,
      mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
      stdev: 0,
      p50: at(0.5),
      p90: at(0.9),
      p99: at(0.99),
      p999: at(0.999),
      max: sorted[sorted.length - 1]!,
    },
    latencyHistogramUs: histogramOf(s.latenciesUs),
    latencyResolution: { resolutionUs: 1, source: 'test' },
    latencySeries,
    bytesReceived: 0,
    generator: { engine: 'autocannon', pid: 1, cpuCores: 0.2, threads: 1, eventLoopUtilization: 0.2 },
    servers: [],
    notes: [],
    valid,
    validity: { valid, reasons: valid ? [] : ['fewer than 20 requests completed'], rules: [] },
  };
}

export function loadData(runs: LoadRun[]): LoadData {
  const ids = [...new Set(runs.map((r) => r.configId))];
  return {
    options: {
      scenarios: ['sustained'],
      engine: 'autocannon',
      repeats: 1,
      quick: false,
      durationMs: 5000,
      warmupMs: 500,
      timeoutMs: 10_000,
      latencyGoalP99Us: 500_000,
      errorBudget: 0.01,
      seed: 1,
    },
    validityRules: [],
    fdLimit: { soft: 1024, hard: 1024, needed: 10, raised: false, note: '' },
    configurations: ids.map((id) => ({ id, state: 'completed' as const })),
    runs,
    summaries: [],
    ramps: [],
    stresses: [],
    comparisons: [],
    goals: [],
    flags: [],
    durationMs: 1000,
    interrupted: false,
  };
}

/**
 * One step's repeats of five seconds on a host whose speed moves from second to second by +-spread: each
 * second's rps is `rps` times its factor and its 400 latencies are `latencyUs` over it (+-5% jitter).
 */
export function stepRuns(repeats: number, rps: number, latencyUs: number, spread: number, seed: number, extra: Partial<RunSpec> = {}): LoadRun[] {
  return Array.from({ length: repeats }, (_, i) => {
    const rng = createRng(seed * 1000 + i);
    const factors = Array.from({ length: 5 }, () => 1 + spread * (2 * rng() - 1));
    const perSecondUs = factors.map((f, k) => latencies(400, latencyUs / f, 0.05, seed * 100 + i * 10 + k));
    const rpsSeries = factors.map((f) => Math.round(rps * f));
    return loadRun({ rpsSeries, latenciesUs: perSecondUs.flat(), perSecondUs, repeat: i + 1, ...extra });
  });
}

export function kernelEntry(kernel: KernelEntry['kernel'], n: number, perProcess: number[]): KernelEntry {
  const sorted = [...perProcess].sort((a, b) => a - b);
  const med = sorted[(sorted.length - 1) >> 1]!;
  return {
    kernel,
    n,
    state: 'completed',
    nsPerCall: med,
    minNsPerCall: sorted[0]!,
    gbPerSec: (8 * n) / med,
    bandwidthFraction: null,
    probeGbPerSec: null,
    probeThreads: 1,
    rme: 1,
    medianRme: 1,
    samples: 100 * perProcess.length,
    acrossProcesses: { unit: 'ns', median: med, min: sorted[0]!, max: sorted[sorted.length - 1]!, relativeSpread: 0, repeats: perProcess.length },
    perProcess: perProcess.map((ns, i) => ({
      process: i,
      pid: 100 + i,
      position: 0,
      nsPerCall: ns,
      minNsPerCall: ns,
      rme: 1,
      medianRme: 1,
      samples: 100,
      callsPerSample: 1,
    })),
    noisy: false,
    processErrors: [],
  };
}

export function kernelsData(entries: KernelEntry[], settings: Partial<KernelsData['settings']> = {}): KernelsData {
  return {
    dataVersion: 1,
    startedAt: '2026-12-01T10:00:00.000Z',
    durationMs: 1000,
    interrupted: false,
    settings: {
      quick: false,
      sizes: [...new Set(entries.map((e) => e.n))],
      smallSizes: [],
      kernels: [...new Set(entries.map((e) => e.kernel))],
      processesPerCase: 3,
      timePerKernelMs: 250,
      warmupMs: 50,
      minSamples: 5,
      targetSampleNs: 50_000,
      probeRepeats: 5,
      seed: 3,
      noise: { maxSpreadAcrossProcesses: 0.1, maxRmePercent: 5 },
      ...settings,
    },
    native: { available: false, reason: 'test' },
    entries,
    probes: [],
    ratios: [],
    crossover: { state: 'not-found', reason: 'test' },
    callOverhead: { nativeNsPerCall: null, nativeAsyncNsPerCall: null, typedNsPerCall: null },
    goals: [],
    processes: [],
    flags: [],
  };
}
