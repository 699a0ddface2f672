// SVG charts of a run, drawn from the saved data only: pure functions from the result types to vega-lite
// specs (one per chart, null when the data has nothing to draw), and one async function that renders a list
// of specs to SVG strings with vega's headless renderer (no canvas, no network, no fonts fetched). vega and
// vega-lite are ESM-only and loaded on demand, so a report still renders, without charts and saying why,
// when they cannot be loaded.

import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { toErrorInfo } from '../errors.js';
import { KERNEL_NAMES, type KernelName } from '../kernels/types.js';
import { primarySummary } from './profile.js';
import { renderBenchHtml, renderBenchMarkdown, type BenchResults } from './results.js';
import type { BenchData, SuiteName } from '../results/bench.js';
import type { CapacityData } from '../results/capacity.js';
import type { ErrorInfo } from '../results/common.js';
import type { KernelsData } from '../results/kernels.js';
import type { LoadData } from '../results/load.js';
import type { AutoscaleConfigResult } from '../results/experiments.js';
import { FRAME_GROUP_LABELS, type FrameGroup, type ProfileCase, type ProfileData } from '../results/profile.js';
import { writeFileAtomic } from '../results/write.js';

/** Plain JSON: a vega-lite spec is data, built here without vega-lite's (deep) types and checked when compiled. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type VegaLiteSpec = { [key: string]: JsonValue };

/** The charts servebench draws; each is written as charts/<name>.svg in a run folder. */
export type ChartName = 'kernels' | 'capacity' | 'load-ramp' | 'request-paths' | 'autoscale' | 'profile';

export interface ChartSpec {
  /** File name without extension (charts/<name>.svg), unique within a run. */
  name: string;
  chart: ChartName;
  /** The run section it illustrates (the HTML places it under that section's heading). */
  section: SuiteName;
  /** One line: what the chart shows (alt text, link text). */
  title: string;
  /** How to read it: units, scales, what hollow or marked points mean. */
  caption: string;
  spec: VegaLiteSpec;
}

export interface RenderedChart extends Omit<ChartSpec, 'spec'> {
  svg: string;
  /** vega-lite's and vega's warnings while compiling and rendering (empty when clean). */
  warnings: string[];
}

/** The outcome of rendering: per chart, an SVG or the error; or the whole renderer unavailable, with why. */
export type ChartsRender =
  | { state: 'rendered'; charts: RenderedChart[]; errors: { name: string; error: ErrorInfo }[] }
  | { state: 'unavailable'; reason: string };

// ---------------------------------------------------------------------------------------------------------
// Shared look

const FONT = 'system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif';

const CONFIG: VegaLiteSpec = {
  font: FONT,
  background: 'white',
  padding: 8,
  view: { stroke: '#d0d7de' },
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 'normal',
    titleColor: '#1b1f24',
    labelColor: '#1b1f24',
    gridColor: '#eaeef2',
    domainColor: '#8c959f',
    tickColor: '#8c959f',
  },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'bold', labelLimit: 320 },
  title: { fontSize: 15, subtitleFontSize: 12, anchor: 'start', subtitleColor: '#424a53', offset: 10, subtitlePadding: 4 },
  header: { labelFontSize: 12, titleFontSize: 12 },
};

/** Kernel colours (colour-blind-safe Tableau 10 hues), the same in every chart. */
const KERNEL_COLORS: Record<KernelName, string> = {
  naive: '#e15759',
  typed: '#f28e2b',
  native: '#4e79a7',
  'native-parallel': '#59a14f',
  'native-async': '#b07aa1',
};

const TOPOLOGY_COLORS: Record<string, string> = { single: '#4e79a7', cluster: '#f28e2b', nginx: '#59a14f' };
const EXTRA_COLORS = ['#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac', '#e15759'];

/** Frame groups in the order a reader asks about them: waiting first, then who runs. */
const PROFILE_ORDER: readonly FrameGroup[] = ['blocked', 'idle', 'app', 'dependencies', 'node', 'v8', 'native-addon', 'system', 'profiler'];
const GROUP_COLORS: Record<FrameGroup, string> = {
  blocked: '#d62728',
  idle: '#c7c7c7',
  app: '#1f77b4',
  dependencies: '#9ecae9',
  node: '#2ca02c',
  v8: '#ff7f0e',
  'native-addon': '#9467bd',
  system: '#8c564b',
  profiler: '#e377c2',
};
/** Groups whose colour is light enough for black labels (white on the others). */
const LIGHT_GROUPS: readonly FrameGroup[] = ['idle', 'dependencies', 'v8', 'profiler'];

const FAILURE_COLORS: Record<string, string> = {
  'js-heap-exhausted': '#d62728',
  'allocation-failed': '#ff7f0e',
  'array-length-limit': '#9467bd',
  killed: '#8c564b',
  timeout: '#7f7f7f',
  crashed: '#e377c2',
  'none up to the ceiling': '#2ca02c',
};

/** Powers of ten covering [min, max]: tick values of a log axis (labels stay readable, no 2..9 clutter). */
export function decadeTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max > 0)) return [];
  const lo = Math.floor(Math.log10(min) + 1e-9);
  const hi = Math.ceil(Math.log10(max) - 1e-9);
  const out: number[] = [];
  for (let e = lo; e <= hi; e++) out.push(Number((10 ** e).toPrecision(1)));
  return out;
}

// Hollow marks as shapes (vega-lite draws no legend for fillOpacity): rings filled in the series colour, in
// vega's unit box (-1..1); the inner path winds the other way, so the nonzero fill leaves the middle empty.
const RING = 'M1,0A1,1,0,1,1,-1,0A1,1,0,1,1,1,0ZM0.5,0A0.5,0.5,0,1,0,-0.5,0A0.5,0.5,0,1,0,0.5,0Z';
const DIAMOND_RING = 'M0,-1L1,0L0,1L-1,0ZM0,-0.6L-0.6,0L0,0.6L0.6,0Z';

/** A shape channel telling solid figures from doubtful ones (rings), with its legend. */
function figureShape(title: string, solid: string, hollow: string, extra: { label: string; path: string }[] = []): JsonValue {
  return {
    field: 'figure',
    type: 'nominal',
    title,
    scale: { domain: [solid, hollow, ...extra.map((e) => e.label)], range: ['circle', RING, ...extra.map((e) => e.path)] },
    legend: { symbolFillColor: '#57606a', symbolStrokeColor: 'transparent', symbolSize: 90, symbolOpacity: 1 },
  };
}

/** A log axis's domain and ticks: whole decades over three decades or more, else the 1-2-5 steps around the data. */
export function logAxis(min: number, max: number): { domain: [number, number]; ticks: number[] } {
  if (!(min > 0) || !(max > 0)) return { domain: [1, 10], ticks: [1, 10] };
  if (Math.log10(max / min) >= 3) {
    const ticks = decadeTicks(min, max);
    return { domain: [ticks[0]!, ticks[ticks.length - 1]!], ticks };
  }
  const steps: number[] = [];
  for (let e = Math.floor(Math.log10(min)) - 1; e <= Math.ceil(Math.log10(max)) + 1; e++)
    for (const m of [1, 2, 5]) steps.push(Number((m * 10 ** e).toPrecision(1)));
  const lo = [...steps].reverse().find((v) => v <= min * (1 + 1e-9)) ?? steps[0]!;
  const hi = steps.find((v) => v >= max * (1 - 1e-9)) ?? steps[steps.length - 1]!;
  return { domain: [lo, hi], ticks: steps.filter((v) => v >= lo && v <= hi) };
}

const round = (x: number, digits = 4) => Number(x.toPrecision(digits));
const count = (x: number) => Math.round(x).toLocaleString('en-US');
const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

function distinct<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

/** A colour range for a domain: known colours first, then a fixed list for the rest. */
function colorsFor(domain: readonly string[], known: Record<string, string>): string[] {
  let next = 0;
  return domain.map((d) => known[d] ?? EXTRA_COLORS[next++ % EXTRA_COLORS.length]!);
}

// ---------------------------------------------------------------------------------------------------------
// 1. kernels: GB/s vs n per kernel, the bandwidth probe as the roofline

export function kernelsChart(d: KernelsData): ChartSpec | null {
  const rows: VegaLiteSpec[] = [];
  for (const e of d.entries) {
    if (e.state !== 'completed' || !(e.gbPerSec > 0)) continue;
    rows.push({ kind: 'kernel', series: e.kernel, n: e.n, gbPerSec: round(e.gbPerSec), figure: e.noisy ? 'noisy (ring)' : 'measured' });
  }
  if (rows.length === 0) return null;
  const probeSeries = (threads: number) => `roofline: bandwidth probe, ${plural(threads, 'thread')}`;
  for (const p of d.probes) {
    if (p.state !== 'completed' || !(p.gbPerSec > 0)) continue;
    rows.push({ kind: 'probe', series: probeSeries(p.threads), threads: p.threads, n: p.n, gbPerSec: round(p.gbPerSec), figure: 'measured' });
  }
  const kernels = KERNEL_NAMES.filter((k) => rows.some((r) => r.series === k));
  const probes = distinct(d.probes.flatMap((p) => (p.state === 'completed' ? [p.threads] : []))).sort((a, b) => a - b);
  const domain = [...kernels, ...probes.map(probeSeries)];
  const range = [...kernels.map((k) => KERNEL_COLORS[k]), ...probes.map((t) => (t === 1 ? '#1b1f24' : '#8c959f'))];
  const ns = rows.map((r) => r.n as number);
  const gbs = rows.map((r) => r.gbPerSec as number);
  const x = {
    field: 'n',
    type: 'quantitative',
    title: 'n (values per call, log scale)',
    scale: { type: 'log', domain: [Math.min(...ns), Math.max(...ns)] },
    axis: { values: decadeTicks(Math.min(...ns), Math.max(...ns)), format: '~s' },
  };
  const y = {
    field: 'gbPerSec',
    type: 'quantitative',
    title: 'throughput (GB/s = 8n bytes / time per call, log scale)',
    scale: { type: 'log' },
    axis: { values: decadeTicks(Math.min(...gbs), Math.max(...gbs)), format: '~g' },
  };
  const color = {
    field: 'series',
    type: 'nominal',
    title: 'kernel',
    scale: { domain, range },
    legend: { orient: 'right', symbolType: 'stroke', symbolStrokeWidth: 3, symbolSize: 300, symbolOpacity: 1 },
  };
  const noise = d.settings.noise;
  return {
    name: 'kernels',
    chart: 'kernels',
    section: 'kernels',
    title: 'Kernels: throughput (GB/s) of a mean over n values, against the memory-read bandwidth probe',
    caption: `Median over ${plural(d.settings.processesPerCase, 'fresh process', 'fresh processes')} per point; dashed: the native bandwidth probe (the roofline). Rings (hollow points) are noisy figures (spread across processes above ${Math.round(noise.maxSpreadAcrossProcesses * 100)}% or margin of error of the median above ${noise.maxRmePercent}%), listed under Doubtful figures.`,
    spec: {
      title: { text: 'Kernels: GB/s vs n', subtitle: 'mean over n doubles; dashed: bandwidth probe (roofline); ring: noisy figure' },
      width: 620,
      height: 340,
      data: { values: rows },
      layer: [
        { transform: [{ filter: "datum.kind === 'probe'" }], mark: { type: 'line', strokeWidth: 1.5, strokeDash: [6, 4] }, encoding: { x, y, color } },
        { transform: [{ filter: "datum.kind === 'kernel'" }], mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, color } },
        {
          transform: [{ filter: "datum.kind === 'kernel'" }],
          mark: { type: 'point', filled: true, size: 60, opacity: 1 },
          encoding: { x, y, color, shape: figureShape('figure', 'measured', 'noisy (ring)') },
        },
      ],
      config: CONFIG,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// 2. load ramp: rps and p99 vs connections per configuration, the breaking point marked

interface SeriesKey {
  /** The row of the grid: the predict (io, cpu), or 'target' for a --target run. */
  group: string;
  /** Colour: the topology, else the configuration id. */
  series: string;
  /** Line dash: the request path (sync, async, queue), else '-'. */
  path: string;
}

function seriesKey(d: LoadData, configId: string): SeriesKey {
  const c = d.configurations.find((x) => x.id === configId);
  if (c?.topology !== undefined && c.path !== undefined) return { group: c.predict ?? 'io', series: c.topology, path: c.path };
  return { group: c?.predict ?? 'target', series: configId, path: '-' };
}

/** The load of a step from its label ('c=16', 'rate=200/s'), as the runs recorded it. */
function stepLoad(d: LoadData, configId: string, scenario: string, label: string): { load: number; unit: 'connections' | 'rps' } | null {
  const run = d.runs.find((r) => r.configId === configId && r.scenario === scenario && r.step.label === label);
  if (run !== undefined) return { load: run.step.load, unit: run.step.loadUnit };
  const c = /^c=(\d+)$/.exec(label);
  if (c !== null) return { load: Number(c[1]), unit: 'connections' };
  const r = /^rate=([\d.]+)\/s$/.exec(label);
  if (r !== null) return { load: Number(r[1]), unit: 'rps' };
  return null;
}

const PATH_DASH: Record<string, number[]> = { async: [1, 0], sync: [6, 3], queue: [2, 2], '-': [1, 0] };

export function loadRampChart(d: LoadData): ChartSpec | null {
  const rows: VegaLiteSpec[] = [];
  const units = new Set<string>();
  for (const s of d.summaries) {
    if (s.scenario !== 'ramp' || s.rps.repeats === 0) continue;
    const load = stepLoad(d, s.configId, 'ramp', s.step);
    if (load === null || !(load.load > 0) || !(s.rps.median > 0)) continue;
    units.add(load.unit);
    rows.push({
      kind: 'step',
      config: s.configId,
      ...seriesKey(d, s.configId),
      unit: load.unit,
      load: load.load,
      rps: round(s.rps.median),
      p99Ms: round(s.latencyP99Us.median / 1000),
      figure: s.fromInvalid || s.validRepeats === 0 ? 'step, no valid repeat (ring)' : 'step',
    });
  }
  if (rows.length === 0) return null;
  // A ramp in rates beside one in connections would share an axis with two units: draw the majority's.
  const unit = units.has('connections') ? 'connections' : 'rps';
  const steps = rows.filter((r) => r.unit === unit);
  for (const r of d.ramps) {
    const b = r.breakingPoint;
    if (b === null || b.loadUnit !== unit || !(b.rps > 0)) continue;
    rows.push({
      kind: 'break',
      config: r.configId,
      ...seriesKey(d, r.configId),
      load: b.load,
      rps: round(b.rps),
      p99Ms: round(b.p99Us / 1000),
      figure: 'breaking point (last step that held)',
    });
  }
  const groups = distinct(steps.map((r) => r.group as string)).sort((a, b) => ['io', 'cpu', 'target'].indexOf(a) - ['io', 'cpu', 'target'].indexOf(b));
  const series = distinct(steps.map((r) => r.series as string)).sort(
    (a, b) => Object.keys(TOPOLOGY_COLORS).indexOf(a) - Object.keys(TOPOLOGY_COLORS).indexOf(b),
  );
  const paths = distinct(steps.map((r) => r.path as string)).sort();
  const loads = distinct(steps.map((r) => r.load as number)).sort((a, b) => a - b);
  const goalMs = d.options.latencyGoalP99Us / 1000;
  const xTitle = unit === 'connections' ? 'connections (log scale)' : 'offered rate (requests/s, log scale)';
  const x = {
    field: 'load',
    type: 'quantitative',
    title: xTitle,
    scale: { type: 'log', domain: [loads[0]!, loads[loads.length - 1]!], nice: false },
    axis: { values: loads, format: ',d' },
  };
  const color = { field: 'series', type: 'nominal', title: 'topology', scale: { domain: series, range: colorsFor(series, TOPOLOGY_COLORS) } };
  const strokeDash = {
    field: 'path',
    type: 'nominal',
    title: 'request path',
    scale: { domain: paths, range: paths.map((p) => PATH_DASH[p] ?? [1, 0]) },
    legend: paths.length === 1 && paths[0] === '-' ? null : { symbolStrokeColor: '#1b1f24', symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 300 },
  };
  const detail = { field: 'config', type: 'nominal' };
  const rampShape = figureShape('marks', 'step', 'step, no valid repeat (ring)', [{ label: 'breaking point (last step that held)', path: DIAMOND_RING }]);
  const panel = (group: string, metric: 'rps' | 'p99Ms'): VegaLiteSpec => {
    const vals = steps.filter((r) => r.group === group).map((r) => r[metric] as number);
    const goalVisible = metric === 'p99Ms' && goalMs > 0;
    const axis = logAxis(Math.min(...vals, ...(goalVisible ? [goalMs] : [])), Math.max(...vals, ...(goalVisible ? [goalMs] : [])));
    const y = {
      field: metric,
      type: 'quantitative',
      title: metric === 'rps' ? 'throughput (responses/s, log)' : 'p99 latency (ms, log)',
      scale: { type: 'log', domain: axis.domain, nice: false },
      axis: { values: axis.ticks, format: '~s' },
    };
    const layers: JsonValue[] = [
      {
        transform: [{ filter: `datum.kind === 'step' && datum.group === '${group}'` }],
        mark: { type: 'line', strokeWidth: 2 },
        encoding: { x, y, color, strokeDash, detail },
      },
      {
        transform: [{ filter: `datum.kind === 'step' && datum.group === '${group}'` }],
        mark: { type: 'point', filled: true, size: 45, opacity: 1 },
        encoding: { x, y, detail, color, shape: rampShape },
      },
      {
        transform: [{ filter: `datum.kind === 'break' && datum.group === '${group}'` }],
        mark: { type: 'point', filled: true, size: 280, opacity: 1, color: '#1b1f24' },
        encoding: { x, y, shape: rampShape },
      },
    ];
    if (goalVisible) {
      layers.push(
        {
          data: { values: [{ goal: goalMs }] },
          mark: { type: 'rule', strokeDash: [4, 3], color: '#cf222e', strokeWidth: 1.2 },
          encoding: { y: { field: 'goal', type: 'quantitative' } },
        },
        // The label twice: a white outline first, so it reads over the lines it crosses.
        ...([{ stroke: 'white', strokeWidth: 3 }, {}] as VegaLiteSpec[]).map(
          (outline): VegaLiteSpec => ({
            data: { values: [{ goal: goalMs }] },
            mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 4, dy: -3, color: '#cf222e', fontSize: 11, ...outline },
            encoding: {
              y: { field: 'goal', type: 'quantitative' },
              x: { value: 0 },
              text: { value: `p99 goal ${goalMs >= 1000 ? `${goalMs / 1000} s` : `${goalMs} ms`}` },
            },
          }),
        ),
      );
    }
    return {
      title: {
        text: `${group === 'target' ? 'target' : `${group} predict`}: ${metric === 'rps' ? 'throughput' : 'p99 latency'}`,
        fontSize: 12,
        fontWeight: 'normal',
      },
      width: 340,
      height: 210,
      layer: layers,
    };
  };
  return {
    name: 'load-ramp',
    chart: 'load-ramp',
    section: 'load',
    title: `Load ramp: throughput and p99 latency vs ${unit === 'connections' ? 'connections' : 'offered rate'}, per configuration`,
    caption: `Each step is the median over its repeats; the ramp stops where the p99 goal (${goalMs} ms) or the error budget broke. The diamond marks each ramp's breaking point (the last step that held); rings had no valid repeat (their figures are from invalid runs, see Doubtful figures).`,
    spec: {
      title: {
        text: `Load ramp: throughput and p99 latency vs ${unit === 'connections' ? 'connections' : 'offered rate'}`,
        subtitle: 'colour: topology · dash: request path · diamond: breaking point · ring: no valid repeat',
      },
      data: { values: [...steps, ...rows.filter((r) => r.kind === 'break')] },
      vconcat: groups.map((g) => ({ hconcat: [panel(g, 'rps'), panel(g, 'p99Ms')] })),
      resolve: { scale: { color: 'shared', strokeDash: 'shared' } },
      config: CONFIG,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// 3. request paths: rps per configuration at 50 connections, min..max over the rounds

export function requestPathsChart(d: LoadData, step = 'c=50'): ChartSpec | null {
  const rows: VegaLiteSpec[] = [];
  for (const s of d.summaries) {
    if (s.scenario !== 'request-paths' || s.step !== step || s.rps.repeats === 0 || !(s.rps.median > 0)) continue;
    const invalid = s.fromInvalid || s.validRepeats === 0;
    const range = s.rps.repeats > 1 ? ` (${fmt(s.rps.min)}..${fmt(s.rps.max)})` : '';
    rows.push({
      config: s.configId,
      rps: round(s.rps.median),
      min: round(s.rps.min),
      max: round(s.rps.max),
      figure: invalid ? 'no valid repeat (ring)' : 'valid',
      label: `${fmt(s.rps.median)}/s${range}, ${plural(s.rps.repeats, 'round')}${invalid ? ', no valid repeat' : ''}`,
    });
  }
  if (rows.length === 0) return null;
  rows.sort((a, b) => (b.rps as number) - (a.rps as number));
  const lo = Math.min(...rows.map((r) => r.min as number));
  const hi = Math.max(...rows.map((r) => r.max as number));
  // Room on the right for the labels: a decade past the largest figure.
  const domain = [logAxis(lo / 1.5, lo).domain[0], 10 ** (Math.ceil(Math.log10(hi)) + 1)];
  const x = {
    field: 'rps',
    type: 'quantitative',
    title: 'throughput (successful responses/s, log scale)',
    scale: { type: 'log', domain, nice: false },
    axis: { values: decadeTicks(domain[0]!, domain[1]!), format: '~s' },
  };
  const y = { field: 'config', type: 'nominal', title: null, sort: rows.map((r) => r.config as string), axis: { labelLimit: 220, labelFontSize: 12 } };
  const connections = step.replace(/^c=/, '');
  return {
    name: 'request-paths',
    chart: 'request-paths',
    section: 'load',
    title: `Request paths: throughput per configuration at ${connections} connections`,
    caption: `The request-paths scenario at ${step}: the point is the median over the interleaved rounds, the bar their min..max. Rings (hollow points) had no valid repeat.`,
    spec: {
      title: {
        text: `Request paths: throughput at ${connections} connections`,
        subtitle: 'configuration = path/topology/predict · point: median over rounds · bar: min..max · ring: no valid repeat',
      },
      width: 620,
      height: { step: 34 },
      data: { values: rows },
      layer: [
        {
          mark: { type: 'rule', strokeWidth: 2, color: '#57606a' },
          encoding: { y, x: { field: 'min', type: 'quantitative', scale: { type: 'log', domain, nice: false } }, x2: { field: 'max' } },
        },
        { mark: { type: 'tick', orient: 'vertical', thickness: 2, size: 12, color: '#57606a' }, encoding: { y, x: { field: 'min', type: 'quantitative' } } },
        { mark: { type: 'tick', orient: 'vertical', thickness: 2, size: 12, color: '#57606a' }, encoding: { y, x: { field: 'max', type: 'quantitative' } } },
        {
          mark: { type: 'point', filled: true, size: 100, opacity: 1, color: '#4e79a7' },
          encoding: { y, x, shape: figureShape('figure', 'valid', 'no valid repeat (ring)') },
        },
        {
          mark: { type: 'text', align: 'left', dx: 10, fontSize: 11, color: '#1b1f24' },
          encoding: { y, x: { field: 'max', type: 'quantitative' }, text: { field: 'label' } },
        },
      ],
      config: CONFIG,
    },
  };
}

function fmt(x: number): string {
  if (x >= 100) return count(x);
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

// ---------------------------------------------------------------------------------------------------------
// 4. autoscale: offered vs served rps and replicas over time, autoscaled and fixed systems

function systemLabel(c: AutoscaleConfigResult, d: LoadData): string {
  const base = c.mode === 'autoscaled' ? 'autoscaled (emulated HPA)' : `fixed, ${plural(c.replicasAtStart, 'replica')}`;
  const run = d.runs.find((r) => r.id === c.runId);
  return run !== undefined && run.valid === false ? `${base}, invalid run` : base;
}

export function autoscaleChart(d: LoadData): ChartSpec | null {
  const a = d.autoscale;
  if (a === undefined) return null;
  const configs = a.configurations.filter((c) => c.state === 'completed' && c.timeline.length > 0);
  if (configs.length === 0) return null;
  const rpsRows: VegaLiteSpec[] = [];
  const replicaRows: VegaLiteSpec[] = [];
  const offeredFrom = configs.find((c) => c.mode === 'autoscaled') ?? configs[0]!;
  const systems = configs.map((c) => systemLabel(c, d));
  for (const t of offeredFrom.timeline) rpsRows.push({ second: t.second, series: 'offered (arrivals scheduled)', kind: 'offered', value: t.offered });
  configs.forEach((c, i) => {
    const system = systems[i]!;
    // Failures as a line over every second (zeros included) for a system that had any, so gaps read as zero.
    const anyFailed = c.timeline.some((t) => t.failures > 0);
    for (const t of c.timeline) {
      rpsRows.push({ second: t.second, series: `served: ${system}`, kind: 'served', value: t.rps });
      if (anyFailed) rpsRows.push({ second: t.second, series: `failed: ${system}`, kind: 'failed', value: t.failures });
      for (const [service, r] of Object.entries(t.replicas)) replicaRows.push({ second: t.second, service, system, ready: r.ready });
    }
  });
  const served = systems.map((s) => `served: ${s}`);
  const failed = systems.map((s) => `failed: ${s}`).filter((s) => rpsRows.some((r) => r.series === s));
  const rpsDomain = ['offered (arrivals scheduled)', ...served, ...failed];
  const SYSTEM_COLORS = ['#4e79a7', '#e15759', '#59a14f', '#b07aa1'];
  const rpsRange = [
    '#57606a',
    ...served.map((_, i) => SYSTEM_COLORS[i % SYSTEM_COLORS.length]!),
    ...failed.map((f) => SYSTEM_COLORS[served.indexOf(f.replace(/^failed/, 'served')) % SYSTEM_COLORS.length]!),
  ];
  const seconds = configs.flatMap((c) => c.timeline.map((t) => t.second));
  const xDomain = [Math.min(...seconds), Math.max(...seconds) + 1];
  const x = { field: 'second', type: 'quantitative', title: 'time since the measured window started (s)', scale: { domain: xDomain, nice: false } };
  // The rate profile's phases as shaded bands behind both panels.
  const phases: VegaLiteSpec[] = [];
  let at = 0;
  a.profile.forEach((p, i) => {
    phases.push({ phase: p.name, start: at / 1000, end: (at + p.durationMs) / 1000, mid: (at + p.durationMs / 2) / 1000, shade: i % 2 });
    at += p.durationMs;
  });
  const bands = (withLabels: boolean): JsonValue[] => [
    {
      data: { values: phases },
      mark: { type: 'rect', color: '#57606a' },
      encoding: {
        x: { field: 'start', type: 'quantitative', scale: { domain: xDomain, nice: false } },
        x2: { field: 'end' },
        opacity: { field: 'shade', type: 'quantitative', scale: { domain: [0, 1], range: [0.04, 0.1] }, legend: null },
      },
    },
    ...(withLabels
      ? [
          {
            data: { values: phases },
            mark: { type: 'text', baseline: 'top', dy: 4, fontSize: 11, color: '#424a53' },
            encoding: { x: { field: 'mid', type: 'quantitative' }, y: { value: 0 }, text: { field: 'phase' } },
          },
        ]
      : []),
  ];
  const services = distinct(replicaRows.map((r) => r.service as string)).sort();
  const maxReplicas = Math.max(1, ...replicaRows.map((r) => r.ready as number));
  const rpsPanel: VegaLiteSpec = {
    width: 680,
    height: 220,
    layer: [
      ...bands(true),
      {
        data: { values: rpsRows },
        mark: { type: 'line', strokeWidth: 2, interpolate: 'linear' },
        encoding: {
          x: { ...x, title: null },
          y: { field: 'value', type: 'quantitative', title: 'requests per second' },
          color: {
            field: 'series',
            type: 'nominal',
            title: 'requests/s',
            scale: { domain: rpsDomain, range: rpsRange },
            legend: { symbolType: 'stroke', symbolStrokeWidth: 3, symbolSize: 300 },
          },
          // The same field and title as the colour, so the legend shows each line's dash too.
          strokeDash: {
            field: 'series',
            type: 'nominal',
            title: 'requests/s',
            scale: { domain: rpsDomain, range: rpsDomain.map((s) => (s.startsWith('offered') ? [6, 3] : s.startsWith('failed') ? [2, 2] : [1, 0])) },
          },
        },
      },
    ],
  };
  const replicaPanel: VegaLiteSpec = {
    width: 680,
    height: 150,
    layer: [
      ...bands(false),
      {
        data: { values: replicaRows },
        mark: { type: 'line', strokeWidth: 2, interpolate: 'step-after' },
        encoding: {
          x,
          y: { field: 'ready', type: 'quantitative', title: 'replicas ready', scale: { domain: [0, maxReplicas + 1] }, axis: { tickMinStep: 1, format: 'd' } },
          color: {
            field: 'service',
            type: 'nominal',
            title: 'model service',
            scale: { domain: services, range: colorsFor(services, { 'model-a': '#f28e2b', 'model-b': '#76b7b2' }) },
            legend: { symbolType: 'stroke', symbolStrokeWidth: 3, symbolSize: 300 },
          },
          strokeDash: {
            field: 'system',
            type: 'nominal',
            title: 'system',
            scale: { domain: systems, range: systems.map((_, i) => (i === 0 ? [1, 0] : [5, 3])) },
            legend: { symbolType: 'stroke', symbolStrokeColor: '#1b1f24', symbolStrokeWidth: 2, symbolSize: 300 },
          },
          detail: { field: 'system', type: 'nominal' },
        },
      },
    ],
  };
  const hold = a.hold;
  const holdLine =
    hold === null || hold.rpsRatio === null
      ? ''
      : ` In the ${hold.phase} phase the autoscaled system served ${hold.rpsRatio.toFixed(2)}x the rps of the fixed one.`;
  return {
    name: 'autoscale',
    chart: 'autoscale',
    section: 'experiments',
    title: 'Autoscaling: offered and served requests per second, and model replicas ready, over time',
    caption: `${a.emulation.charAt(0).toUpperCase()}${a.emulation.slice(1)}. Shaded bands are the rate profile's phases (${a.profile.map((p) => `${p.name} ${p.fromRps}->${p.toRps}/s`).join(', ')}); failed: requests scheduled in that second that failed.${holdLine}`,
    spec: {
      title: {
        text: 'Autoscaling: requests/s and replicas over time',
        subtitle: 'an emulation of the Kubernetes HPA algorithm (not Kubernetes) vs a fixed replica count',
      },
      vconcat: [rpsPanel, replicaPanel],
      spacing: 14,
      resolve: {
        scale: { color: 'independent', strokeDash: 'independent', opacity: 'independent' },
        legend: { color: 'independent', strokeDash: 'independent' },
      },
      config: CONFIG,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// 5. profile: stacked shares of samples by frame group, per path and tool

type CompletedCase = Extract<ProfileCase, { state: 'completed' }>;

export function profileChart(d: ProfileData): ChartSpec | null {
  const done = d.cases.filter((c): c is CompletedCase => c.state === 'completed');
  const predicts = distinct(done.map((c) => c.predict));
  const rows: VegaLiteSpec[] = [];
  const labels: string[] = [];
  for (const c of done) {
    const s = primarySummary(c);
    if (s === undefined || s.total === 0) continue;
    const failed = c.load.failures.errors + c.load.failures.timeouts + c.load.failures.non2xx + c.load.failures.resets;
    const label = [
      `${c.path}`,
      c.tool,
      ...(predicts.length > 1 ? [c.predict] : []),
      ...(c.topology === 'single' ? [] : [c.topology]),
      s.unit === 'bytes' ? 'live bytes' : `${count(s.total)} samples`,
      ...(failed > 0 ? [`${count(failed)} failed`] : []),
    ].join(' · ');
    labels.push(label);
    let x0 = 0;
    for (const g of PROFILE_ORDER) {
      const share = s.groups.find((x) => x.group === g)?.fraction ?? 0;
      if (share <= 0) continue;
      rows.push({
        row: label,
        group: FRAME_GROUP_LABELS[g],
        x0: round(x0),
        x1: round(x0 + share),
        mid: round(x0 + share / 2),
        share: round(share),
        text: share >= 0.06 ? `${Math.round(share * 100)}%` : '',
        light: LIGHT_GROUPS.includes(g),
      });
      x0 += share;
    }
  }
  if (rows.length === 0) return null;
  const present = PROFILE_ORDER.filter((g) => rows.some((r) => r.group === FRAME_GROUP_LABELS[g]));
  const y = { field: 'row', type: 'nominal', title: null, sort: labels, axis: { labelLimit: 320, labelFontSize: 12 } };
  const notes: string[] = [];
  const doctors = done.filter((c) => c.doctor !== undefined).map((c) => `${c.path} → ${c.doctor!.category}`);
  if (doctors.length > 0) notes.push(`clinic doctor's verdict: ${doctors.join(', ')}`);
  const errored = d.cases.filter((c) => c.state === 'errored').map((c) => c.id);
  if (errored.length > 0) notes.push(`errored: ${errored.join(', ')}`);
  return {
    name: 'profile',
    chart: 'profile',
    section: 'profile',
    title: 'Profiles: share of samples by frame group, per request path and tool',
    caption: `Extracted from the profile data of each case (its busiest process, or all workers merged): where the samples landed. Blocked waiting: a synchronous wait with work queued behind it; idle: the event loop waiting for work.${notes.length > 0 ? ` ${notes.join('; ')}.` : ''}`,
    spec: {
      title: {
        text: 'Profiles: where the samples land',
        subtitle: `${d.settings.predict} predict, ${d.settings.connections} connections for ${d.settings.durationMs / 1000} s per case${notes.length > 0 ? ` · ${notes.join(' · ')}` : ''}`,
      },
      width: 560,
      height: { step: 46 },
      data: { values: rows },
      layer: [
        {
          mark: { type: 'bar', stroke: 'white', strokeWidth: 1 },
          encoding: {
            y,
            x: {
              field: 'x0',
              type: 'quantitative',
              title: 'share of samples (%)',
              scale: { domain: [0, 1], nice: false },
              axis: { format: '.0%', values: [0, 0.2, 0.4, 0.6, 0.8, 1] },
            },
            x2: { field: 'x1' },
            color: {
              field: 'group',
              type: 'nominal',
              title: 'frame group',
              scale: { domain: present.map((g) => FRAME_GROUP_LABELS[g]), range: present.map((g) => GROUP_COLORS[g]) },
              legend: { orient: 'bottom', columns: 5, symbolType: 'square' },
            },
          },
        },
        {
          mark: { type: 'text', fontSize: 11, fontWeight: 'bold' },
          encoding: {
            y,
            x: { field: 'mid', type: 'quantitative' },
            text: { field: 'text' },
            color: { condition: { test: 'datum.light', value: '#1b1f24' }, value: 'white' },
          },
        },
      ],
      config: CONFIG,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// 6. capacity: the largest n per kernel under the budget, and how it fails past it

export function capacityChart(d: CapacityData): ChartSpec | null {
  const rows: VegaLiteSpec[] = [];
  const missing: string[] = [];
  for (const k of d.kernels) {
    if (k.state !== 'completed') {
      missing.push(`${k.kernel} ${k.state}`);
      continue;
    }
    if (k.maxN === null || !(k.maxN > 0)) {
      missing.push(`${k.kernel}: no n fitted`);
      continue;
    }
    const failure = k.failure ?? 'none up to the ceiling';
    rows.push({
      kernel: k.kernel,
      maxN: k.maxN,
      failN: k.firstFailN ?? k.maxN,
      failure,
      figure: k.converged ? 'converged' : 'not converged (ring)',
      label: `${count(k.maxN)}${k.firstFailN === null ? '' : ` · fails at ${count(k.firstFailN)}`}`,
    });
  }
  if (rows.length === 0) return null;
  const budgetValues = d.settings.budgetBytes / 8;
  const lo = Math.min(...rows.map((r) => r.maxN as number));
  const hi = Math.max(budgetValues, ...rows.map((r) => r.failN as number));
  // Room on the left for the labels (most of a decade), and on the right for the budget line.
  const domain = [10 ** Math.floor(Math.log10(lo) - 0.8), 10 ** Math.ceil(Math.log10(hi) + 0.3)];
  const failures = distinct(rows.map((r) => r.failure as string));
  const kernels = KERNEL_NAMES.filter((k) => rows.some((r) => r.kernel === k));
  const y = { field: 'kernel', type: 'nominal', title: null, sort: kernels, axis: { labelFontSize: 12 } };
  const xScale = { type: 'log', domain, nice: false };
  const budget = `${(d.settings.budgetBytes / 2 ** 30).toFixed(d.settings.budgetBytes % 2 ** 30 === 0 ? 0 : 1)} GiB`;
  return {
    name: 'capacity',
    chart: 'capacity',
    section: 'capacity',
    title: `Capacity: the largest n each kernel's predict fits under a ${budget} budget, and how it fails past it`,
    caption: `One predict per fresh process under RLIMIT_DATA ${budget}; the point is the largest n that fitted, the bar reaches the first n that failed, the colour says how it failed. Dashed: the budget as doubles (${budget} / 8 B). Rings (hollow points): the search did not converge to its tolerance.${missing.length > 0 ? ` Not drawn: ${missing.join(', ')}.` : ''}`,
    spec: {
      title: {
        text: `Capacity: max n under a ${budget} memory budget`,
        subtitle: `point: largest n that fitted · bar: up to the first n that failed · colour: how it failed${missing.length > 0 ? ` · not drawn: ${missing.join(', ')}` : ''}`,
      },
      width: 620,
      height: { step: 40 },
      data: { values: rows },
      layer: [
        {
          data: { values: [{ v: budgetValues }] },
          mark: { type: 'rule', strokeDash: [5, 4], color: '#57606a' },
          encoding: { x: { field: 'v', type: 'quantitative', scale: xScale } },
        },
        {
          data: { values: [{ v: budgetValues }] },
          mark: { type: 'text', align: 'right', baseline: 'top', dx: -4, dy: 2, color: '#57606a', fontSize: 11 },
          encoding: { x: { field: 'v', type: 'quantitative' }, y: { value: 0 }, text: { value: `${budget} / 8 B = ${count(budgetValues)} doubles` } },
        },
        {
          mark: { type: 'rule', strokeWidth: 6, opacity: 0.45 },
          encoding: {
            y,
            x: { field: 'maxN', type: 'quantitative', scale: xScale },
            x2: { field: 'failN' },
            color: {
              field: 'failure',
              type: 'nominal',
              title: 'failure past the max',
              scale: { domain: failures, range: colorsFor(failures, FAILURE_COLORS) },
              legend: { symbolOpacity: 1 },
            },
          },
        },
        {
          mark: { type: 'point', filled: true, size: 120, opacity: 1 },
          encoding: {
            y,
            x: {
              field: 'maxN',
              type: 'quantitative',
              title: 'n (values per request, log scale)',
              scale: xScale,
              axis: { values: decadeTicks(domain[0]!, domain[1]!), format: '~s' },
            },
            color: {
              field: 'failure',
              type: 'nominal',
              title: 'failure past the max',
              scale: { domain: failures, range: colorsFor(failures, FAILURE_COLORS) },
            },
            shape: figureShape('search', 'converged', 'not converged (ring)'),
          },
        },
        // Labels left of the points: the budget line and the bars sit to their right.
        {
          mark: { type: 'text', align: 'right', dx: -12, fontSize: 11, color: '#1b1f24' },
          encoding: { y, x: { field: 'maxN', type: 'quantitative' }, text: { field: 'label' } },
        },
      ],
      config: CONFIG,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// A whole run

/** Every chart the run's data can give, in report order; a missing or empty section gives none. */
export function benchCharts(data: BenchData): ChartSpec[] {
  const out: ChartSpec[] = [];
  const add = (c: ChartSpec | null, section: SuiteName) => {
    if (c === null) return;
    // The same chart from two sections (a ramp in experiments too) gets the section's name in front.
    const name = out.some((x) => x.name === c.name) ? `${section}-${c.name}` : c.name;
    out.push({ ...c, name, section });
  };
  const s = data.sections;
  if (s.kernels !== undefined) add(kernelsChart(s.kernels), 'kernels');
  if (s.capacity !== undefined) add(capacityChart(s.capacity), 'capacity');
  for (const section of ['load', 'experiments'] as const) {
    const l = s[section];
    if (l === undefined) continue;
    add(loadRampChart(l), section);
    add(requestPathsChart(l), section);
    add(autoscaleChart(l), section);
  }
  if (s.profile !== undefined) add(profileChart(s.profile), 'profile');
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Rendering (vega, headless)

/** The two ESM modules the renderer needs. */
export interface ChartModules {
  vega: typeof import('vega');
  vegaLite: typeof import('vega-lite');
}

/** Load vega and vega-lite (dynamic import: they are ESM-only, and optional at run time). */
export async function loadChartModules(): Promise<ChartModules> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  return { vega, vegaLite };
}

/** vega's logger interface, collecting what it says instead of printing it (vega calls the methods unbound). */
interface CollectingLogger {
  level(level?: number): number | CollectingLogger;
  error(...args: unknown[]): CollectingLogger;
  warn(...args: unknown[]): CollectingLogger;
  info(...args: unknown[]): CollectingLogger;
  debug(...args: unknown[]): CollectingLogger;
}

function collectingLogger(): { logger: CollectingLogger; warnings: string[]; errors: string[] } {
  const warnings: string[] = [];
  const errors: string[] = [];
  let current = 2;
  const logger: CollectingLogger = {
    level: (level?: number) => {
      if (level === undefined) return current;
      current = level;
      return logger;
    },
    error: (...args: unknown[]) => {
      errors.push(args.map(String).join(' '));
      return logger;
    },
    warn: (...args: unknown[]) => {
      warnings.push(args.map(String).join(' '));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return { logger, warnings, errors };
}

export interface RenderChartsOptions {
  /** How vega and vega-lite are loaded (tests replace it). @default loadChartModules */
  load?: () => Promise<ChartModules>;
}

// Helvetica's advance widths (1/1000 em) for ASCII 32..126. Without a canvas, vega estimates every
// character at 0.8 em, which overstates label widths by half and pads charts with empty space; widths from a
// real font (widened to DejaVu Sans, the widest common sans-serif) keep the layout tight without overlaps.
const CHAR_WIDTHS = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584,
  556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278,
  469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260,
  334, 584,
];
const WIDEN = 1.13;

interface TextItem {
  text?: unknown;
  fontSize?: number;
  fontWeight?: string | number;
}

/** Width in pixels of a text mark's text (the longest line of a multi-line one). */
export function estimateTextWidth(item: TextItem, text?: unknown): number {
  const value = text ?? item.text;
  const lines = Array.isArray(value) ? value.map(String) : [value === undefined || value === null ? '' : String(value)];
  const size = typeof item.fontSize === 'number' ? item.fontSize : 11;
  const bold = item.fontWeight === 'bold' || (typeof item.fontWeight === 'number' && item.fontWeight >= 600) ? 1.08 : 1;
  let widest = 0;
  for (const line of lines) {
    let em = 0;
    for (const ch of line) {
      const code = ch.codePointAt(0)!;
      em += code >= 32 && code <= 126 ? CHAR_WIDTHS[code - 32]! / 1000 : 0.62;
    }
    widest = Math.max(widest, em);
  }
  return Math.ceil(widest * size * WIDEN * bold);
}

/** Make vega measure text with estimateTextWidth (its documented hook for canvas-less renderers). */
function useTextWidths(vega: ChartModules['vega']): void {
  const metrics = (vega as unknown as { textMetrics?: { width: (item: TextItem, text?: unknown) => number } }).textMetrics;
  if (metrics !== undefined) metrics.width = estimateTextWidth;
}

/** Render specs to SVG strings. Never throws: an unloadable renderer or a failing chart is data. */
export async function renderCharts(charts: readonly ChartSpec[], options: RenderChartsOptions = {}): Promise<ChartsRender> {
  let mods: ChartModules;
  try {
    mods = await (options.load ?? loadChartModules)();
  } catch (err) {
    return { state: 'unavailable', reason: firstLine(toErrorInfo(err).message) };
  }
  useTextWidths(mods.vega);
  const rendered: RenderedChart[] = [];
  const errors: { name: string; error: ErrorInfo }[] = [];
  for (const c of charts) {
    const { logger, warnings, errors: logged } = collectingLogger();
    try {
      const vg = mods.vegaLite.compile(c.spec as unknown as TopLevelSpec, { logger }).spec;
      const view = new mods.vega.View(mods.vega.parse(vg), { renderer: 'none', logger, logLevel: mods.vega.Warn });
      let svg: string;
      try {
        svg = await view.toSVG();
      } finally {
        view.finalize();
      }
      if (logged.length > 0) throw new Error(logged.join('; '));
      const { spec: _spec, ...meta } = c;
      rendered.push({ ...meta, svg, warnings });
    } catch (err) {
      errors.push({ name: c.name, error: toErrorInfo(err) });
    }
  }
  return { state: 'rendered', charts: rendered, errors };
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}

// ---------------------------------------------------------------------------------------------------------
// Placing charts in a run report

/** What the run report places under each section's heading, and one line about the charts as a whole. */
export interface ReportCharts {
  bySection: Partial<Record<SuiteName, string>>;
  note?: string;
}

/** The report's line about charts that could not be drawn (undefined when every chart was drawn). */
export function chartsNote(r: ChartsRender): string | undefined {
  if (r.state === 'unavailable') return `charts: unavailable (${r.reason})`;
  if (r.errors.length === 0) return undefined;
  return `charts: ${r.errors.map((e) => `${e.name} not drawn (${firstLine(e.error.message)})`).join('; ')}`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The SVG of a chart made fit for inline HTML: scales down with the page, labelled for screen readers. */
function inlineSvg(c: RenderedChart): string {
  return c.svg.replace(/\s*\n\s*/g, ' ').replace(/^<svg /, `<svg role="img" aria-label="${escapeHtml(c.title)}" style="max-width:100%;height:auto" `);
}

/**
 * HTML figures (inline SVG) per section. Each figure is one line with no blank line in it, so Markdown keeps
 * it as a raw HTML block.
 */
export function chartsHtml(r: ChartsRender): ReportCharts {
  const bySection: Partial<Record<SuiteName, string>> = {};
  if (r.state === 'rendered') {
    for (const c of r.charts) {
      const fig = `<figure class="chart" id="chart-${escapeHtml(c.name)}" style="margin:1em 0 1.5em">${inlineSvg(c)}<figcaption style="font-size:13px;color:#424a53;max-width:900px">${escapeHtml(c.caption)}</figcaption></figure>`;
      bySection[c.section] = bySection[c.section] === undefined ? fig : `${bySection[c.section]}\n${fig}`;
    }
  }
  const note = chartsNote(r);
  return note === undefined ? { bySection } : { bySection, note };
}

/** Markdown stays text: a link per chart file that exists, under its section. */
export function chartsMarkdown(files: readonly { name: string; section: SuiteName; title: string }[], dir = 'charts', note?: string): ReportCharts {
  const bySection: Partial<Record<SuiteName, string>> = {};
  for (const f of files) {
    const link = `Chart: [${f.title}](${dir}/${f.name}.svg)`;
    bySection[f.section] = bySection[f.section] === undefined ? link : `${bySection[f.section]}  \n${link}`;
  }
  return note === undefined ? { bySection } : { bySection, note };
}

/**
 * Write each rendered chart as <dir>/<name>.svg, and remove the .svg files of charts this run no longer has
 * (a run folder reused with --out), so the folder holds this run's charts only. Returns the files written.
 */
export function writeChartFiles(dir: string, r: ChartsRender): RenderedChart[] {
  const charts = r.state === 'rendered' ? r.charts : [];
  let old: string[] = [];
  try {
    old = readdirSync(dir).filter((f) => f.endsWith('.svg'));
  } catch {
    // No charts folder yet.
  }
  for (const f of old) if (!charts.some((c) => `${c.name}.svg` === f)) rmSync(join(dir, f), { force: true });
  if (charts.length === 0) return [];
  mkdirSync(dir, { recursive: true });
  for (const c of charts) writeFileAtomic(join(dir, `${c.name}.svg`), `${c.svg}\n`);
  return charts;
}

/** The charts of a run that exist as files in <dir> (for Markdown links when a saved run is re-rendered). */
export function existingChartFiles(data: BenchData, dir: string): ChartSpec[] {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    // No charts folder (an older run, or charts were unavailable): Markdown then has no links.
    return [];
  }
  return benchCharts(data).filter((c) => files.includes(`${c.name}.svg`));
}

/** The HTML page of a bench run with its charts drawn from the data (or a line saying why there are none). */
export async function renderBenchHtmlWithCharts(r: BenchResults, options: RenderChartsOptions = {}): Promise<string> {
  return renderBenchHtml(r, chartsHtml(await renderCharts(benchCharts(r.data), options)));
}

/**
 * The Markdown of a saved bench run, linking the chart files of its run folder (runDir/charts) that exist;
 * links are relative to `from`, the folder the Markdown is written to.
 */
export function renderBenchMarkdownWithChartLinks(r: BenchResults, runDir: string, from: string): string {
  const dir = join(runDir, 'charts');
  const rel = relative(from, dir).split(sep).join('/');
  return renderBenchMarkdown(r, chartsMarkdown(existingChartFiles(r.data, dir), rel === '' ? '.' : rel));
}
