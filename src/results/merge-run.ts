// One run of a distributed load, merged from its shards' runs (the same configuration, scenario, step and
// repeat, measured at the same time by different generators): the latency histograms added exactly,
// counts summed, rps summed (the shards ran concurrently), the per-second series aligned by wall clock, and
// the validity of each shard kept beside the verdict for the whole.

import { round1, round3 } from '../stats/round.js';
import type { ErrorInfo } from './common.js';
import { mergeHistograms, pooledLatency } from './histogram.js';
import type { LatencyBin, LatencyUs, LoadMeasurement, LoadRun, LoadShape, RunValidity, ValidityRuleResult } from './load.js';

type Completed = Extract<LoadRun, { state: 'completed' }>;

/** One shard's part in a merged run. */
interface RunShard {
  shard: number;
  file: string;
  /** 'missing': the shard has no such run (it stopped earlier, or its ramp took other steps). */
  state: LoadRun['state'] | 'missing';
  valid: boolean;
  /** Why it is not valid: its own validity reasons, its error, or why it is missing. */
  reasons: string[];
  runId?: string;
  startedAt?: string;
  /** Its measured window's start after the merged window's, ms (by startedAt + warm-up). */
  offsetMs?: number;
  rps?: number;
  successes?: number;
  failures?: number;
  error?: ErrorInfo;
}

/** A merged run: a load run like any other, plus the part each shard had in it. */
export type MergedRun = LoadRun & { shards: RunShard[] };

/** One shard's run of the group (undefined: the shard has none). */
export interface ShardRun {
  shard: number;
  file: string;
  run: LoadRun | undefined;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
/** Loads of several shards add up; six decimals keep 100/3 x 3 reading as 100. */
const roundLoad = (x: number) => Math.round(x * 1e6) / 1e6;

/** The label with the step's load taken out, e.g. 'held {load}/s': shards of one step share it. */
export function labelTemplate(run: LoadRun): string {
  return run.step.label.replace(String(run.step.load), '{load}');
}

/** Start of the measured window, epoch ms: the run's start plus its warm-up; NaN without a start time. */
function windowStartMs(run: Completed): number {
  return Date.parse(run.startedAt) + run.warmupMs;
}

function mergeShape(shapes: LoadShape[]): LoadShape {
  const first = shapes[0]!;
  if (first.kind === 'closed') {
    const closed = shapes.filter((s): s is Extract<LoadShape, { kind: 'closed' }> => s.kind === 'closed');
    return { ...first, connections: sum(closed.map((s) => s.connections)) };
  }
  const open = shapes.filter((s): s is Extract<LoadShape, { kind: 'open' }> => s.kind === 'open');
  return { ...first, rateRps: roundLoad(sum(open.map((s) => s.rateRps))), maxInFlight: sum(open.map((s) => s.maxInFlight)) };
}

/** Per-second series added second by second, each shard shifted by its whole-second offset. */
function alignSeries(runs: Completed[], offsetsMs: number[]): number[] {
  const out: number[] = [];
  runs.forEach((r, i) => {
    const shift = Math.round(offsetsMs[i]! / 1000);
    r.rpsSeries.forEach((v, k) => {
      while (out.length <= k + shift) out.push(0);
      out[k + shift]! += v;
    });
  });
  return out;
}

/**
 * Latency bins aligned the same way, to the nearest bin: counts add up exactly; the bins carry no
 * histogram, so a merged bin's p50 and p99 are the highest of the shards' (an upper bound), its max exact.
 */
function alignBins(runs: Completed[], offsetsMs: number[], notes: string[]): LatencyBin[] {
  const width = runs.find((r) => r.latencySeries.length > 0)?.latencySeries[0]?.durationMs;
  if (width === undefined || !(width > 0)) return [];
  if (runs.some((r) => r.latencySeries.some((b) => b.durationMs !== width))) {
    notes.push('latency series: the shards used bins of different widths, so they are not merged (see each shard file)');
    return [];
  }
  const bins = new Map<number, LatencyBin>();
  runs.forEach((r, i) => {
    for (const b of r.latencySeries) {
      const k = Math.round((b.startMs + offsetsMs[i]!) / width);
      const m = bins.get(k) ?? { startMs: k * width, durationMs: width, completed: 0, failures: 0, p50Us: 0, p99Us: 0, maxUs: 0 };
      m.completed += b.completed;
      m.failures += b.failures;
      m.p50Us = Math.max(m.p50Us, b.p50Us);
      m.p99Us = Math.max(m.p99Us, b.p99Us);
      m.maxUs = Math.max(m.maxUs, b.maxUs);
      bins.set(k, m);
    }
  });
  if (runs.length > 1) notes.push("latency series: each bin's p50 and p99 are the highest of the shards' (an upper bound; bins keep no histogram)");
  return [...bins.entries()].sort(([a], [b]) => a - b).map(([, b]) => b);
}

/** Percentiles of the merged histogram (never an average of the shards' percentiles). */
function mergeLatency(runs: Completed[], shardNames: string[], notes: string[], reasons: string[]): { latencyUs: LatencyUs; histogram?: string } {
  const encoded = runs.flatMap((r) => (r.latencyHistogramUs === undefined ? [] : [r.latencyHistogramUs]));
  const without = runs.flatMap((r, i) => (r.latencyHistogramUs === undefined && r.requests.successes > 0 ? [shardNames[i]!] : []));
  if (without.length > 0) {
    const msg =
      `latency: ${without.join(', ')} kept no histogram (autocannon worker threads keep whole ms of their own), ` +
      'so the percentiles leave their samples out';
    notes.push(msg);
    reasons.push(msg);
  }
  const pooled = pooledLatency(encoded);
  const histogram = mergeHistograms(encoded);
  if (pooled === undefined) return { latencyUs: { min: 0, mean: 0, stdev: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 } };
  const { count: _count, ...l } = pooled;
  const latencyUs = { ...l, mean: round1(l.mean), stdev: round1(l.stdev) };
  return histogram === undefined ? { latencyUs } : { latencyUs, histogram };
}

/** Each rule passes only where every shard passed it; its figures are those of the first shard that failed it. */
function mergeValidity(runs: Completed[], shardNames: string[], reasons: string[]): RunValidity {
  const names = [...new Set(runs.flatMap((r) => r.validity.rules.map((x) => x.rule)))];
  const rules: ValidityRuleResult[] = names.map((name) => {
    const found = runs.flatMap((r, i) => r.validity.rules.filter((x) => x.rule === name).map((x) => ({ x, shard: shardNames[i]! })));
    const failed = found.find((f) => f.x.applies && !f.x.passed);
    const pick = failed ?? found[0]!;
    return {
      ...pick.x,
      applies: found.some((f) => f.x.applies),
      passed: failed === undefined,
      message: `${pick.shard}: ${pick.x.message}`,
    };
  });
  return { valid: reasons.length === 0, reasons, rules };
}

function mergeOpen(runs: Completed[]): LoadMeasurement['open'] {
  const opens = runs.flatMap((r) => (r.open === undefined ? [] : [r.open]));
  if (opens.length !== runs.length) return undefined;
  return {
    targetRps: roundLoad(sum(opens.map((o) => o.targetRps))),
    scheduled: sum(opens.map((o) => o.scheduled)),
    lateSends: {
      total: sum(opens.map((o) => o.lateSends.total)),
      toleranceUs: Math.max(...opens.map((o) => o.lateSends.toleranceUs)),
      byCause: {
        inFlightBound: sum(opens.map((o) => o.lateSends.byCause.inFlightBound)),
        generator: sum(opens.map((o) => o.lateSends.byCause.generator)),
      },
    },
    // The shards' peaks need not coincide: their sum bounds the whole's peak from above.
    peakInFlight: sum(opens.map((o) => o.peakInFlight)),
    unfinished: sum(opens.map((o) => o.unfinished)),
  };
}

/** Little's law over the shards: concurrencies and expected rates add up. */
function mergeLittlesLaw(runs: Completed[], rps: number): LoadMeasurement['littlesLaw'] {
  const laws = runs.flatMap((r) => (r.littlesLaw === undefined ? [] : [r.littlesLaw]));
  if (laws.length !== runs.length || laws.length === 0) return undefined;
  const concurrency = sum(laws.map((l) => l.concurrency));
  const expectedRps = sum(laws.map((l) => l.expectedRps));
  if (!(expectedRps > 0)) return undefined;
  return {
    concurrency,
    baselineMeanLatencyUs: Math.round((concurrency / expectedRps) * 1e6),
    expectedRps: round1(expectedRps),
    ratio: round3(rps / expectedRps),
  };
}

/** The counts of the completed shards, summed. */
function sumCounts(runs: Completed[]): Pick<LoadMeasurement, 'requests' | 'failures' | 'failureCodes' | 'bytesReceived'> {
  const failureCodes: Record<string, number> = {};
  for (const r of runs) for (const [code, n] of Object.entries(r.failureCodes ?? {})) failureCodes[code] = (failureCodes[code] ?? 0) + n;
  const kinds = (k: keyof Completed['failures']['byKind']) => sum(runs.map((r) => r.failures.byKind[k]));
  return {
    requests: { completed: sum(runs.map((r) => r.requests.completed)), successes: sum(runs.map((r) => r.requests.successes)) },
    failures: {
      total: sum(runs.map((r) => r.failures.total)),
      byKind: { errors: kinds('errors'), timeouts: kinds('timeouts'), non2xx: kinds('non2xx'), resets: kinds('resets') },
    },
    failureCodes,
    bytesReceived: sum(runs.map((r) => r.bytesReceived ?? 0)),
  };
}

const shardName = (g: ShardRun) => `shard ${g.shard} (${g.file})`;

/** A shard's part in the merged run, and why it is not valid if it is not. */
function shardPart(g: ShardRun, offsetMs: number | undefined): RunShard {
  const base = { shard: g.shard, file: g.file };
  const run = g.run;
  if (run === undefined) return { ...base, state: 'missing', valid: false, reasons: ['it has no such run (it stopped earlier or took other steps)'] };
  const head = { ...base, runId: run.id, startedAt: run.startedAt };
  if (run.state === 'errored') return { ...head, state: 'errored', valid: false, reasons: [`its run errored: ${run.error.message}`], error: run.error };
  if (run.state === 'skipped') return { ...head, state: 'skipped', valid: false, reasons: [`its run was skipped: ${run.reason}`] };
  return {
    ...head,
    state: 'completed',
    valid: run.valid,
    reasons: run.valid ? [] : run.validity.reasons,
    ...(offsetMs === undefined ? {} : { offsetMs: Math.round(offsetMs) }),
    rps: run.rps,
    successes: run.requests.successes,
    failures: run.failures.total,
  };
}

/** The server-side view (processes sampled, the scoring processes' own timings): every shard sees the same servers. */
function serverView(runs: Completed[], names: string[], notes: string[]): Pick<LoadMeasurement, 'servers' | 'serverTimingUs'> {
  const i = runs.findIndex((r) => r.servers.length > 0 || r.serverTimingUs !== undefined);
  if (i < 0) return { servers: [] };
  const r = runs[i]!;
  if (runs.length > 1) notes.push(`servers: as ${names[i]} sampled them (every shard sees the same server processes)`);
  return { servers: r.servers, ...(r.serverTimingUs === undefined ? {} : { serverTimingUs: r.serverTimingUs }) };
}

/** The measurement of the completed shards' runs, merged; `reasons` collects why the whole is not valid. */
function mergeMeasurement(runs: Completed[], names: string[], offsets: number[], notes: string[], reasons: string[]): LoadMeasurement {
  const rps = round3(sum(runs.map((r) => r.rps)));
  const { latencyUs, histogram } = mergeLatency(runs, names, notes, reasons);
  const open = mergeOpen(runs);
  const littlesLaw = mergeLittlesLaw(runs, rps);
  const generators = runs.map((r) => r.generator);
  const latencySeries = alignBins(runs, offsets, notes);
  const validity = mergeValidity(runs, names, reasons);
  return {
    warmupMs: Math.min(...runs.map((r) => r.warmupMs)),
    windowMs: Math.round(Math.max(...runs.map((r, i) => offsets[i]! + r.windowMs))),
    ...sumCounts(runs),
    rps,
    rpsSeries: alignSeries(runs, offsets),
    latencyUs,
    ...(histogram === undefined ? {} : { latencyHistogramUs: histogram }),
    latencyResolution: {
      resolutionUs: Math.max(...runs.map((r) => r.latencyResolution.resolutionUs)),
      source: [...new Set(runs.map((r) => r.latencyResolution.source))].join('; '),
    },
    latencySeries,
    ...(open === undefined ? {} : { open }),
    // The generators together: their CPU and threads add up; the busiest main thread speaks for them.
    generator: {
      ...generators[0]!,
      cpuCores: round3(sum(generators.map((g) => g.cpuCores))),
      threads: sum(generators.map((g) => g.threads)),
      eventLoopUtilization: Math.max(...generators.map((g) => g.eventLoopUtilization)),
    },
    ...serverView(runs, names, notes),
    ...(littlesLaw === undefined ? {} : { littlesLaw }),
    notes: [...new Set([...runs.flatMap((r) => r.notes), ...notes])],
    valid: validity.valid,
    validity,
  };
}

/** The run header of the whole: the step's load summed, its label rewritten with it, the earliest start. */
function mergedHeader(present: LoadRun[]) {
  const first = present[0]!;
  const load = roundLoad(sum(present.map((r) => r.step.load)));
  const label = labelTemplate(first).replace('{load}', String(load));
  const starts = present.map((r) => Date.parse(r.startedAt)).filter(Number.isFinite);
  return {
    id: `${first.configId}/${first.scenario}/${label}/r${first.repeat}`,
    configId: first.configId,
    scenario: first.scenario,
    step: { ...first.step, label, load },
    repeat: first.repeat,
    startedAt: starts.length > 0 ? new Date(Math.min(...starts)).toISOString() : first.startedAt,
    load: mergeShape(present.map((r) => r.load)),
  };
}

/**
 * Merge one run from every shard's run of it (in shard order; undefined where a shard has none). The whole
 * is valid only if every shard's run is there, completed and valid; a failed shard is kept and marked.
 */
export function mergeRunGroup(group: readonly ShardRun[]): MergedRun {
  const present = group.flatMap((g) => (g.run === undefined ? [] : [g.run]));
  const completedShards = group.filter((g) => g.run?.state === 'completed');
  const runs = completedShards.map((g) => g.run as Completed);
  const names = completedShards.map(shardName);
  const starts = runs.map(windowStartMs);
  const notes: string[] = [];
  const timed = starts.every(Number.isFinite);
  const origin = timed && starts.length > 0 ? Math.min(...starts) : 0;
  const offsets = starts.map((s) => (timed ? s - origin : 0));
  if (!timed)
    notes.push(
      "alignment: a shard has no start time (startedAt), so the series are aligned on each measured window's start, as if the shards started together",
    );
  const shards = group.map((g) => {
    const i = completedShards.indexOf(g);
    return shardPart(g, i < 0 || !timed ? undefined : offsets[i]);
  });
  const reasons = shards.filter((s) => !s.valid).map((s) => `shard ${s.shard} (${s.file}): ${s.reasons.join('; ') || 'invalid'}`);
  const header = mergedHeader(present);
  if (runs.length === 0) {
    const errored = shards.find((s) => s.error !== undefined);
    if (errored?.error !== undefined) {
      return {
        ...header,
        state: 'errored',
        error: { code: errored.error.code, message: `no shard completed this run: ${reasons.join('; ')}` },
        valid: false,
        shards,
      };
    }
    return { ...header, state: 'skipped', reason: `no shard completed this run: ${reasons.join('; ')}`, valid: false, shards };
  }
  return { ...header, state: 'completed', ...mergeMeasurement(runs, names, offsets, notes, reasons), shards };
}
