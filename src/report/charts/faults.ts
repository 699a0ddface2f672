// The faults chart: requests per second by send time (served, and failed by kind, stacked) over the faults
// run's window, and the p99 of the served ones below; each fault is a red rule mark (its span shaded for a
// pause or a hang), each restart of a process a dashed green one, each exit a grey one.

import type { FaultsResult } from '../../results/faults.js';
import type { LoadData } from '../../results/load.js';
import { CONFIG, type ChartSpec, type JsonValue, type VegaLiteSpec } from './spec.js';

const SERIES = ['served', 'failed: non2xx', 'failed: timeouts', 'failed: resets', 'failed: errors'] as const;
const SERIES_COLORS = ['#4e79a7', '#e15759', '#f28e2b', '#b07aa1', '#9c755f'];
const MARKS = ['fault', 'restarted', 'exited', 'gave up'] as const;
const MARK_COLORS = ['#d1242f', '#59a14f', '#8c959f', '#1b1f24'];
const MARK_DASHES = [
  [1, 0],
  [5, 3],
  [2, 2],
  [1, 0],
];

/** One bar segment per second and series (zeros left out). */
function countRows(r: FaultsResult): VegaLiteSpec[] {
  const rows: VegaLiteSpec[] = [];
  for (const t of r.timeline) {
    const values: Record<(typeof SERIES)[number], number> = {
      served: t.successes,
      'failed: non2xx': t.failures.byKind.non2xx,
      'failed: timeouts': t.failures.byKind.timeouts,
      'failed: resets': t.failures.byKind.resets,
      'failed: errors': t.failures.byKind.errors,
    };
    SERIES.forEach((series, order) => {
      if (values[series] > 0) rows.push({ start: t.second, end: t.second + 1, series, order, count: values[series] });
    });
  }
  return rows;
}

/** The faults (when applied) and the system's events, as rule marks with a label for the faults. */
function markRows(r: FaultsResult): VegaLiteSpec[] {
  const rows: VegaLiteSpec[] = [];
  for (const f of r.faults) {
    if (f.appliedAtMs === null) continue;
    rows.push({ at: f.appliedAtMs / 1000, mark: 'fault', label: `${f.action} ${f.target}` });
  }
  for (const e of r.events) rows.push({ at: e.atMs / 1000, mark: e.kind === 'gave-up' ? 'gave up' : e.kind, label: e.process });
  return rows.filter((m) => (m.at as number) >= 0 && (m.at as number) <= r.windowMs / 1000);
}

/** Pauses and hangs: the span they lasted, shaded. */
function spanRows(r: FaultsResult): VegaLiteSpec[] {
  return r.faults.flatMap((f) =>
    f.appliedAtMs !== null && f.untilMs !== undefined ? [{ start: f.appliedAtMs / 1000, end: Math.min(f.untilMs, r.windowMs) / 1000 }] : [],
  );
}

function markLayers(r: FaultsResult, x: VegaLiteSpec, withLabels: boolean): JsonValue[] {
  const marks = markRows(r);
  const spans = spanRows(r);
  const layers: JsonValue[] = [];
  if (spans.length > 0)
    layers.push({
      data: { values: spans },
      mark: { type: 'rect', color: '#d1242f', opacity: 0.08 },
      encoding: { x: { ...x, field: 'start' }, x2: { field: 'end' } },
    });
  layers.push({
    data: { values: marks },
    mark: { type: 'rule', strokeWidth: 1.5 },
    encoding: {
      x: { ...x, field: 'at' },
      color: { field: 'mark', type: 'nominal', title: 'marks', scale: { domain: [...MARKS], range: MARK_COLORS } },
      strokeDash: { field: 'mark', type: 'nominal', title: 'marks', scale: { domain: [...MARKS], range: MARK_DASHES } },
    },
  });
  if (withLabels)
    layers.push({
      data: { values: marks.filter((m) => m.mark === 'fault') },
      mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, dy: 2, fontSize: 11, color: '#d1242f' },
      encoding: { x: { ...x, field: 'at' }, y: { value: 0 }, text: { field: 'label' } },
    });
  return layers;
}

function countsPanel(r: FaultsResult, x: VegaLiteSpec): VegaLiteSpec {
  return {
    width: 680,
    height: 220,
    layer: [
      {
        data: { values: countRows(r) },
        mark: { type: 'bar', binSpacing: 0 },
        encoding: {
          x: { ...x, field: 'start', title: null },
          x2: { field: 'end' },
          y: { field: 'count', type: 'quantitative', stack: 'zero', title: 'requests sent in the second' },
          color: { field: 'series', type: 'nominal', title: 'requests', scale: { domain: [...SERIES], range: SERIES_COLORS } },
          order: { field: 'order', type: 'quantitative' },
        },
      },
      ...markLayers(r, x, true),
    ],
    // The bars' series and the rule marks are two legends, not one merged colour scale.
    resolve: { scale: { color: 'independent' } },
  };
}

function latencyPanel(r: FaultsResult, x: VegaLiteSpec): VegaLiteSpec {
  const rows = r.timeline.filter((t) => t.p99Us > 0).map((t) => ({ mid: t.second + 0.5, p99Ms: t.p99Us / 1000 }));
  return {
    width: 680,
    height: 140,
    layer: [
      {
        data: { values: rows },
        mark: { type: 'line', point: true, strokeWidth: 2, color: '#4e79a7' },
        encoding: { x: { ...x, field: 'mid' }, y: { field: 'p99Ms', type: 'quantitative', title: 'p99 of served (ms)' } },
      },
      ...markLayers(r, x, false),
    ],
  };
}

export function faultsChart(d: LoadData): ChartSpec | null {
  const r = d.faults;
  if (r === undefined || r.timeline.length === 0) return null;
  const x: VegaLiteSpec = {
    field: 'start',
    type: 'quantitative',
    title: 'time since the measured window started (s)',
    scale: { domain: [0, r.timeline.length], nice: false },
  };
  const applied = r.faults.filter((f) => f.state === 'applied').map((f) => f.expression);
  return {
    name: 'faults',
    chart: 'faults',
    section: 'experiments',
    title: 'Faults under load: requests per second, served and failed by kind, and p99, with the faults and restarts marked',
    caption:
      `${r.configId} at ${r.rateRps} requests/s; faults: ${applied.join('; ') || 'none applied'}. Bars count the requests sent in each second by ` +
      'how they ended; red rules are the faults (a pause or hang shaded for its span), dashed green rules the restarts, grey ones the exits.',
    spec: {
      title: { text: 'Faults under load', subtitle: `${r.configId}, ${r.rateRps} requests/s, open loop; restarts on` },
      vconcat: [countsPanel(r, x), latencyPanel(r, x)],
      spacing: 14,
      resolve: { scale: { color: 'independent', strokeDash: 'independent' }, legend: { color: 'independent', strokeDash: 'independent' } },
      config: CONFIG,
    },
  };
}
