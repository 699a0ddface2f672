// The request paths chart: throughput per configuration at one connection count (50), the median over the
// interleaved rounds with their min..max.

import type { LoadData } from '../../results/load.js';
import { count, plural } from '../format.js';
import { CONFIG, type ChartSpec, decadeTicks, figureShape, logAxis, round, type VegaLiteSpec } from './spec.js';

/** A throughput in a label: whole numbers from 100 on, else two or three significant digits. */
function fmt(x: number): string {
  if (x >= 100) return count(x);
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

function pathRows(d: LoadData, step: string): VegaLiteSpec[] {
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
  return rows.sort((a, b) => (b.rps as number) - (a.rps as number));
}

export function requestPathsChart(d: LoadData, step = 'c=50'): ChartSpec | null {
  const rows = pathRows(d, step);
  if (rows.length === 0) return null;
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
  const whisker = { type: 'tick', orient: 'vertical', thickness: 2, size: 12, color: '#57606a' };
  return {
    name: 'request-paths',
    chart: 'request-paths',
    section: 'load',
    title: `Request paths: throughput per configuration at ${connections} connections`,
    caption:
      `The request-paths scenario at ${step}: the point is the median over the interleaved rounds, the bar their min..max. ` +
      'Rings (hollow points) had no valid repeat.',
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
        { mark: whisker, encoding: { y, x: { field: 'min', type: 'quantitative' } } },
        { mark: whisker, encoding: { y, x: { field: 'max', type: 'quantitative' } } },
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
