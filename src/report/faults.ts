// The faults experiment's part of a load report: per fault what it cost (failures by kind and code, time to
// the first failure, time to recovery, restarts), the findings in plain words, and the per-second timeline
// with the faults and the system's events marked, as lines the terminal and Markdown renderers lay out.

import type { FaultOutcome, FaultsResult, FaultTimelineRow } from '../results/faults.js';
import type { FailureCounts } from '../results/load.js';
import { formatUs, percent } from './format.js';
import { mdTable, textTable } from './tables.js';

type Row = string[];

const secs = (ms: number | null) => (ms === null ? '-' : `${(ms / 1000).toFixed(1)} s`);
const msOrS = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

/** 'non2xx 12, resets 2' (the kinds that happened). */
function kindsText(f: FailureCounts): string {
  const parts = Object.entries(f.byKind)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`);
  return parts.length === 0 ? '-' : parts.join(', ');
}

function codesCell(codes: Record<string, number>): string {
  const parts = Object.entries(codes)
    .sort((a, b) => b[1] - a[1])
    .map(([c, n]) => `${c} x${n}`);
  return parts.length === 0 ? '-' : parts.join(', ');
}

function recoveryCell(o: FaultOutcome): string {
  if (o.state !== 'applied') return '-';
  if (o.recoveryMs === null) return 'not recovered';
  return o.recoveryMs === 0 ? 'within budget' : msOrS(o.recoveryMs);
}

function restartsCell(o: FaultOutcome): string {
  if (o.restarts.length === 0) return '-';
  return o.restarts.map((r) => `${r.process}${r.downMs === null ? '' : ` (down ${msOrS(r.downMs)})`}`).join(', ');
}

const FAULT_HEAD: Row = ['fault', 'applied at', 'requests', 'failed', 'by kind', 'codes', 'first failure', 'recovery', 'restarts'];

function faultRows(r: FaultsResult): Row[] {
  return r.faults.map((o) => {
    if (o.state !== 'applied') return [o.expression, o.state, '-', '-', '-', o.reason ?? '-', '-', '-', '-'];
    return [
      o.expression,
      secs(o.appliedAtMs),
      String(o.requests),
      String(o.failures.total),
      kindsText(o.failures),
      codesCell(o.failureCodes),
      o.firstFailureMs === null ? '-' : msOrS(o.firstFailureMs),
      recoveryCell(o),
      restartsCell(o),
    ];
  });
}

const TIMELINE_HEAD: Row = ['s', 'sent', 'ok', 'failed', 'by kind', 'p99', 'faults and events'];

function timelineRows(rows: readonly FaultTimelineRow[]): Row[] {
  return rows.map((t) => [
    String(t.second),
    String(t.sent),
    String(t.successes),
    String(t.failures.total),
    kindsText(t.failures),
    t.p99Us > 0 ? formatUs(t.p99Us) : '-',
    [...t.faults.map((f) => `FAULT ${f}`), ...t.events].join('; '),
  ]);
}

function headline(r: FaultsResult): string {
  return (
    `${r.configId}, ${r.rateRps} requests/s (open loop), window ${secs(r.windowMs)}; ` +
    `recovered = the first 1-second span of requests (by send time) back within the error budget (${percent(r.errorBudget, 1)})`
  );
}

/** The faults experiment in the terminal (empty when the run had none). */
export function faultsTerminal(r: FaultsResult | undefined): string[] {
  if (r === undefined) return [];
  const out = ['', `faults: ${r.description}`, headline(r)];
  if (r.skipped !== undefined) out.push(`skipped: ${r.skipped}`);
  if (r.faults.length > 0) out.push(textTable(FAULT_HEAD, faultRows(r), { rule: true }).join('\n'));
  if (r.findings.length > 0) out.push('', 'findings', ...r.findings.map((f) => `- ${f}`));
  if (r.timeline.length > 0) out.push('', 'per second (by send time)', textTable(TIMELINE_HEAD, timelineRows(r.timeline), { rule: true }).join('\n'));
  return out;
}

/** The faults experiment in Markdown (empty when the run had none). */
export function faultsMarkdown(r: FaultsResult | undefined): string[] {
  if (r === undefined) return [];
  const out = ['', '#### Faults under load', '', `${r.description}: ${headline(r)}.`];
  if (r.skipped !== undefined) out.push('', `Skipped: ${r.skipped}`);
  if (r.faults.length > 0) out.push('', mdTable(FAULT_HEAD, faultRows(r)));
  if (r.findings.length > 0) out.push('', 'Findings:', '', ...r.findings.map((f) => `- ${f}`));
  if (r.timeline.length > 0) out.push('', 'Per second (by send time):', '', mdTable(TIMELINE_HEAD, timelineRows(r.timeline)));
  return out;
}
