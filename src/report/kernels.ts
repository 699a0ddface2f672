// Renderers of the kernels suite's data: a terminal table and Markdown. Both read only KernelsData (a
// saved kernels.json re-renders without re-measuring).

import type { KernelEntry, KernelsData, ProbeEntry } from '../results/kernels.js';
import type { KernelName } from '../results/vocab.js';
import { count, describeNativeStatus, escapeTableCell, formatSize, percent, times } from './format.js';
import { type Align, mdTable, textTable } from './tables.js';

/** ns per call without the unit: whole nanoseconds from 100 on (1,234), one decimal below. */
function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return '-';
  return ns >= 100 ? count(ns) : ns.toFixed(1);
}

function formatGbPerSec(g: number): string {
  if (!Number.isFinite(g)) return '-';
  return g >= 10 ? g.toFixed(1) : g >= 0.1 ? g.toFixed(2) : g.toPrecision(2);
}

interface Row {
  n: string;
  kernel: string;
  nsPerCall: string;
  minNs: string;
  gbPerSec: string;
  ofProbe: string;
  rme: string;
  medianRme: string;
  spread: string;
  samples: string;
  note: string;
}

const HEADER: Row = {
  n: 'n',
  kernel: 'kernel',
  nsPerCall: 'ns/call',
  minNs: 'min ns',
  gbPerSec: 'GB/s',
  ofProbe: 'of probe',
  rme: 'rme %',
  medianRme: '±med %',
  spread: 'spread %',
  samples: 'samples',
  note: 'note',
};

function rowOf(e: KernelEntry, first: boolean): Row {
  const n = first ? formatSize(e.n) : '';
  if (e.state === 'completed') {
    return {
      n,
      kernel: e.kernel,
      nsPerCall: formatNs(e.nsPerCall),
      minNs: formatNs(e.minNsPerCall),
      gbPerSec: formatGbPerSec(e.gbPerSec),
      ofProbe: percent(e.bandwidthFraction),
      rme: e.rme.toFixed(1),
      medianRme: e.medianRme.toFixed(1),
      spread: (e.acrossProcesses.relativeSpread * 100).toFixed(1),
      samples: count(e.samples),
      note: [e.noisy ? 'noisy' : '', e.processErrors.length > 0 ? `${e.processErrors.length} failed` : ''].filter((x) => x !== '').join(', '),
    };
  }
  const note = e.state === 'errored' ? `errored: ${e.error.message.split('\n')[0]}` : `skipped: ${e.reason}`;
  return { n, kernel: e.kernel, nsPerCall: '-', minNs: '-', gbPerSec: '-', ofProbe: '-', rme: '-', medianRme: '-', spread: '-', samples: '-', note };
}

function mainRows(data: KernelsData): Row[] {
  const rows: Row[] = [];
  for (const n of data.settings.sizes) {
    const atN = data.entries.filter((e) => e.n === n);
    for (const [i, e] of atN.entries()) rows.push(rowOf(e, i === 0));
  }
  return rows;
}

const COLUMNS: (keyof Row)[] = ['n', 'kernel', 'nsPerCall', 'minNs', 'gbPerSec', 'ofProbe', 'rme', 'medianRme', 'spread', 'samples', 'note'];
const ALIGN: Align[] = COLUMNS.map((c) => (c === 'kernel' || c === 'note' ? 'left' : 'right'));
const cellsOf = (r: Row) => COLUMNS.map((c) => r[c]);

function probeSummary(probes: ProbeEntry[], sizes: number[]): string[] {
  const threads = [...new Set(probes.map((p) => p.threads))].sort((a, b) => a - b);
  return threads.map((t) => {
    const parts = sizes.map((n) => {
      const p = probes.find((x) => x.n === n && x.threads === t);
      return `${formatSize(n)} ${p?.state === 'completed' ? formatGbPerSec(p.gbPerSec) : '-'}`;
    });
    return `probe, ${t} thread${t === 1 ? '' : 's'} (GB/s): ${parts.join(' · ')}`;
  });
}

function smallTable(data: KernelsData): string[] {
  if (data.settings.smallSizes.length === 0) return [];
  const kernels = data.settings.kernels;
  const head = ['n', ...kernels];
  const rows = data.settings.smallSizes.map((n) => [
    formatSize(n),
    ...kernels.map((k: KernelName) => {
      const e = data.entries.find((x) => x.n === n && x.kernel === k);
      return e?.state === 'completed' ? `${formatNs(e.nsPerCall)}${e.noisy ? '~' : ''}` : '-';
    }),
  ]);
  return ['small n, ns/call (~ = noisy):', ...textTable(head, rows, { align: head.map(() => 'right') })];
}

function overheadLine(data: KernelsData): string {
  const o = data.callOverhead;
  const part = (label: string, v: number | null) => (v === null ? undefined : `${label} ${formatNs(v)} ns`);
  const parts = [part('native', o.nativeNsPerCall), part('native-async', o.nativeAsyncNsPerCall), part('typed (JS)', o.typedNsPerCall)].filter(
    (x): x is string => x !== undefined,
  );
  return `call overhead at n = 1: ${parts.length > 0 ? parts.join(' · ') : 'not measured'}`;
}

function crossoverLine(data: KernelsData): string {
  const c = data.crossover;
  if (c.state === 'not-found') return `crossover: not found (${c.reason})`;
  return c.below === null
    ? `crossover: native beats typed at every measured n (from ${formatSize(c.n)})`
    : `crossover: native beats typed from n = ${formatSize(c.n)} on (typed at least as fast at n = ${formatSize(c.below)})`;
}

function speedupLine(data: KernelsData): string {
  const parts = data.ratios.filter((r) => data.settings.sizes.includes(r.n)).map((r) => `${formatSize(r.n)} ${times(r.nativeOverTyped)}`);
  return `native vs typed: ${parts.join(' · ')}`;
}

function goalLines(data: KernelsData): string[] {
  return data.goals.map((g) => {
    const fmt = (x: number | null) => (x === null ? 'not measured' : g.unit === 'fraction of probe' ? percent(x) : times(x));
    const mark = g.state === 'met' ? 'met' : g.state === 'not-met' ? 'NOT MET' : 'not measured';
    // (older kernels.json files lack valueFromFastest)
    const fromFastest = g.valueFromFastest ?? null;
    const fastest = g.value !== null && fromFastest !== null ? `; from the fastest samples ${fmt(fromFastest)}` : '';
    return `  [${mark}] ${g.description}: ${fmt(g.value)}${g.noisy ? ' (noisy figure)' : ''}${fastest}`;
  });
}

/** Noisy figures as one list of subjects (details are in kernels.json), every other flag in full. */
function flagLines(data: KernelsData): string[] {
  if (data.flags.length === 0) return [];
  const noisy = [...new Set(data.flags.filter((f) => f.kind === 'noisy').map((f) => f.subject))];
  const others = data.flags.filter((f) => f.kind !== 'noisy');
  const out = ['', `flags (${data.flags.length}; each with its reason in kernels.json):`];
  if (noisy.length > 0) out.push(`  ~ noisy (${noisy.length}): ${noisy.join(', ')}`);
  out.push(...others.map((f) => `  ! ${f.subject} ${f.kind}: ${f.message}`));
  return out;
}

function headline(data: KernelsData): string {
  const s = data.settings;
  return `kernels: mean of n doubles; each figure is the median over ${s.processesPerCase} fresh processes (tinybench inside each, kernel order rotated)`;
}

/** The terminal table and summary lines. */
export function renderKernelsTable(data: KernelsData): string {
  const lines = [headline(data), describeNativeStatus(data.native), ''];
  lines.push(...textTable(cellsOf(HEADER), mainRows(data).map(cellsOf), { align: ALIGN }), '');
  lines.push(...probeSummary(data.probes, data.settings.sizes));
  lines.push(speedupLine(data), overheadLine(data), crossoverLine(data));
  const small = smallTable(data);
  if (small.length > 0) lines.push('', ...small);
  lines.push('', 'speed goals:', ...goalLines(data));
  lines.push(...flagLines(data));
  if (data.interrupted) lines.push('', 'interrupted: the figures above are those finished before the stop');
  lines.push(
    '',
    'GB/s = 8n bytes / median time; of probe = that / the best read bandwidth of the same n (threads as the kernel uses);',
    'rme = tinybench margin of error of the mean; ±med = margin of error of the median (both 95%, worst process);',
    'spread = (max - min) / median of the per-process medians; ' +
      `noisy above ${data.settings.noise.maxSpreadAcrossProcesses * 100}% spread or ${data.settings.noise.maxRmePercent}% ±med.`,
  );
  return `${lines.join('\n')}\n`;
}

/** The same content as Markdown (for the README and report pages). */
export function renderKernelsMarkdown(data: KernelsData): string {
  const out = [
    `_${headline(data)}._`,
    '',
    `\`${describeNativeStatus(data.native)}\``,
    '',
    mdTable(cellsOf(HEADER), mainRows(data).map(cellsOf), ALIGN),
    '',
    ...probeSummary(data.probes, data.settings.sizes).map((l) => `- ${l}`),
    `- ${speedupLine(data)}`,
    `- ${overheadLine(data)}`,
    `- ${crossoverLine(data)}`,
    '',
    '**Speed goals**',
    '',
    ...goalLines(data).map((l) => `- ${l.trim()}`),
  ];
  if (data.flags.length > 0)
    out.push('', `**Flags (${data.flags.length})**`, '', ...data.flags.map((f) => `- \`${f.subject}\` ${f.kind}: ${escapeTableCell(f.message)}`));
  return `${out.join('\n')}\n`;
}
