// Renderers of the load suite's data: a terminal table and Markdown. Both read only LoadData, so a saved
// load.json can be rendered again without measuring.

import { mean } from '../stats/index.js';
import type { Spread } from '../results/common.js';
import type { LoadData, LoadRun, LoadSummary } from '../results/load.js';
import type { AutoscaleConfigResult, AutoscaleResult, QueueWorkersResult } from '../results/experiments.js';

type Row = string[];

function fmtUs(us: number): string {
  if (!Number.isFinite(us)) return '-';
  if (us >= 1_000_000) return `${(us / 1e6).toFixed(2)} s`;
  if (us >= 10_000) return `${(us / 1000).toFixed(0)} ms`;
  if (us >= 1000) return `${(us / 1000).toFixed(1)} ms`;
  return `${Math.round(us)} us`;
}

function fmtNum(x: number): string {
  if (!Number.isFinite(x)) return '-';
  if (Math.abs(x) >= 100) return x.toFixed(0);
  if (Math.abs(x) >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/** "median (min..max)" or just the median for one repeat. */
function spread(s: Spread, f: (x: number) => string): string {
  if (s.repeats === 0) return '-';
  if (s.repeats === 1) return f(s.median);
  return `${f(s.median)} (${f(s.min)}..${f(s.max)})`;
}

function pct(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(x > 0 && x < 0.1 ? 1 : 0)}%` : '-';
}

function summaryRow(s: LoadSummary): Row {
  return [
    s.configId,
    s.scenario,
    s.step,
    spread(s.rps, fmtNum),
    spread(s.latencyP50Us, fmtUs),
    spread(s.latencyP99Us, fmtUs),
    spread(s.failureRate, pct),
    s.littlesLawRatio === undefined ? '-' : spread(s.littlesLawRatio, pct),
    `${s.validRepeats}/${s.repeats}`,
  ];
}

const SUMMARY_HEAD: Row = ['configuration', 'scenario', 'step', 'rps', 'p50', 'p99', 'failed', "Little's law", 'valid'];

function table(head: Row, rows: Row[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: Row) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function mdTable(head: Row, rows: Row[]): string {
  const esc = (c: string) => c.replaceAll('|', '\\|');
  return [`| ${head.map(esc).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

interface Sections {
  summary: { head: Row; rows: Row[] };
  configurations: { head: Row; rows: Row[] };
  ramps: { head: Row; rows: Row[] };
  stresses: { head: Row; rows: Row[] };
  goals: { head: Row; rows: Row[] };
  comparisons: { head: Row; rows: Row[] };
  servers: { head: Row; rows: Row[] };
  notes: string[];
}

type CompletedRun = Extract<LoadRun, { state: 'completed' }>;

/** Per configuration, the run whose server view is shown: the first sustained run, else its last run. */
function serverViewRuns(d: LoadData): CompletedRun[] {
  const out: CompletedRun[] = [];
  for (const c of d.configurations) {
    const runs = d.runs.filter((r): r is CompletedRun => r.configId === c.id && r.state === 'completed');
    const pick = runs.find((r) => r.scenario === 'sustained') ?? runs[runs.length - 1];
    if (pick !== undefined) out.push(pick);
  }
  return out;
}

/** One row per configuration and process role: CPU summed over the role's processes, the rest per process. */
function serverRows(d: LoadData): Row[] {
  const rows: Row[] = [];
  for (const r of serverViewRuns(d)) {
    const roles = new Map<string, typeof r.servers>();
    for (const s of r.servers) roles.set(s.role, [...(roles.get(s.role) ?? []), s]);
    const t = r.serverTimingUs;
    const timing =
      t === undefined
        ? ''
        : `per request: feature ${fmtUs(t.featureRead)}, model A ${fmtUs(t.modelA)}, model B ${fmtUs(t.modelB)}, total ${fmtUs(t.total)}${t.queue > 0 ? `, queued ${fmtUs(t.queue)}` : ''}`;
    const timingRole = roles.has('scoring') ? 'scoring' : [...roles.keys()].find((k) => k.startsWith('scoring'));
    let first = true;
    for (const [role, procs] of roles) {
      const cpu = procs.reduce((a, s) => a + (s.cpuPercent?.mean ?? 0), 0);
      const elu = procs.flatMap((s) => (s.eventLoopUtilization === null ? [] : [s.eventLoopUtilization.mean]));
      const delay = procs.flatMap((s) => (s.eventLoopDelayP99Us === null ? [] : [s.eventLoopDelayP99Us.max]));
      const rss = Math.max(0, ...procs.map((s) => s.rssBytes?.max ?? 0));
      rows.push([
        first ? `${r.configId} (${r.scenario} ${r.step.label})` : '',
        `${role}${procs.length > 1 ? ` x${procs.length}` : ''}`,
        `${cpu.toFixed(0)}%`,
        elu.length === 0 ? '-' : mean(elu).toFixed(2),
        delay.length === 0 ? '-' : fmtUs(Math.max(...delay)),
        `${(rss / 1048576).toFixed(0)} MB`,
        role === timingRole ? timing : '',
      ]);
      first = false;
    }
  }
  return rows;
}

function sections(d: LoadData): Sections {
  const configRows = d.configurations.map((c) => [
    c.id,
    c.state,
    c.state === 'skipped'
      ? (c.reason ?? '')
      : c.state === 'errored'
        ? (c.error?.message ?? '')
        : `${c.processes?.length ?? 0} processes${c.store ? `, store ${c.store.kind}` : ''}${c.startupMs ? `, start ${c.startupMs.map((x) => `${x} ms`).join('/')}` : ''}`,
  ]);
  const rampRows = d.ramps.map((r) => [
    r.configId,
    `r${r.repeat}`,
    r.breakingPoint === null
      ? 'none'
      : `${r.breakingPoint.loadUnit === 'connections' ? 'c=' : ''}${r.breakingPoint.load}${r.breakingPoint.loadUnit === 'rps' ? '/s' : ''}`,
    r.breakingPoint === null ? '-' : fmtNum(r.breakingPoint.rps),
    r.breakingPoint === null ? '-' : fmtUs(r.breakingPoint.p99Us),
    r.stoppedBecause,
  ]);
  const stressRows = d.stresses.map((s) => [
    s.configId,
    `r${s.repeat}`,
    `${s.overloadLoad}${s.loadUnit === 'rps' ? '/s' : ' conn'} then ${s.baselineLoad}`,
    s.overloadFailures === null
      ? '-'
      : `${s.overloadFailures.total} (err ${s.overloadFailures.byKind.errors}, timeout ${s.overloadFailures.byKind.timeouts}, non2xx ${s.overloadFailures.byKind.non2xx}, reset ${s.overloadFailures.byKind.resets})`,
    s.recovered === null ? 'unknown' : s.recovered ? `${s.recoveryMs} ms` : 'not within the recovery phase',
    s.thresholdP99Us === null ? '-' : `p99 <= ${fmtUs(s.thresholdP99Us)}`,
  ]);
  const goalRows = d.goals.map((g) => [
    g.id,
    g.measured === null ? '-' : spread(g.measured, fmtNum),
    g.target,
    g.met === null ? 'unknown' : g.met ? 'met' : 'NOT met',
    g.detail,
  ]);
  const comparisonRows = d.comparisons.map((c) => [
    c.id,
    `${c.numerator} / ${c.denominator}`,
    c.perRepeat.length === 0 ? '-' : spread(c.ratio, fmtNum),
    c.perRepeat.map((x) => fmtNum(x)).join(', ') || '-',
    c.target.min !== undefined
      ? `>= ${c.target.min}`
      : c.target.approx !== undefined
        ? `${c.target.approx} +- ${Math.round((c.target.tolerance ?? 0.1) * 100)}%`
        : '-',
    c.met === null ? 'unknown' : c.met ? 'met' : 'NOT met',
  ]);
  const notes: string[] = [];
  const res = new Set<string>();
  for (const r of d.runs)
    if (r.state === 'completed')
      res.add(r.latencyResolution.resolutionUs === 1 ? 'microseconds' : `${r.latencyResolution.resolutionUs} us (whole milliseconds, autocannon workers)`);
  if (res.size > 0) notes.push(`latency resolution: ${[...res].join(', ')}`);
  notes.push(`open-file limit: ${d.fdLimit.soft} soft / ${d.fdLimit.hard} hard (${d.fdLimit.note})`);
  for (const f of d.flags) notes.push(`${f.kind}: ${f.subject}: ${f.message}`);
  if (d.interrupted) notes.unshift('INTERRUPTED: partial results');
  return {
    summary: { head: SUMMARY_HEAD, rows: d.summaries.map(summaryRow) },
    configurations: { head: ['configuration', 'state', 'detail'], rows: configRows },
    ramps: { head: ['configuration', 'round', 'breaking point', 'rps', 'p99', 'ramp stopped because'], rows: rampRows },
    stresses: { head: ['configuration', 'round', 'overload', 'failures in overload', 'latency recovered after', 'recovered when'], rows: stressRows },
    goals: { head: ['goal', 'measured (median, min..max)', 'target', 'verdict', 'detail'], rows: goalRows },
    comparisons: { head: ['ratio', 'of rps', 'median (min..max)', 'per round', 'target', 'verdict'], rows: comparisonRows },
    servers: { head: ['configuration (run)', 'process role', 'CPU', 'ELU', 'loop delay p99', 'RSS max', "scoring's own timing"], rows: serverRows(d) },
    notes,
  };
}

/** queue-workers: depth of the jobs list and the workers' busy share, per configuration and step. */
function queueRows(d: LoadData, q: QueueWorkersResult): Row[] {
  return q.depth.map((x) => {
    const sum = d.summaries.find((s) => s.configId === x.configId && s.scenario === 'queue-workers' && s.step === x.step);
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
    const cell = (c: AutoscaleConfigResult, withReplicas: boolean) => {
      const r = c.timeline[i];
      if (r === undefined) return withReplicas ? ['-', '-', '-', '-', '-', '-', '-'] : ['-', '-', '-'];
      const out = [String(r.rps), r.p99Us > 0 ? fmtUs(r.p99Us) : '-', String(r.failures)];
      if (withReplicas) {
        const u = (x: number | null | undefined) => (x === null || x === undefined ? '-' : x.toFixed(2));
        out.push(replicasCell(r.replicas['model-a']), replicasCell(r.replicas['model-b']), u(r.utilization['model-a']), u(r.utilization['model-b']));
      }
      return out;
    };
    if (auto !== undefined) row.push(...cell(auto, true));
    if (fixed !== undefined) row.push(...cell(fixed, false));
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
        out.push(
          `${(dcs.atMs / 1000).toFixed(1)} s  ${dcs.service}: ${dcs.currentReplicas} -> ${dcs.desired} replicas (utilization ${dcs.utilization === null ? '-' : dcs.utilization.toFixed(2)}; ${dcs.reason})`,
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
    lines.push(`${c.configId}: replica-seconds ${rs}${c.autoscaler === null ? '' : `; controller ${JSON.stringify(c.autoscaler)}`}`);
  }
  if (a.hold !== null) {
    lines.push(
      `hold phase, autoscaled / fixed: rps x${a.hold.rpsRatio ?? '-'}, worst-second p99 x${a.hold.p99Ratio ?? '-'}; failures ${Object.entries(a.hold.failures)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
  }
  if (a.skipped !== undefined) lines.push(`skipped: ${a.skipped}`);
  return lines;
}

/** The terminal rendering: plain text tables. */
export function renderLoadTerminal(d: LoadData): string {
  const s = sections(d);
  const out: string[] = [];
  out.push(
    `load: ${d.options.scenarios.join(', ')} · engine ${d.options.engine} · ${d.options.repeats} round(s)${d.options.quick ? ' · quick' : ''} · ${(d.durationMs / 1000).toFixed(0)} s`,
  );
  out.push('');
  out.push(table(s.configurations.head, s.configurations.rows));
  if (s.summary.rows.length > 0)
    out.push('', 'medians over valid repeats (min..max); latency p50/p99; failed = share of requests', table(s.summary.head, s.summary.rows));
  if (s.servers.rows.length > 0) out.push('', 'inside the servers (CPU summed over processes of a role, % of one core)', table(s.servers.head, s.servers.rows));
  if (s.ramps.rows.length > 0) out.push('', 'ramp', table(s.ramps.head, s.ramps.rows));
  if (s.stresses.rows.length > 0) out.push('', 'stress', table(s.stresses.head, s.stresses.rows));
  if (s.comparisons.rows.length > 0) out.push('', 'ratios (paired within each round)', table(s.comparisons.head, s.comparisons.rows));
  if (s.goals.rows.length > 0) out.push('', 'goals', table(s.goals.head, s.goals.rows));
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
  if (s.notes.length > 0) out.push('', ...s.notes.map((n) => `- ${n}`));
  return `${out.join('\n')}\n`;
}

/** The Markdown rendering, for the README and reports. */
export function renderLoadMarkdown(d: LoadData): string {
  const s = sections(d);
  const out: string[] = [];
  out.push(`### Load: ${d.options.scenarios.join(', ')}`);
  out.push('');
  out.push(
    `Engine ${d.options.engine}, ${d.options.repeats} interleaved round(s)${d.options.quick ? ' (quick)' : ''}, ${(d.durationMs / 1000).toFixed(0)} s in all. Figures are medians over valid repeats, with min..max.`,
  );
  out.push('', mdTable(s.configurations.head, s.configurations.rows));
  if (s.summary.rows.length > 0) out.push('', mdTable(s.summary.head, s.summary.rows));
  if (s.servers.rows.length > 0)
    out.push(
      '',
      '#### Inside the servers',
      '',
      'CPU summed over the processes of a role (% of one core); event-loop utilization and delay from the processes themselves.',
      '',
      mdTable(s.servers.head, s.servers.rows),
    );
  if (s.ramps.rows.length > 0) out.push('', '#### Ramp', '', mdTable(s.ramps.head, s.ramps.rows));
  if (s.stresses.rows.length > 0) out.push('', '#### Stress', '', mdTable(s.stresses.head, s.stresses.rows));
  if (s.comparisons.rows.length > 0) out.push('', '#### Ratios (paired within each round)', '', mdTable(s.comparisons.head, s.comparisons.rows));
  if (s.goals.rows.length > 0) out.push('', '#### Goals', '', mdTable(s.goals.head, s.goals.rows));
  if (d.queueWorkers !== undefined) {
    const q = d.queueWorkers;
    out.push(
      '',
      '#### Queue workers (seed 001)',
      '',
      `${q.description}. Deadline ${q.queueTimeoutMs} ms per request; jobs waiting = LLEN of the jobs list sampled during each window; busy = share of time a worker held a job.`,
    );
    if (q.skipped !== undefined) out.push('', `Skipped: ${q.skipped}`);
    else out.push('', mdTable(QUEUE_HEAD, queueRows(d, q)));
  }
  if (d.autoscale !== undefined) {
    const a = d.autoscale;
    out.push('', '#### Autoscaling (seed 002, emulated HPA)', '', ...autoscaleSummaryLines(a).map((l) => `- ${l}`));
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
  if (s.notes.length > 0) out.push('', ...s.notes.map((n) => `- ${n}`));
  return `${out.join('\n')}\n`;
}
