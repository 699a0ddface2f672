// The high-concurrency experiment's renderers (one process vs a pool behind nginx, both paths, up to the
// open-file limit): a table per step with failures by kind, median and mean latency, throughput and CPU,
// the widest detail (error codes, CPU per process role) as a list under it; terminal and Markdown.

import type { HighConcurrencyResult, HighConcurrencyRow } from '../results/experiments.js';
import type { LoadData } from '../results/load.js';
import { count, formatNumber, formatUs, percent } from './format.js';
import { type Align, mdTable, textTable } from './tables.js';

type Row = string[];

/** "sync · single", "async · nginx x2". */
export function configLabel(r: Pick<HighConcurrencyRow, 'path' | 'topology' | 'workers'>): string {
  return `${r.path} · ${r.topology}${r.topology === 'single' ? '' : ` x${r.workers}`}`;
}

const HEAD: Row = ['configuration', 'connections', 'answered/s', 'failed', 'non-2xx', 'resets', 'errors', 'timeouts', 'p50', 'mean', 'mean wait', 'CPU, cores'];
const ALIGN: Align[] = ['left', ...HEAD.slice(1).map((): Align => 'right')];

function tableRow(r: HighConcurrencyRow, first: boolean): Row {
  const label = first ? configLabel(r) : '';
  if (r.state !== 'completed') return [label, count(r.connections), r.state, '-', '-', '-', '-', '-', '-', '-', '-', '-'];
  const f = r.failures;
  const lat = r.latencyUs;
  const cpu = r.cpu === null ? '-' : `${(r.cpu.serverCores + r.cpu.generatorCores).toFixed(2)}`;
  return [
    label,
    count(r.connections),
    formatNumber(r.rps),
    percent(r.failureRate, r.failureRate !== null && r.failureRate > 0 && r.failureRate < 0.01 ? 1 : 0),
    count(f.non2xx),
    count(f.resets),
    count(f.errors),
    count(f.timeouts),
    lat === null ? '-' : formatUs(lat.p50),
    lat === null ? '-' : formatUs(lat.mean),
    r.littleWaitUs === null ? '-' : formatUs(r.littleWaitUs),
    cpu,
  ];
}

function rows(hc: HighConcurrencyResult): Row[] {
  return hc.rows.map((r, i) => tableRow(r, i === 0 || hc.rows[i - 1]!.configId !== r.configId));
}

/** Under the table: per run, the error codes, the CPU by process role, and a broken validity rule. */
function detailLines(hc: HighConcurrencyResult): string[] {
  const out: string[] = [];
  for (const r of hc.rows) {
    const head = `${configLabel(r)} at ${count(r.connections)} connections`;
    if (r.state !== 'completed') {
      out.push(`${head}: ${r.state}${r.reason === undefined ? '' : ` (${r.reason})`}`);
      continue;
    }
    const codes = Object.entries(r.failureCodes)
      .sort((a, b) => b[1] - a[1])
      .map(([c, n]) => `${c} ${count(n)}`)
      .join(', ');
    const cpu =
      r.cpu === null
        ? ''
        : `CPU ${r.cpu.byRole.map((x) => `${x.role}${x.processes > 1 ? ` x${x.processes}` : ''} ${x.cpuPercent.toFixed(0)}%`).join(', ')}, ` +
          `load generator ${(r.cpu.generatorCores * 100).toFixed(0)}%`;
    const parts = [codes === '' ? '' : `failures ${codes}`, cpu, r.invalid.length > 0 ? `invalid: ${r.invalid.join('; ')}` : ''].filter((p) => p !== '');
    out.push(`${head}: ${parts.join('; ')}`);
  }
  return out;
}

function intro(hc: HighConcurrencyResult, d: LoadData): string[] {
  const t = hc.timing;
  const store = d.configurations.find((c) => c.store !== undefined)?.store;
  const engine = d.runs.find((r) => r.scenario === 'high-concurrency')?.load.engine ?? d.options.engine;
  return [
    `${hc.description}: ${hc.predict} predict, ${hc.cores} usable cores, ${hc.workers} worker processes per service in a pool, ` +
      `connections ${hc.connections.map(count).join(', ')}.`,
    `Steps: ${hc.ceiling.note}.`,
    `Each system started once per round, its steps going up: a warm-up of ${(t.warmupMs / 1000).toFixed(1)} s, then a window of ` +
      `${(t.durationMs / 1000).toFixed(1)} s; a request unanswered after ${(t.requestTimeoutMs / 1000).toFixed(1)} s counts as a timeout and its ` +
      `connection is opened again (closed loop, ${engine} engine, one load generator process on the same cores).` +
      `${store === undefined ? '' : ` Feature store: ${store.detail}.`}`,
  ];
}

/** The experiment as Markdown (empty when the data has none). */
export function concurrencyMarkdown(d: LoadData): string[] {
  const hc = d.highConcurrency;
  if (hc === undefined) return [];
  const out = ['', ...intro(hc, d).flatMap((l) => [l, ''])];
  if (hc.skipped !== undefined) return [...out, `Skipped: ${hc.skipped}`];
  if (hc.rows.length > 0) out.push(mdTable(HEAD, rows(hc), ALIGN), '');
  out.push(
    'answered/s = successful responses per second; failed = share of the requests that ended in the window, by kind (non-2xx answers, ' +
      'connections reset or closed by the server, connection errors, timeouts); p50 and mean = latency of the successful responses that ended ' +
      "in the window; mean wait = connections / requests ended per second (Little's law: what a user waits on average, also when most " +
      'requests outlast the window); CPU = every server process and the load generator, in cores.',
    '',
  );
  const details = detailLines(hc);
  if (details.length > 0) out.push('Per step:', '', ...details.map((l) => `- ${l}`));
  for (const l of hc.leftOut) out.push(`- ${l.configId}: ${l.reason}`);
  return out;
}

/** The experiment on the terminal (empty when the data has none). */
export function concurrencyTerminal(d: LoadData): string[] {
  const hc = d.highConcurrency;
  if (hc === undefined) return [];
  const out = ['', 'high-concurrency', ...intro(hc, d)];
  if (hc.skipped !== undefined) return [...out, `skipped: ${hc.skipped}`];
  if (hc.rows.length > 0) out.push('', ...textTable(HEAD, rows(hc), { align: ALIGN, rule: true }));
  const details = detailLines(hc);
  if (details.length > 0) out.push('', ...details.map((l) => `- ${l}`));
  return out;
}

/** The concurrency suite's Markdown file (concurrency.md). */
export function renderConcurrencyMarkdown(d: LoadData): string {
  return `${['## High concurrency: one process vs a pool behind nginx', ...concurrencyMarkdown(d)].join('\n').trimEnd()}\n`;
}

/** The concurrency suite's terminal summary. */
export function renderConcurrencyTerminal(d: LoadData): string {
  const flags = d.flags.map((f) => `- ${f.kind}: ${f.subject}: ${f.message}`);
  return `${[...concurrencyTerminal(d).slice(1), ...(flags.length > 0 ? ['', ...flags] : [])].join('\n')}\n`;
}
