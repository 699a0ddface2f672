// The experiments' parts of a load report: the Redis queue with model workers (queue-workers) and the
// emulated autoscaler (autoscale), as rows and lines the terminal and Markdown renderers of load.ts lay out.

import type { AutoscaleConfigResult, AutoscaleResult, QueueWorkersResult } from '../results/experiments.js';
import type { LoadData, LoadSummary } from '../results/load.js';
import { faultsMarkdown, faultsTerminal } from './faults.js';
import { formatNumber as fmtNum, formatSpread as spread, formatUs as fmtUs, sharePercent as pct } from './format.js';
import { scalingMarkdown, scalingTerminal } from './scaling.js';
import { batchingMarkdown, batchingTerminal } from './load-batching.js';
import { mdTable, textTable } from './tables.js';

type Row = string[];

/** queue-workers: depth of the jobs list and the workers' busy share, per configuration and step. */
function queueRows(d: LoadData, q: QueueWorkersResult): Row[] {
  return q.depth.map((x) => {
    const sum: LoadSummary | undefined = d.summaries.find((s) => s.configId === x.configId && s.scenario === 'queue-workers' && s.step === x.step);
    return [
      x.configId,
      x.step,
      sum === undefined ? '-' : spread(sum.rps, fmtNum),
      sum === undefined ? '-' : spread(sum.latencyP99Us, fmtUs),
      sum === undefined ? '-' : spread(sum.failureRate, pct),
      spread(x.meanDepth, fmtNum),
      spread(x.maxDepth, fmtNum),
      spread(x.busyShare, pct),
    ];
  });
}
const QUEUE_HEAD: Row = ['configuration', 'step', 'rps', 'p99', 'failed', 'jobs waiting (mean)', 'jobs waiting (max)', 'workers busy'];

function replicasCell(r: { desired: number; ready: number } | undefined): string {
  if (r === undefined) return '-';
  return r.desired === r.ready ? `${r.ready}` : `${r.ready}->${r.desired}`;
}

/** autoscale: per phase, each system. */
function autoscalePhaseRows(a: AutoscaleResult): Row[] {
  const rows: Row[] = [];
  for (const c of a.configurations) {
    if (c.state !== 'completed') {
      rows.push([c.configId, c.state, c.reason ?? c.error?.message ?? '', '', '', '', '', '']);
      continue;
    }
    for (const p of c.phases) {
      rows.push([
        c.phases[0] === p ? c.configId : '',
        p.phase,
        fmtNum(p.offeredRps),
        fmtNum(p.rps),
        p.p50Us > 0 ? fmtUs(p.p50Us) : '-',
        p.p99Us > 0 ? fmtUs(p.p99Us) : '-',
        String(p.failures),
        Object.entries(p.replicas)
          .map(([svc, r]) => `${svc.replace('model-', '')} ${fmtNum(r.mean)} (max ${r.max})`)
          .join(', '),
      ]);
    }
  }
  return rows;
}
const AUTOSCALE_PHASE_HEAD: Row = ['system', 'phase', 'offered/s', 'rps', 'p50', 'p99 (worst second)', 'failed', 'replicas serving: mean (max)'];

/** One system's cells of a second: rps, p99, failures, and for the autoscaled one its replicas and utilization. */
function secondCells(c: AutoscaleConfigResult, i: number, withReplicas: boolean): Row {
  const r = c.timeline[i];
  if (r === undefined) return withReplicas ? ['-', '-', '-', '-', '-', '-', '-'] : ['-', '-', '-'];
  const out = [String(r.rps), r.p99Us > 0 ? fmtUs(r.p99Us) : '-', String(r.failures)];
  if (withReplicas) {
    const u = (x: number | null | undefined) => (x === null || x === undefined ? '-' : x.toFixed(2));
    out.push(replicasCell(r.replicas['model-a']), replicasCell(r.replicas['model-b']), u(r.utilization['model-a']), u(r.utilization['model-b']));
  }
  return out;
}

/** autoscale: one row per second, the autoscaled system beside the fixed one. */
function autoscaleTimelineRows(a: AutoscaleResult): { head: Row; rows: Row[] } {
  const auto = a.configurations.find((c) => c.mode === 'autoscaled' && c.state === 'completed');
  const fixed = a.configurations.find((c) => c.mode === 'fixed' && c.state === 'completed');
  const base = auto ?? fixed;
  const head: Row = ['s', 'phase', 'offered'];
  if (auto !== undefined) head.push('hpa rps', 'p99', 'fail', 'replicas A', 'B', 'util A', 'B');
  if (fixed !== undefined) head.push('fixed rps', 'p99', 'fail');
  if (base === undefined) return { head, rows: [] };
  const rows = base.timeline.map((t, i) => {
    const row: Row = [String(t.second), t.phase, String(t.offered)];
    if (auto !== undefined) row.push(...secondCells(auto, i, true));
    if (fixed !== undefined) row.push(...secondCells(fixed, i, false));
    return row;
  });
  return { head, rows };
}

/** autoscale: the replica changes, as one line each. */
function autoscaleEvents(a: AutoscaleResult): string[] {
  const out: string[] = [];
  for (const c of a.configurations) {
    if (c.mode !== 'autoscaled') continue;
    let last: Record<string, number> = {};
    for (const dcs of c.decisions) {
      const prev = last[dcs.service] ?? dcs.currentReplicas;
      if (dcs.desired !== dcs.currentReplicas && dcs.desired !== prev) {
        const utilization = dcs.utilization === null ? '-' : dcs.utilization.toFixed(2);
        out.push(
          `${(dcs.atMs / 1000).toFixed(1)} s  ${dcs.service}: ${dcs.currentReplicas} -> ${dcs.desired} replicas (utilization ${utilization}; ${dcs.reason})`,
        );
      }
      last = { ...last, [dcs.service]: dcs.desired };
    }
    for (const e of c.replicaEvents) if (e.kind === 'failed') out.push(`${(e.atMs / 1000).toFixed(1)} s  ${e.service}: ${e.message}`);
  }
  return out;
}

function autoscaleSummaryLines(a: AutoscaleResult): string[] {
  const lines = [`NOTE: ${a.emulation}.`, `profile: ${a.profile.map((p) => `${p.name} ${p.fromRps}->${p.toRps}/s over ${p.durationMs / 1000} s`).join(', ')}`];
  for (const c of a.configurations) {
    if (c.state !== 'completed') continue;
    const rs = Object.entries(c.replicaSeconds)
      .map(([svc, v]) => `${svc} ${v}`)
      .join(', ');
    const controller =
      c.autoscaler === null
        ? ''
        : `; controller ${Object.entries(c.autoscaler)
            .map(([k, v]) => `${k} ${String(v)}`)
            .join(', ')}`;
    lines.push(`${c.configId}: replica-seconds ${rs}${controller}`);
  }
  if (a.hold !== null) {
    const failures = Object.entries(a.hold.failures)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    lines.push(`hold phase, autoscaled / fixed: rps x${a.hold.rpsRatio ?? '-'}, worst-second p99 x${a.hold.p99Ratio ?? '-'}; failures ${failures}`);
  }
  if (a.skipped !== undefined) lines.push(`skipped: ${a.skipped}`);
  return lines;
}

const table = (head: Row, rows: Row[]) => textTable(head, rows, { rule: true }).join('\n');

/** The experiments' part of the terminal rendering (empty when the run had none). */
export function experimentsTerminal(d: LoadData): string[] {
  const out: string[] = [];
  if (d.queueWorkers !== undefined) {
    const q = d.queueWorkers;
    out.push(
      '',
      `queue-workers: ${q.description} (deadline ${q.queueTimeoutMs} ms; jobs waiting = LLEN of the jobs list; busy = share of time a worker held a job)`,
    );
    if (q.skipped !== undefined) out.push(`skipped: ${q.skipped}`);
    else out.push(table(QUEUE_HEAD, queueRows(d, q)));
  }
  if (d.autoscale !== undefined) {
    const a = d.autoscale;
    out.push('', `autoscale: ${a.description}`, ...autoscaleSummaryLines(a));
    const ph = autoscalePhaseRows(a);
    if (ph.length > 0) out.push('', table(AUTOSCALE_PHASE_HEAD, ph));
    const tl = autoscaleTimelineRows(a);
    if (tl.rows.length > 0)
      out.push(
        '',
        'per second (replicas serving, ->asked for when they differ; util = mean event-loop utilization the controller saw; latency by scheduled second)',
        table(tl.head, tl.rows),
      );
    const ev = autoscaleEvents(a);
    if (ev.length > 0) out.push('', 'scaling decisions', ...ev);
  }
  out.push(...faultsTerminal(d.faults));
  out.push(...scalingTerminal(d));
  if (d.batching !== undefined) out.push(...batchingTerminal(d.batching));
  return out;
}

/** The experiments' part of the Markdown rendering (empty when the run had none). */
export function experimentsMarkdown(d: LoadData): string[] {
  const out: string[] = [];
  if (d.queueWorkers !== undefined) {
    const q = d.queueWorkers;
    out.push(
      '',
      '#### Queue workers: a Redis queue in front of 1 vs 2 model workers',
      '',
      `${q.description}. Deadline ${q.queueTimeoutMs} ms per request; jobs waiting = LLEN of the jobs list sampled during each window; ` +
        'busy = share of time a worker held a job.',
    );
    if (q.skipped !== undefined) out.push('', `Skipped: ${q.skipped}`);
    else out.push('', mdTable(QUEUE_HEAD, queueRows(d, q)));
  }
  if (d.autoscale !== undefined) {
    const a = d.autoscale;
    out.push('', '#### Autoscaling: an emulated HPA over model-server replicas', '', ...autoscaleSummaryLines(a).map((l) => `- ${l}`));
    const ph = autoscalePhaseRows(a);
    if (ph.length > 0) out.push('', mdTable(AUTOSCALE_PHASE_HEAD, ph));
    const tl = autoscaleTimelineRows(a);
    if (tl.rows.length > 0)
      out.push(
        '',
        'Per second (replicas serving, `->` asked for when they differ; util = mean event-loop utilization the controller saw):',
        '',
        mdTable(tl.head, tl.rows),
      );
    const ev = autoscaleEvents(a);
    if (ev.length > 0) out.push('', 'Scaling decisions:', '', ...ev.map((e) => `- ${e}`));
  }
  out.push(...faultsMarkdown(d.faults));
  out.push(...scalingMarkdown(d));
  if (d.batching !== undefined) out.push(...batchingMarkdown(d.batching));
  return out;
}
