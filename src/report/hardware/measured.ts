// The hardware report's sections on what the hardware suite measured: the clocks, the memory-read
// bandwidth and the noise check. One function per section.

import type { EnvBlock } from '../../results/env.js';
import { isUnknown } from '../../results/env.js';
import type { BandwidthCase, HardwareData } from '../../results/hardware.js';
import { formatBinaryBytes as fmtBytes, formatNs } from '../format.js';
import { type Cell, maybe, pct, type Section, t, type Table, u } from './cells.js';

export function clocksSection(data: HardwareData): Section {
  return {
    id: 'clocks',
    title: 'Measured: clocks',
    paragraphs: [
      'Resolution is the smallest step seen between successive readings; a timing shorter than a few steps, or not far above the overhead, cannot be trusted.',
    ],
    tables: [
      {
        columns: ['Clock', 'Resolution', 'Median step', 'Overhead per call', 'Readings'],
        rows: data.timers.map((k) => [
          t(k.clock),
          maybe(k.resolutionNs, formatNs),
          maybe(k.medianStepNs, formatNs),
          t(formatNs(k.overheadNsPerCall)),
          t(k.calls),
        ]),
      },
    ],
  };
}

function bandwidthRow(k: BandwidthCase): Cell[] {
  if (k.state === 'completed') {
    return [
      t(fmtBytes(k.bytes)),
      t(k.label),
      t(k.threads),
      t(k.gbPerSec.toFixed(2)),
      t(pct(k.spread.relativeSpread)),
      t(k.spread.repeats),
      maybe(k.isa),
      maybe(k.passesPerRepeat),
    ];
  }
  const why = u(k.state === 'errored' ? `errored: ${k.error.message}` : `skipped: ${k.reason}`);
  return [t(fmtBytes(k.bytes)), t(k.label), t(k.threads), why, t('-'), t('-'), t('-'), t('-')];
}

export function bandwidthSection(data: HardwareData): Section {
  const bw = data.bandwidth;
  if (isUnknown(bw)) return { id: 'bandwidth', title: 'Measured: memory-read bandwidth', paragraphs: [`Bandwidth unknown: ${bw.reason}.`], tables: [] };
  return {
    id: 'bandwidth',
    title: 'Measured: memory-read bandwidth',
    paragraphs: [
      'Native probe (src/kernels/bandwidth.ts): median over repeats, GB/s = 1e9 bytes read per second; spread is (max - min) / median. ' +
        'With several threads each reads its own share of the buffer. ' +
        'The in-L2 figure is the cache ceiling; the past-L3 one is what a kernel streaming a large array can reach (the roofline).',
    ],
    tables: [
      {
        columns: ['Size', 'Why', 'Threads', 'GB/s (median)', 'Spread', 'Repeats', 'Read loop', 'Passes per repeat'],
        rows: bw.map(bandwidthRow),
      },
    ],
  };
}

export function noiseSection(env: EnvBlock, data: HardwareData): Section {
  const n = data.noise;
  const tables: Table[] = [
    {
      columns: ['Check', 'Value', 'Limit'],
      rows: [
        [t('Window'), t(`${n.windowMs} ms`), t('')],
        [t('Load average (1, 5, 15 min)'), t(n.loadAverage.map((x) => x.toFixed(2)).join(', ')), t('')],
        [t('Load per logical CPU (1 min)'), t(n.loadPerCore.toFixed(2)), t(n.thresholds.loadPerCore)],
        [t('Busy CPU time (others)'), maybe(n.busyFraction, pct), t(pct(n.thresholds.busyFraction))],
        [t('Stolen CPU time'), maybe(n.stealFraction, pct), t(pct(n.thresholds.stealFraction))],
        [t('Verdict'), t(n.quiet ? 'quiet' : 'BUSY'), t('')],
      ],
    },
  ];
  if (!isUnknown(n.busiestProcesses) && n.busiestProcesses.length > 0) {
    tables.push({
      columns: ['Busiest process', 'PID', 'CPU (cores)'],
      rows: n.busiestProcesses.map((p) => [t(p.self ? `${p.name} (servebench itself)` : p.name), t(p.pid), t(p.cpuCores.toFixed(2))]),
    });
  }
  const busiest = isUnknown(n.busiestProcesses)
    ? [`Busiest processes unknown: ${n.busiestProcesses.reason}.`]
    : n.busiestProcesses.length === 0 && (n.unattributedCores ?? 0) < 0.05
      ? ['No process used measurable CPU time during the window.']
      : [];
  if ((n.unattributedCores ?? 0) >= 0.05) {
    busiest.push(
      `Short-lived processes, started and gone within the window, used ${n.unattributedCores!.toFixed(2)} cores that no listed process accounts for.`,
    );
  }
  return {
    id: 'noise',
    title: 'Noise check',
    paragraphs: [
      `servebench idled for ${n.windowMs} ms while it read /proc/stat and /proc/<pid>/stat; ` +
        `the environment block's own check at capture time used ${env.noise.windowMs} ms (${env.noise.quiet ? 'quiet' : 'busy'}).`,
      ...busiest,
    ],
    tables,
    ...(n.warnings.length > 0 ? { items: n.warnings } : {}),
  };
}
