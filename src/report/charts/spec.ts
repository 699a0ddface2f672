// What every chart spec of a run shares: the spec's type, the look (font, colours, axes), the log axes and
// the hollow marks for doubtful figures. A spec is plain JSON, built here without vega-lite's (deep) types
// and checked when compiled (render.ts).

import type { KernelName } from '../../results/vocab.js';
import type { FrameGroup } from '../../results/profile.js';
import type { SuiteName } from '../../results/bench.js';

/** Plain JSON: a vega-lite spec is data. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type VegaLiteSpec = { [key: string]: JsonValue };

/** The charts servebench draws; each is written as charts/<name>.svg in a run folder. */
type ChartName = 'kernels' | 'capacity' | 'load-ramp' | 'request-paths' | 'autoscale' | 'faults' | 'profile';

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

// ---------------------------------------------------------------------------------------------------------
// The look

const FONT = 'system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif';

export const CONFIG: VegaLiteSpec = {
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
export const KERNEL_COLORS: Record<KernelName, string> = {
  naive: '#e15759',
  typed: '#f28e2b',
  native: '#4e79a7',
  'native-parallel': '#59a14f',
  'native-async': '#b07aa1',
};

export const TOPOLOGY_COLORS: Record<string, string> = { single: '#4e79a7', cluster: '#f28e2b', nginx: '#59a14f' };
const EXTRA_COLORS = ['#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac', '#e15759'];

/** Frame groups in the order a reader asks about them: waiting first, then who runs. */
export const PROFILE_ORDER: readonly FrameGroup[] = ['blocked', 'idle', 'app', 'dependencies', 'node', 'v8', 'native-addon', 'system', 'profiler'];
export const GROUP_COLORS: Record<FrameGroup, string> = {
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
export const LIGHT_GROUPS: readonly FrameGroup[] = ['idle', 'dependencies', 'v8', 'profiler'];

export const FAILURE_COLORS: Record<string, string> = {
  'js-heap-exhausted': '#d62728',
  'allocation-failed': '#ff7f0e',
  'array-length-limit': '#9467bd',
  killed: '#8c564b',
  timeout: '#7f7f7f',
  crashed: '#e377c2',
  'none up to the ceiling': '#2ca02c',
};

/** A colour range for a domain: known colours first, then a fixed list for the rest. */
export function colorsFor(domain: readonly string[], known: Record<string, string>): string[] {
  let next = 0;
  return domain.map((d) => known[d] ?? EXTRA_COLORS[next++ % EXTRA_COLORS.length]!);
}

// ---------------------------------------------------------------------------------------------------------
// Axes and marks

/** Powers of ten covering [min, max]: tick values of a log axis (labels stay readable, no 2..9 clutter). */
export function decadeTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max > 0)) return [];
  const lo = Math.floor(Math.log10(min) + 1e-9);
  const hi = Math.ceil(Math.log10(max) - 1e-9);
  const out: number[] = [];
  for (let e = lo; e <= hi; e++) out.push(Number((10 ** e).toPrecision(1)));
  return out;
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

// Hollow marks as shapes (vega-lite draws no legend for fillOpacity): rings filled in the series colour, in
// vega's unit box (-1..1); the inner path winds the other way, so the nonzero fill leaves the middle empty.
const RING = 'M1,0A1,1,0,1,1,-1,0A1,1,0,1,1,1,0ZM0.5,0A0.5,0.5,0,1,0,-0.5,0A0.5,0.5,0,1,0,0.5,0Z';
export const DIAMOND_RING = 'M0,-1L1,0L0,1L-1,0ZM0,-0.6L-0.6,0L0,0.6L0.6,0Z';

/** A shape channel telling solid figures from doubtful ones (rings), with its legend. */
export function figureShape(title: string, solid: string, hollow: string, extra: { label: string; path: string }[] = []): JsonValue {
  return {
    field: 'figure',
    type: 'nominal',
    title,
    scale: { domain: [solid, hollow, ...extra.map((e) => e.label)], range: ['circle', RING, ...extra.map((e) => e.path)] },
    legend: { symbolFillColor: '#57606a', symbolStrokeColor: 'transparent', symbolSize: 90, symbolOpacity: 1 },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Data

/** A figure cut to a few significant digits: the spec (and the SVG's data) stays small and readable. */
export const round = (x: number, digits = 4): number => Number(x.toPrecision(digits));

export function distinct<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
