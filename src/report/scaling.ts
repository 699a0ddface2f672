// The scaling experiment's part of a load report: per sweep, one row per server count (throughput, p99,
// efficiency against linear, the gain over the step before, the cores busy, the CPU per process) and the
// finding, as text lines for the terminal and as Markdown. load-experiments.ts lays them out with the others.

import type { LoadData } from '../results/load.js';
import type { ScalingResult, ScalingStep, ScalingSweep } from '../results/scaling.js';
import { formatNumber as fmtNum, formatSpread as spread, formatUs as fmtUs, sharePercent as pct } from './format.js';
import { mdTable, textTable, type Align } from './tables.js';

const HEAD = ['servers', 'rps', 'p99', 'failed', 'efficiency', 'gain vs before', 'cores busy: host (system + generator)', 'CPU per process (% of a core)'];
const ALIGN: Align[] = ['right', 'right', 'right', 'right', 'right', 'right', 'left', 'left'];

function fixed(v: number | null, digits = 2): string {
  return v === null ? '-' : v.toFixed(digits);
}

function cores(s: ScalingStep): string {
  if (s.systemCores === null || s.generatorCores === null) return '-';
  // The whole host's busy cores (other tenants too) where /proc/stat was read, else ours alone.
  const host = s.hostBusyCores ?? s.systemCores + s.generatorCores;
  return `${host.toFixed(2)} (${s.systemCores.toFixed(2)} + ${s.generatorCores.toFixed(2)})`;
}

function row(s: ScalingStep): string[] {
  const gain = s.marginalGain === null ? '-' : `${fixed(s.marginalGain)}${s.paid === false ? ' (did not pay)' : ''}`;
  const invalid = s.validRepeats === 0 && s.rps.repeats > 0 ? ' (invalid)' : '';
  return [
    String(s.servers),
    `${spread(s.rps, fmtNum)}${invalid}`,
    spread(s.latencyP99Us, fmtUs),
    spread(s.failureRate, pct),
    fixed(s.efficiency),
    gain,
    cores(s),
    s.cpu.map((c) => `${c.role} ${c.processes} x ${Math.round(c.perProcessPercent)}`).join(', ') || '-',
  ];
}

function heading(r: ScalingResult): string {
  const predict = r.n === undefined ? `${r.predict} predict` : `${r.predict} predict (n = ${r.n.toExponential(0).replace('+', '')})`;
  return (
    `${r.description}; ${predict}, ${r.connections} connections at every step, ${r.hostCores} host cores. ` +
    `Efficiency = rps(k) / ((k / k0) x rps(k0)), 1 = linear; a step pays when it adds at least ${Math.round(r.paysAbove * 100)}% of the linear gain.`
  );
}

function sweepTitle(w: ScalingSweep): string {
  return `${w.kind} sweep: ${w.description} (${w.counts.join(', ')})`;
}

/** The scaling part of the terminal rendering (empty when the run had none). */
export function scalingTerminal(d: LoadData): string[] {
  const r = d.scaling;
  if (r === undefined) return [];
  const out = ['', `scaling: ${heading(r)}`];
  for (const w of r.sweeps) {
    out.push('', sweepTitle(w));
    if (w.steps.length > 0) out.push(...textTable(HEAD, w.steps.map(row), { rule: true, align: ALIGN }));
    out.push(`finding: ${w.finding}`);
  }
  return out;
}

/** The scaling part of the Markdown rendering (empty when the run had none). */
export function scalingMarkdown(d: LoadData): string[] {
  const r = d.scaling;
  if (r === undefined) return [];
  const out = ['', '#### Scaling: throughput over model servers (seeds 001 and 002)', '', `${heading(r)}`];
  for (const w of r.sweeps) {
    out.push('', `**${sweepTitle(w)}**`);
    if (w.steps.length > 0) out.push('', mdTable(HEAD, w.steps.map(row), ALIGN));
    out.push('', `Finding: ${w.finding}`);
  }
  return out;
}
