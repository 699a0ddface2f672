// CSV for spreadsheets (RFC 4180): load steps (one row per run and one per summary, with `series` the
// per-second rows of every run), kernels (one row per kernel and n), capacity (one per kernel), profile
// (one per case, summary and frame group). A bench run gives its sections' tables one after another,
// separated by an empty line. Units are in the column names; summaries' percentiles are pooled histograms.

import type { BenchData } from '../results/bench.js';
import type { CapacityData } from '../results/capacity.js';
import type { ResultEnvelope, ResultKind } from '../results/envelope.js';
import { ServebenchError } from '../errors.js';
import { pooledLatency } from '../results/histogram.js';
import type { KernelsData } from '../results/kernels.js';
import type { LoadData, LoadRun } from '../results/load.js';
import type { ProfileData } from '../results/profile.js';

type Cell = string | number | boolean | null | undefined;
type CompletedRun = Extract<LoadRun, { state: 'completed' }>;

function cell(c: Cell): string {
  if (c === null || c === undefined) return '';
  const s = typeof c === 'number' ? (Number.isFinite(c) ? String(Math.round(c * 1e6) / 1e6) : '') : String(c);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** A table with every row as wide as the head (missing cells empty), CRLF line ends as RFC 4180 has them. */
function table(head: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const padded = rows.map((r) => [...r, ...Array<Cell>(Math.max(0, head.length - r.length)).fill(null)]);
  return `${[head, ...padded].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

const LOAD_HEAD = [
  'section',
  'row',
  'configId',
  'scenario',
  'step',
  'load',
  'loadUnit',
  'repeat',
  'state',
  'valid',
  'windowMs',
  'successes',
  'failures',
  'errorRate',
  'rps',
  'rpsMin',
  'rpsMax',
  'latencyMeanUs',
  'p50Us',
  'p90Us',
  'p99Us',
  'p999Us',
  'maxUs',
  'generatorCpuCores',
  'second',
] as const;

function runRow(section: string, r: LoadRun): Cell[] {
  const head = [section, 'run', r.configId, r.scenario, r.step.label, r.step.load, r.step.loadUnit, r.repeat, r.state];
  if (r.state !== 'completed') return [...head, false];
  const attempted = r.requests.successes + r.failures.total;
  const l = r.latencyUs;
  return [
    ...head,
    r.valid,
    r.windowMs,
    r.requests.successes,
    r.failures.total,
    attempted === 0 ? 0 : r.failures.total / attempted,
    r.rps,
    null,
    null,
    l.mean,
    l.p50,
    l.p90,
    l.p99,
    l.p999,
    l.max,
    r.generator.cpuCores,
  ];
}

/** A summary row over the valid repeats (every completed one when none is valid): pooled percentiles. */
function summaryRow(section: string, runs: LoadRun[]): Cell[] {
  const first = runs[0]!;
  const completed = runs.filter((r): r is CompletedRun => r.state === 'completed');
  const valid = completed.filter((r) => r.valid);
  const basis = valid.length > 0 ? valid : completed;
  const head = [section, 'summary', first.configId, first.scenario, first.step.label, first.step.load, first.step.loadUnit, runs.length];
  if (basis.length === 0) return [...head, 'errored', false];
  const successes = basis.reduce((s, r) => s + r.requests.successes, 0);
  const failures = basis.reduce((s, r) => s + r.failures.total, 0);
  const rps = basis.map((r) => r.rps).sort((a, b) => a - b);
  const hists = basis.map((r) => r.latencyHistogramUs);
  const pooled = hists.every((h): h is string => h !== undefined) ? pooledLatency(hists) : undefined;
  const mid = rps.length % 2 === 1 ? rps[(rps.length - 1) / 2]! : (rps[rps.length / 2 - 1]! + rps[rps.length / 2]!) / 2;
  return [
    ...head,
    'completed',
    `${valid.length}/${runs.length}`,
    basis.reduce((s, r) => s + r.windowMs, 0),
    successes,
    failures,
    successes + failures === 0 ? 0 : failures / (successes + failures),
    mid,
    rps[0],
    rps[rps.length - 1],
    pooled?.mean,
    pooled?.p50,
    pooled?.p90,
    pooled?.p99,
    pooled?.p999,
    pooled?.max,
    null,
  ];
}

/** One row per whole second of a run: its successes (rps) and, where bins are one second, its latency bin. */
function secondRows(section: string, r: CompletedRun): Cell[][] {
  return r.rpsSeries.map((rps, i) => {
    const bin = r.latencySeries.find((b) => b.startMs === i * 1000);
    const row: Cell[] = [section, 'second', r.configId, r.scenario, r.step.label, r.step.load, r.step.loadUnit, r.repeat, r.state, r.valid];
    row.push(1000, rps, bin?.failures, null, rps, null, null, null, bin?.p50Us, null, bin?.p99Us, null, bin?.maxUs, null, i);
    return row;
  });
}

function loadRows(section: string, d: LoadData, series: boolean): Cell[][] {
  const rows: Cell[][] = [];
  const steps = new Map<string, LoadRun[]>();
  for (const r of d.runs) {
    const key = `${r.configId}\u0000${r.scenario}\u0000${r.step.label}`;
    steps.set(key, [...(steps.get(key) ?? []), r]);
  }
  for (const runs of steps.values()) {
    for (const r of runs) {
      rows.push(runRow(section, r));
      if (series && r.state === 'completed') rows.push(...secondRows(section, r));
    }
    rows.push(summaryRow(section, runs));
  }
  return rows;
}

function kernelsCsv(d: KernelsData): string {
  const head = ['kernel', 'n', 'state', 'nsPerCall', 'minNsPerCall', 'gbPerSec', 'bandwidthFraction', 'probeGbPerSec', 'processes', 'spreadAcrossProcesses'];
  const rows = d.entries.map((e): Cell[] => {
    if (e.state !== 'completed') return [e.kernel, e.n, e.state];
    const a = e.acrossProcesses;
    return [
      e.kernel,
      e.n,
      e.state,
      e.nsPerCall,
      e.minNsPerCall,
      e.gbPerSec,
      e.bandwidthFraction,
      e.probeGbPerSec,
      a.repeats,
      a.relativeSpread,
      e.medianRme,
      e.rme,
      e.samples,
      e.noisy,
    ];
  });
  return table([...head, 'medianRmePercent', 'rmePercent', 'samples', 'noisy'], rows);
}

function capacityCsv(d: CapacityData): string {
  const head = ['kernel', 'state', 'maxN', 'firstFailN', 'failure', 'precision', 'converged', 'bytesPerValue', 'budgetBytesPerValue', 'peakRssBytes', 'probes'];
  const rows = d.kernels.map((k) =>
    k.state === 'completed'
      ? [k.kernel, k.state, k.maxN, k.firstFailN, k.failure, k.precision, k.converged, k.bytesPerValue, k.budgetBytesPerValue, k.peakRssBytes, k.probes.length]
      : [k.kernel, k.state, null, null, null, null, null, null, null, null, k.probes.length],
  );
  return table(head, rows);
}

function profileCsv(d: ProfileData): string {
  const head = ['case', 'tool', 'path', 'state', 'requestsPerSec', 'latencyP99Us', 'source', 'process', 'unit', 'total', 'group', 'weight', 'fraction'];
  const rows: Cell[][] = [];
  for (const c of d.cases) {
    if (c.state !== 'completed') {
      rows.push([c.id, c.tool, c.path, c.state]);
      continue;
    }
    const lead = [c.id, c.tool, c.path, c.state, c.load.requestsPerSec, c.load.latencyP99Us];
    if (c.summaries.length === 0) rows.push(lead);
    for (const s of c.summaries) for (const g of s.groups) rows.push([...lead, s.source, s.process, s.unit, s.total, g.group, g.weight, g.fraction]);
  }
  return table(head, rows);
}

export interface CsvOptions {
  /** Add every load run's per-second rows. @default false */
  series?: boolean;
}

/** A results file as CSV (a bench run: its sections' tables, an empty line apart). */
export function renderCsv(r: ResultEnvelope<ResultKind, unknown>, options: CsvOptions = {}): string {
  const series = options.series === true;
  const load = (sections: [string, LoadData | undefined][]) => {
    const rows = sections.flatMap(([name, d]) => (d === undefined ? [] : loadRows(name, d, series)));
    return rows.length === 0 ? [] : [table(LOAD_HEAD, rows)];
  };
  switch (r.kind) {
    case 'load':
      return load([['load', r.data as LoadData]]).join('');
    case 'kernels':
      return kernelsCsv(r.data as KernelsData);
    case 'capacity':
      return capacityCsv(r.data as CapacityData);
    case 'profile':
      return profileCsv(r.data as ProfileData);
    case 'bench': {
      const s = (r.data as BenchData).sections;
      const tables = [
        ...load([
          ['load', s.load],
          ['experiments', s.experiments],
        ]),
        ...(s.kernels === undefined ? [] : [kernelsCsv(s.kernels)]),
        ...(s.capacity === undefined ? [] : [capacityCsv(s.capacity)]),
        ...(s.profile === undefined ? [] : [profileCsv(s.profile)]),
      ];
      return tables.join('\r\n');
    }
    case 'hardware':
      throw new ServebenchError('SB_ERR_INPUT', 'a hardware results file has no table for CSV; use --format md or html');
  }
}
