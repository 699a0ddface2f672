// The capacity chart: per kernel, the largest n its predict fitted under the memory budget (the point), the
// bar up to the first n that failed, coloured by how it failed; the budget as doubles is the dashed line.

import type { CapacityData } from '../../results/capacity.js';
import { KERNEL_NAMES } from '../../results/vocab.js';
import { count } from '../format.js';
import { CONFIG, type ChartSpec, colorsFor, decadeTicks, distinct, FAILURE_COLORS, figureShape, type JsonValue, type VegaLiteSpec } from './spec.js';

/** One row per kernel with a max n; the others named in `missing`. */
function capacityRows(d: CapacityData): { rows: VegaLiteSpec[]; missing: string[] } {
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
    rows.push({
      kernel: k.kernel,
      maxN: k.maxN,
      failN: k.firstFailN ?? k.maxN,
      failure: k.failure ?? 'none up to the ceiling',
      figure: k.converged ? 'converged' : 'not converged (ring)',
      label: `${count(k.maxN)}${k.firstFailN === null ? '' : ` · fails at ${count(k.firstFailN)}`}`,
    });
  }
  return { rows, missing };
}

/** A bar from the max n to the first failing n is drawn when the failing n is at least this many times the max. */
const VISIBLE_GAP = 1.1;

/** The budget as a dashed rule with its label. */
function budgetLayers(budgetValues: number, budget: string, xScale: JsonValue): JsonValue[] {
  return [
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
  ];
}

/** The bars (max n to first failing n), the points (max n) and their labels. */
function kernelLayers(rows: VegaLiteSpec[], domain: number[], xScale: JsonValue): JsonValue[] {
  const failures = distinct(rows.map((r) => r.failure as string));
  const kernels = KERNEL_NAMES.filter((k) => rows.some((r) => r.kernel === k));
  const y = { field: 'kernel', type: 'nominal', title: null, sort: kernels, axis: { labelFontSize: 12 } };
  const color = { field: 'failure', type: 'nominal', title: 'failure past the max', scale: { domain: failures, range: colorsFor(failures, FAILURE_COLORS) } };
  return [
    {
      // Only where the gap shows on the log scale: a converged search puts the first failing n within a few
      // percent of the max, a bar hidden under its point (the label gives that n).
      transform: [{ filter: `datum.failN >= datum.maxN * ${VISIBLE_GAP}` }],
      mark: { type: 'rule', strokeWidth: 6, opacity: 0.45 },
      encoding: { y, x: { field: 'maxN', type: 'quantitative', scale: xScale }, x2: { field: 'failN' }, color: { ...color, legend: { symbolOpacity: 1 } } },
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
        color,
        shape: figureShape('search', 'converged', 'not converged (ring)'),
      },
    },
    // Labels left of the points: the budget line and the bars sit to their right.
    {
      mark: { type: 'text', align: 'right', dx: -12, fontSize: 11, color: '#1b1f24' },
      encoding: { y, x: { field: 'maxN', type: 'quantitative' }, text: { field: 'label' } },
    },
  ];
}

export function capacityChart(d: CapacityData): ChartSpec | null {
  const { rows, missing } = capacityRows(d);
  if (rows.length === 0) return null;
  const budgetValues = d.settings.budgetBytes / 8;
  const lo = Math.min(...rows.map((r) => r.maxN as number));
  const hi = Math.max(budgetValues, ...rows.map((r) => r.failN as number));
  // Room on the left for the labels (most of a decade), and on the right for the budget line.
  const domain = [10 ** Math.floor(Math.log10(lo) - 0.8), 10 ** Math.ceil(Math.log10(hi) + 0.3)];
  const xScale = { type: 'log', domain, nice: false };
  const budget = `${(d.settings.budgetBytes / 2 ** 30).toFixed(d.settings.budgetBytes % 2 ** 30 === 0 ? 0 : 1)} GiB`;
  const notDrawn = missing.join(', ');
  const bars = rows.some((r) => (r.failN as number) >= (r.maxN as number) * VISIBLE_GAP);
  const bar = bars ? 'bar: up to the first n that failed (where it shows) · ' : '';
  const subtitle = `point: largest n that fitted · ${bar}label: the first n that failed · colour: how it failed`;
  return {
    name: 'capacity',
    chart: 'capacity',
    section: 'capacity',
    title: `Capacity: the largest n each kernel's predict fits under a ${budget} budget, and how it fails past it`,
    caption:
      `One predict per fresh process under RLIMIT_DATA ${budget}; the point is the largest n that fitted, its label gives the first n that failed` +
      `${bars ? ' (a bar reaches it where the gap shows on the log scale)' : ' (within a few percent: too close to draw as a bar)'}; ` +
      'the colour says how it failed. ' +
      `Dashed: the budget as doubles (${budget} / 8 B). Rings (hollow points): the search did not converge to its tolerance.` +
      `${missing.length > 0 ? ` Not drawn: ${notDrawn}.` : ''}`,
    spec: {
      title: {
        text: `Capacity: max n under a ${budget} memory budget`,
        subtitle: `${subtitle}${missing.length > 0 ? ` · not drawn: ${notDrawn}` : ''}`,
      },
      width: 620,
      height: { step: 40 },
      data: { values: rows },
      layer: [...budgetLayers(budgetValues, budget, xScale), ...kernelLayers(rows, domain, xScale)],
      config: CONFIG,
    },
  };
}
