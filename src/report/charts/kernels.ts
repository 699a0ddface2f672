// The kernels chart: throughput (GB/s) against n per kernel, with the native bandwidth probe as the roofline.

import type { KernelsData } from '../../results/kernels.js';
import { KERNEL_NAMES } from '../../results/vocab.js';
import { plural } from '../format.js';
import { CONFIG, type ChartSpec, decadeTicks, distinct, figureShape, KERNEL_COLORS, round, type VegaLiteSpec } from './spec.js';

const PARALLEL = "datum.kind === 'kernel' && datum.series === 'native-parallel'";
const OTHERS = "datum.kind === 'kernel' && datum.series !== 'native-parallel'";

const probeSeries = (threads: number) => `roofline: bandwidth probe, ${plural(threads, 'thread')}`;

/** One row per completed kernel figure, then one per completed probe figure. */
function kernelRows(d: KernelsData): VegaLiteSpec[] {
  const rows: VegaLiteSpec[] = [];
  for (const e of d.entries) {
    if (e.state !== 'completed' || !(e.gbPerSec > 0)) continue;
    rows.push({ kind: 'kernel', series: e.kernel, n: e.n, gbPerSec: round(e.gbPerSec), figure: e.noisy ? 'noisy (ring)' : 'measured' });
  }
  if (rows.length === 0) return rows;
  for (const p of d.probes) {
    if (p.state !== 'completed' || !(p.gbPerSec > 0)) continue;
    rows.push({ kind: 'probe', series: probeSeries(p.threads), threads: p.threads, n: p.n, gbPerSec: round(p.gbPerSec), figure: 'measured' });
  }
  return rows;
}

export function kernelsChart(d: KernelsData): ChartSpec | null {
  const rows = kernelRows(d);
  if (rows.length === 0) return null;
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
    caption:
      `Median over ${plural(d.settings.processesPerCase, 'fresh process', 'fresh processes')} per point; dashed: the native bandwidth probe (the roofline); ` +
      'the wide pale band is native-parallel, drawn beneath native (below its chunk size it runs on one thread, and the two lines meet). ' +
      `Rings (hollow points) are noisy figures (spread across processes above ${Math.round(noise.maxSpreadAcrossProcesses * 100)}% ` +
      `or margin of error of the median above ${noise.maxRmePercent}%), listed under Doubtful figures.`,
    spec: {
      title: { text: 'Kernels: GB/s vs n', subtitle: 'mean over n doubles; dashed: bandwidth probe (roofline); ring: noisy figure' },
      width: 620,
      height: 340,
      data: { values: rows },
      layer: [
        { transform: [{ filter: "datum.kind === 'probe'" }], mark: { type: 'line', strokeWidth: 1.5, strokeDash: [6, 4] }, encoding: { x, y, color } },
        // native-parallel first, as a wide pale band: below its chunk size it runs native's code on one thread,
        // and its line would hide native's; drawn beneath, native's line shows inside the band.
        { transform: [{ filter: PARALLEL }], mark: { type: 'line', strokeWidth: 7, opacity: 0.45 }, encoding: { x, y, color } },
        {
          transform: [{ filter: PARALLEL }],
          mark: { type: 'point', filled: true, size: 150, opacity: 0.45 },
          encoding: { x, y, color, shape: figureShape('figure', 'measured', 'noisy (ring)') },
        },
        { transform: [{ filter: OTHERS }], mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, color } },
        {
          transform: [{ filter: OTHERS }],
          mark: { type: 'point', filled: true, size: 60, opacity: 1 },
          encoding: { x, y, color, shape: figureShape('figure', 'measured', 'noisy (ring)') },
        },
      ],
      config: CONFIG,
    },
  };
}
