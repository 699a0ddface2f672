// Renderers of the load suite's data: a terminal table and Markdown. Both read only LoadData, so a saved
// load.json can be rendered again without measuring.

import type { LoadConfiguration, LoadData, LoadRun, LoadSummary } from '../results/load.js';
import { modelLabel, modelLines } from './load-model.js';
import { mean } from '../stats/index.js';
import { formatNumber as fmtNum, formatSpread as spread, formatUs as fmtUs, sharePercent as pct } from './format.js';
import { plainWords } from './citations.js';
import { concurrencyMarkdown, concurrencyTerminal } from './concurrency.js';
import { experimentsMarkdown, experimentsTerminal } from './load-experiments.js';
import { mdTable, textTable } from './tables.js';

type Row = string[];

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

const table = (head: Row, rows: Row[]) => textTable(head, rows, { rule: true }).join('\n');

interface Sections {
  summary: { head: Row; rows: Row[] };
  configurations: { head: Row; rows: Row[] };
  ramps: { head: Row; rows: Row[] };
  stresses: { head: Row; rows: Row[] };
  goals: { head: Row; rows: Row[] };
  comparisons: { head: Row; rows: Row[] };
  servers: { head: Row; rows: Row[]; details: string[] };
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

/** The error answers of a role's processes in the window, by their own count, e.g. 'errors: 500 model_failed x12'. */
function errorAnswers(procs: readonly { errorCodes?: Record<string, number> }[]): string {
  const sum = new Map<string, number>();
  for (const p of procs) for (const [code, n] of Object.entries(p.errorCodes ?? {})) sum.set(code, (sum.get(code) ?? 0) + n);
  if (sum.size === 0) return '';
  return `errors: ${[...sum].map(([code, n]) => `${code} x${n}`).join(', ')}`;
}

/**
 * One row per configuration and process role: CPU summed over the role's processes, the rest per process; and
 * the scoring processes' own timing and the error answers as lines (Markdown puts them under the table).
 */
function serverRows(d: LoadData): { rows: Row[]; details: string[] } {
  const rows: Row[] = [];
  const details: string[] = [];
  for (const r of serverViewRuns(d)) {
    const roles = new Map<string, typeof r.servers>();
    for (const s of r.servers) roles.set(s.role, [...(roles.get(s.role) ?? []), s]);
    const t = r.serverTimingUs;
    const timing =
      t === undefined
        ? ''
        : `per request: feature ${fmtUs(t.featureRead)}, model A ${fmtUs(t.modelA)}, model B ${fmtUs(t.modelB)}, total ${fmtUs(t.total)}` +
          `${t.queue > 0 ? `, queued ${fmtUs(t.queue)}` : ''}`;
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
        [role === timingRole ? timing : '', errorAnswers(procs)].filter((x) => x !== '').join('; '),
      ]);
      if (role === timingRole && timing !== '') details.push(`${r.configId} (${r.scenario} ${r.step.label}), ${role}: ${timing}`);
      const errors = errorAnswers(procs);
      if (errors !== '') details.push(`${r.configId} (${r.scenario} ${r.step.label}), ${role}: ${errors}`);
      first = false;
    }
  }
  return { rows, details };
}

/** A configuration's row: id, state, detail, and the model it ran when any configuration ran one. */
function configRow(c: LoadConfiguration, withModel: boolean): Row {
  const command = c.command === undefined ? '' : `started \`${c.command.join(' ')}\`, `;
  const ran =
    `${command}${c.processes?.length ?? 0} processes${c.store ? `, store ${c.store.kind}` : ''}` +
    `${c.startupMs ? `, start ${c.startupMs.map((x) => `${x} ms`).join('/')}` : ''}`;
  // A configuration that ran without one answer says so first: its row is not a result.
  const detail =
    c.state === 'skipped'
      ? (c.reason ?? '')
      : c.state === 'errored'
        ? (c.error?.message ?? '')
        : c.state === 'failed'
          ? `${c.reason ?? 'every request failed'}; ${ran}`
          : ran;
  if (!withModel) return [c.id, c.state, detail];
  const model = c.model === undefined ? '-' : `${modelLabel(c.model)}${c.modelB === undefined ? '' : `; model-b: ${modelLabel(c.modelB)}`}`;
  return [c.id, model, c.state, detail];
}

/** How a load report is drawn inside another (the run report). */
export interface LoadMarkdownOptions {
  /** List the run's flags among its notes (the run report lists every flag once, under Doubtful figures). @default true */
  flags?: boolean;
}

function sections(d: LoadData, options: LoadMarkdownOptions = {}): Sections {
  const withModel = d.configurations.some((c) => c.model !== undefined);
  const configRows = d.configurations.map((c) => configRow(c, withModel));
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
      : `${s.overloadFailures.total} (err ${s.overloadFailures.byKind.errors}, timeout ${s.overloadFailures.byKind.timeouts}, ` +
        `non2xx ${s.overloadFailures.byKind.non2xx}, reset ${s.overloadFailures.byKind.resets})`,
    s.recovered === null ? 'unknown' : s.recovered ? `${s.recoveryMs} ms` : 'not within the recovery phase',
    s.thresholdP99Us === null ? '-' : `p99 <= ${fmtUs(s.thresholdP99Us)}`,
  ]);
  // A goal that restates a comparison is said once, by the comparison (its ratio and spread).
  const compared = new Set(d.comparisons.map((c) => c.description));
  const goalRows = d.goals
    .filter((g) => !compared.has(g.description))
    .map((g) => [
      plainWords(g.description),
      g.measured === null ? '-' : spread(g.measured, fmtNum),
      g.target,
      g.met === null ? 'unknown' : g.met ? 'met' : 'NOT met',
      g.detail,
    ]);
  // The id in the table (it stays narrow); what each ratio compares, in words, under it.
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
  if (options.flags !== false) for (const f of d.flags) notes.push(`${f.kind}: ${f.subject}: ${plainWords(f.message)}`);
  if (d.interrupted) notes.unshift('INTERRUPTED: partial results');
  return {
    summary: { head: SUMMARY_HEAD, rows: d.summaries.map(summaryRow) },
    configurations: { head: withModel ? ['configuration', 'model', 'state', 'detail'] : ['configuration', 'state', 'detail'], rows: configRows },
    ramps: { head: ['configuration', 'round', 'breaking point', 'rps', 'p99', 'ramp stopped because'], rows: rampRows },
    stresses: { head: ['configuration', 'round', 'overload', 'failures in overload', 'latency recovered after', 'recovered when'], rows: stressRows },
    goals: { head: ['goal', 'measured (median, min..max)', 'target', 'verdict', 'detail'], rows: goalRows },
    comparisons: { head: ['ratio of rps', 'of', 'median (min..max)', 'per round', 'target', 'verdict'], rows: comparisonRows },
    servers: { head: ['configuration (run)', 'process role', 'CPU', 'ELU', 'loop delay p99', 'RSS max', 'own timing and error answers'], ...serverRows(d) },
    notes,
  };
}

/** What each ratio compares, in the project's own words: "queue-2-vs-1-workers: queue path, io predict, ...". */
function comparisonWords(d: LoadData): string[] {
  return d.comparisons.map((c) => `${c.id}: ${plainWords(c.description)}`);
}

/** "feature store: redis (redis-server 7.0.15 started by servebench ...)", or "feature store: embedded (no redis-server found: ...)". */
export function storeLine(d: LoadData): string | undefined {
  const fallback = d.options.store?.fallback;
  if (fallback !== undefined) return `feature store: embedded (${fallback})`;
  const store = d.configurations.find((c) => c.store !== undefined)?.store;
  if (store === undefined) return undefined;
  return `feature store: ${store.kind === 'redis' ? 'redis' : 'embedded'} (${store.detail})`;
}

/** The engine that ran and why, e.g. 'native (default)', 'open (fallback: native addon unavailable: <reason>)'. */
function engineLabel(d: LoadData): string {
  const { engine, engineChoice: c } = d.options;
  if (c === undefined) return engine;
  const n = c.generatorThreads;
  return `${engine} (${c.reason})${n === undefined ? '' : ` with ${n} load thread${n === 1 ? '' : 's'}`}`;
}

/** The terminal rendering: plain text tables. */
export function renderLoadTerminal(d: LoadData): string {
  const s = sections(d);
  const out: string[] = [];
  out.push(
    `load: ${d.options.scenarios.join(', ')} · engine ${engineLabel(d)} · ${d.options.repeats} round(s)${d.options.quick ? ' · quick' : ''} · ` +
      `${(d.durationMs / 1000).toFixed(0)} s`,
  );
  const store = storeLine(d);
  if (store !== undefined) out.push(store);
  out.push('');
  out.push(table(s.configurations.head, s.configurations.rows));
  const models = modelLines(d);
  if (models.length > 0) out.push('', ...models.map((l) => `model: ${l}`));
  if (s.summary.rows.length > 0)
    out.push('', 'medians over valid repeats (min..max); latency p50/p99; failed = share of requests', table(s.summary.head, s.summary.rows));
  if (s.servers.rows.length > 0) out.push('', 'inside the servers (CPU summed over processes of a role, % of one core)', table(s.servers.head, s.servers.rows));
  if (s.ramps.rows.length > 0) out.push('', 'ramp', table(s.ramps.head, s.ramps.rows));
  if (s.stresses.rows.length > 0) out.push('', 'stress', table(s.stresses.head, s.stresses.rows));
  if (s.comparisons.rows.length > 0) {
    out.push('', 'ratios (paired within each round)', table(s.comparisons.head, s.comparisons.rows), ...comparisonWords(d).map((l) => `  ${l}`));
  }
  if (s.goals.rows.length > 0) out.push('', 'goals', table(s.goals.head, s.goals.rows));
  out.push(...experimentsTerminal(d), ...concurrencyTerminal(d));
  if (s.notes.length > 0) out.push('', ...s.notes.map((n) => `- ${n}`));
  return `${out.join('\n')}\n`;
}

/** The Markdown rendering, for the README and reports. */
export function renderLoadMarkdown(d: LoadData, options: LoadMarkdownOptions = {}): string {
  const s = sections(d, options);
  const out: string[] = [];
  out.push(`### Load: ${d.options.scenarios.join(', ')}`);
  out.push('');
  out.push(
    `Engine ${engineLabel(d)}, ${d.options.repeats} interleaved round(s)${d.options.quick ? ' (quick)' : ''}, ` +
      `${(d.durationMs / 1000).toFixed(0)} s in all. Figures are medians over valid repeats, with min..max.`,
  );
  const store = storeLine(d);
  if (store !== undefined) out.push('', `${store.charAt(0).toUpperCase()}${store.slice(1)}.`);
  out.push('', mdTable(s.configurations.head, s.configurations.rows));
  const models = modelLines(d);
  if (models.length > 0) out.push('', ...models.map((l) => `- **model**: ${l}`));
  if (s.summary.rows.length > 0) out.push('', mdTable(s.summary.head, s.summary.rows));
  if (s.servers.rows.length > 0)
    out.push(
      '',
      '#### Inside the servers',
      '',
      'CPU summed over the processes of a role (% of one core); event-loop utilization and delay from the processes themselves.',
      '',
      mdTable(
        s.servers.head.slice(0, -1),
        s.servers.rows.map((r) => r.slice(0, -1)),
      ),
    );
  if (s.servers.details.length > 0) out.push('', ...s.servers.details.map((l) => `- ${l}`));
  if (s.ramps.rows.length > 0) out.push('', '#### Ramp', '', mdTable(s.ramps.head, s.ramps.rows));
  if (s.stresses.rows.length > 0) out.push('', '#### Stress', '', mdTable(s.stresses.head, s.stresses.rows));
  if (s.comparisons.rows.length > 0) {
    out.push('', '#### Ratios (paired within each round)', '', mdTable(s.comparisons.head, s.comparisons.rows), '', ...comparisonWords(d).map((l) => `- ${l}`));
  }
  if (s.goals.rows.length > 0) {
    out.push(
      '',
      '#### Goals',
      '',
      mdTable(
        s.goals.head.slice(0, -1),
        s.goals.rows.map((r) => r.slice(0, -1)),
      ),
      '',
    );
    out.push(...s.goals.rows.filter((r) => r[4] !== '').map((r) => `- ${r[0]}: ${r[4]}`));
  }
  out.push(...experimentsMarkdown(d), ...concurrencyMarkdown(d));
  if (s.notes.length > 0) out.push('', ...s.notes.map((n) => `- ${n}`));
  return `${out.join('\n')}\n`;
}
