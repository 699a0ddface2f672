// The autoscale chart: offered and served requests per second over time (top), and the model replicas
// ready (bottom), for the autoscaled system (an emulated HPA) and the fixed one, the rate profile's phases
// shaded behind both.

import type { AutoscaleConfigResult, AutoscaleResult } from '../../results/experiments.js';
import type { LoadData } from '../../results/load.js';
import { plural } from '../format.js';
import { CONFIG, type ChartSpec, colorsFor, distinct, type JsonValue, type VegaLiteSpec } from './spec.js';

const OFFERED = 'offered (arrivals scheduled)';
const SYSTEM_COLORS = ['#4e79a7', '#e15759', '#59a14f', '#b07aa1'];

function systemLabel(c: AutoscaleConfigResult, d: LoadData): string {
  const base = c.mode === 'autoscaled' ? 'autoscaled (emulated HPA)' : `fixed, ${plural(c.replicasAtStart, 'replica')}`;
  const run = d.runs.find((r) => r.id === c.runId);
  return run !== undefined && run.valid === false ? `${base}, invalid run` : base;
}

/** The rows of both panels: requests per second per series, and replicas ready per service and system. */
function timelineRows(configs: AutoscaleConfigResult[], systems: string[]): { rpsRows: VegaLiteSpec[]; replicaRows: VegaLiteSpec[] } {
  const rpsRows: VegaLiteSpec[] = [];
  const replicaRows: VegaLiteSpec[] = [];
  const offeredFrom = configs.find((c) => c.mode === 'autoscaled') ?? configs[0]!;
  for (const t of offeredFrom.timeline) rpsRows.push({ second: t.second, series: OFFERED, kind: 'offered', value: t.offered });
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
  return { rpsRows, replicaRows };
}

/** The rate profile's phases as shaded bands (named in the top panel). */
function phaseBands(a: AutoscaleResult, xDomain: number[]): (withLabels: boolean) => JsonValue[] {
  const phases: VegaLiteSpec[] = [];
  let at = 0;
  a.profile.forEach((p, i) => {
    phases.push({ phase: p.name, start: at / 1000, end: (at + p.durationMs) / 1000, mid: (at + p.durationMs / 2) / 1000, shade: i % 2 });
    at += p.durationMs;
  });
  return (withLabels: boolean): JsonValue[] => [
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
}

/** Offered, served and failed requests per second: one colour per system, dashed offered, dotted failed. */
function rpsPanel(rpsRows: VegaLiteSpec[], systems: string[], x: VegaLiteSpec, bands: JsonValue[]): VegaLiteSpec {
  const served = systems.map((s) => `served: ${s}`);
  const failed = systems.map((s) => `failed: ${s}`).filter((s) => rpsRows.some((r) => r.series === s));
  const domain = [OFFERED, ...served, ...failed];
  const range = [
    '#57606a',
    ...served.map((_, i) => SYSTEM_COLORS[i % SYSTEM_COLORS.length]!),
    ...failed.map((f) => SYSTEM_COLORS[served.indexOf(f.replace(/^failed/, 'served')) % SYSTEM_COLORS.length]!),
  ];
  return {
    width: 680,
    height: 220,
    layer: [
      ...bands,
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
            scale: { domain, range },
            legend: { symbolType: 'stroke', symbolStrokeWidth: 3, symbolSize: 300 },
          },
          // The same field and title as the colour, so the legend shows each line's dash too.
          strokeDash: {
            field: 'series',
            type: 'nominal',
            title: 'requests/s',
            scale: { domain, range: domain.map((s) => (s.startsWith('offered') ? [6, 3] : s.startsWith('failed') ? [2, 2] : [1, 0])) },
          },
        },
      },
    ],
  };
}

/** Replicas ready per model service: one colour per service, one dash per system. */
function replicaPanel(replicaRows: VegaLiteSpec[], systems: string[], x: VegaLiteSpec, bands: JsonValue[]): VegaLiteSpec {
  const services = distinct(replicaRows.map((r) => r.service as string)).sort();
  const maxReplicas = Math.max(1, ...replicaRows.map((r) => r.ready as number));
  return {
    width: 680,
    height: 150,
    layer: [
      ...bands,
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
}

export function autoscaleChart(d: LoadData): ChartSpec | null {
  const a = d.autoscale;
  if (a === undefined) return null;
  const configs = a.configurations.filter((c) => c.state === 'completed' && c.timeline.length > 0);
  if (configs.length === 0) return null;
  const systems = configs.map((c) => systemLabel(c, d));
  const { rpsRows, replicaRows } = timelineRows(configs, systems);
  const seconds = configs.flatMap((c) => c.timeline.map((t) => t.second));
  const xDomain = [Math.min(...seconds), Math.max(...seconds) + 1];
  const x = { field: 'second', type: 'quantitative', title: 'time since the measured window started (s)', scale: { domain: xDomain, nice: false } };
  const bands = phaseBands(a, xDomain);
  const hold = a.hold;
  const holdLine =
    hold === null || hold.rpsRatio === null
      ? ''
      : ` In the ${hold.phase} phase the autoscaled system served ${hold.rpsRatio.toFixed(2)}x the rps of the fixed one.`;
  const phases = a.profile.map((p) => `${p.name} ${p.fromRps}->${p.toRps}/s`).join(', ');
  return {
    name: 'autoscale',
    chart: 'autoscale',
    section: 'experiments',
    title: 'Autoscaling: offered and served requests per second, and model replicas ready, over time',
    caption:
      `${a.emulation.charAt(0).toUpperCase()}${a.emulation.slice(1)}. Shaded bands are the rate profile's phases (${phases}); ` +
      `failed: requests scheduled in that second that failed.${holdLine}`,
    spec: {
      title: {
        text: 'Autoscaling: requests/s and replicas over time',
        subtitle: 'an emulation of the Kubernetes HPA algorithm (not Kubernetes) vs a fixed replica count',
      },
      vconcat: [rpsPanel(rpsRows, systems, x, bands(true)), replicaPanel(replicaRows, systems, x, bands(false))],
      spacing: 14,
      resolve: {
        scale: { color: 'independent', strokeDash: 'independent', opacity: 'independent' },
        legend: { color: 'independent', strokeDash: 'independent' },
      },
      config: CONFIG,
    },
  };
}
