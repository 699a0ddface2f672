// The load ramp chart: throughput and p99 latency against the load (connections or offered rate), one
// panel pair per predict, one line per configuration, each ramp's breaking point marked.

import type { LoadData } from '../../results/load.js';
import {
  CONFIG,
  type ChartSpec,
  colorsFor,
  DIAMOND_RING,
  distinct,
  figureShape,
  type JsonValue,
  logAxis,
  round,
  TOPOLOGY_COLORS,
  type VegaLiteSpec,
} from './spec.js';

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

type LoadUnit = 'connections' | 'rps';

/** The load of a step from its label ('c=16', 'rate=200/s'), as the runs recorded it. */
function stepLoad(d: LoadData, configId: string, scenario: string, label: string): { load: number; unit: LoadUnit } | null {
  const run = d.runs.find((r) => r.configId === configId && r.scenario === scenario && r.step.label === label);
  if (run !== undefined) return { load: run.step.load, unit: run.step.loadUnit };
  const c = /^c=(\d+)$/.exec(label);
  if (c !== null) return { load: Number(c[1]), unit: 'connections' };
  const r = /^rate=([\d.]+)\/s$/.exec(label);
  if (r !== null) return { load: Number(r[1]), unit: 'rps' };
  return null;
}

const PATH_DASH: Record<string, number[]> = { async: [1, 0], sync: [6, 3], queue: [2, 2], '-': [1, 0] };
const GROUP_ORDER = ['io', 'cpu', 'target'];

/** The ramp's steps in one unit (a ramp in rates beside one in connections would share an axis with two units: the majority's is drawn). */
function rampSteps(d: LoadData): { steps: VegaLiteSpec[]; unit: LoadUnit } | null {
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
  const unit = units.has('connections') ? 'connections' : 'rps';
  return { steps: rows.filter((r) => r.unit === unit), unit };
}

/** Each ramp's breaking point (the last step that held), in the drawn unit. */
function breakingPoints(d: LoadData, unit: LoadUnit): VegaLiteSpec[] {
  const rows: VegaLiteSpec[] = [];
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
  return rows;
}

/** The p99 goal as a red rule with its label (twice: a white outline first, so it reads over the lines it crosses). */
function goalLayers(goalMs: number): JsonValue[] {
  return [
    {
      data: { values: [{ goal: goalMs }] },
      mark: { type: 'rule', strokeDash: [4, 3], color: '#cf222e', strokeWidth: 1.2 },
      encoding: { y: { field: 'goal', type: 'quantitative' } },
    },
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
  ];
}

/** What every panel shares: the rows, the goal, and the x, colour and dash channels. */
interface PanelContext {
  steps: VegaLiteSpec[];
  goalMs: number;
  encoding: { x: JsonValue; color: JsonValue; strokeDash: JsonValue; detail: JsonValue; shape: JsonValue };
}

/** One panel: a predict's throughput or p99 latency against the load. */
function rampPanel(ctx: PanelContext, group: string, metric: 'rps' | 'p99Ms'): VegaLiteSpec {
  const { x, color, strokeDash, detail, shape } = ctx.encoding;
  const vals = ctx.steps.filter((r) => r.group === group).map((r) => r[metric] as number);
  const goalVisible = metric === 'p99Ms' && ctx.goalMs > 0;
  const goal = goalVisible ? [ctx.goalMs] : [];
  const axis = logAxis(Math.min(...vals, ...goal), Math.max(...vals, ...goal));
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
      encoding: { x, y, detail, color, shape },
    },
    {
      transform: [{ filter: `datum.kind === 'break' && datum.group === '${group}'` }],
      mark: { type: 'point', filled: true, size: 280, opacity: 1, color: '#1b1f24' },
      encoding: { x, y, shape },
    },
  ];
  if (goalVisible) layers.push(...goalLayers(ctx.goalMs));
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
}

function panelContext(steps: VegaLiteSpec[], unit: LoadUnit, goalMs: number): PanelContext {
  const series = distinct(steps.map((r) => r.series as string)).sort(
    (a, b) => Object.keys(TOPOLOGY_COLORS).indexOf(a) - Object.keys(TOPOLOGY_COLORS).indexOf(b),
  );
  const paths = distinct(steps.map((r) => r.path as string)).sort();
  const loads = distinct(steps.map((r) => r.load as number)).sort((a, b) => a - b);
  const x = {
    field: 'load',
    type: 'quantitative',
    title: unit === 'connections' ? 'connections (log scale)' : 'offered rate (requests/s, log scale)',
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
  const shape = figureShape('marks', 'step', 'step, no valid repeat (ring)', [{ label: 'breaking point (last step that held)', path: DIAMOND_RING }]);
  return { steps, goalMs, encoding: { x, color, strokeDash, detail: { field: 'config', type: 'nominal' }, shape } };
}

export function loadRampChart(d: LoadData): ChartSpec | null {
  const ramp = rampSteps(d);
  if (ramp === null) return null;
  const { steps, unit } = ramp;
  const groups = distinct(steps.map((r) => r.group as string)).sort((a, b) => GROUP_ORDER.indexOf(a) - GROUP_ORDER.indexOf(b));
  const goalMs = d.options.latencyGoalP99Us / 1000;
  const ctx = panelContext(steps, unit, goalMs);
  const against = unit === 'connections' ? 'connections' : 'offered rate';
  return {
    name: 'load-ramp',
    chart: 'load-ramp',
    section: 'load',
    title: `Load ramp: throughput and p99 latency vs ${against}, per configuration`,
    caption:
      `Each step is the median over its repeats; the ramp stops where the p99 goal (${goalMs} ms) or the error budget broke. ` +
      "The diamond marks each ramp's breaking point (the last step that held); " +
      'rings had no valid repeat (their figures are from invalid runs, see Doubtful figures).',
    spec: {
      title: {
        text: `Load ramp: throughput and p99 latency vs ${against}`,
        subtitle: 'colour: topology · dash: request path · diamond: breaking point · ring: no valid repeat',
      },
      data: { values: [...steps, ...breakingPoints(d, unit)] },
      vconcat: groups.map((g) => ({ hconcat: [rampPanel(ctx, g, 'rps'), rampPanel(ctx, g, 'p99Ms')] })),
      resolve: { scale: { color: 'shared', strokeDash: 'shared' } },
      config: CONFIG,
    },
  };
}
