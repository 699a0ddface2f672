// The answer to "one process or a pool behind nginx, under very high concurrency?" from the high-concurrency
// experiment: failures by kind, throughput and the wait on each path at the highest step, how far each
// configuration held without failing, and, when a pool loses to one async process, why (the cores, the
// processes sharing them and the CPU each used, all from the data).

import type { BenchData } from '../results/bench.js';
import type { HighConcurrencyResult, HighConcurrencyRow } from '../results/experiments.js';
import { type Answer, cap, SECTION_TITLES } from './answer.js';
import { PUBLISHED } from './citations.js';
import { configLabel } from './concurrency.js';
import { count, formatNumber, formatUs, percent, plural } from './format.js';

/** The experiment's data wherever it ran: its own suite, or a load or experiments run that named it. */
function highConcurrencyOf(data: BenchData): HighConcurrencyResult | undefined {
  const s = data.sections;
  return s.concurrency?.highConcurrency ?? s.load?.highConcurrency ?? s.experiments?.highConcurrency;
}

const done = (rows: readonly HighConcurrencyRow[]) => rows.filter((r) => r.state === 'completed');

/** "failed 41% (timeouts 120, resets 30)": the share and its kinds, largest first. */
function failureWords(r: HighConcurrencyRow): string {
  const kinds = (
    [
      ['non-2xx answers', r.failures.non2xx],
      ['connections reset or closed by the server', r.failures.resets],
      ['connection errors', r.failures.errors],
      ['timeouts', r.failures.timeouts],
    ] as const
  )
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${count(n)}`);
  const share = r.failureRate === null ? 'no request ended' : `failed ${percent(r.failureRate, r.failureRate > 0 && r.failureRate < 0.01 ? 1 : 0)}`;
  return kinds.length === 0 ? share : `${share} (${kinds.join(', ')})`;
}

/** One configuration at one step in words: throughput, failures, latency and the wait. */
function rowWords(r: HighConcurrencyRow): string {
  const lat = r.latencyUs === null ? 'no successful answer' : `median ${formatUs(r.latencyUs.p50)}, mean ${formatUs(r.latencyUs.mean)}`;
  const wait = r.littleWaitUs === null ? '' : `, a wait of ${formatUs(r.littleWaitUs)} on average by Little's law`;
  return `${configLabel(r)} answered ${formatNumber(r.rps)} requests/s, ${failureWords(r)}, ${lat}${wait}`;
}

/** The highest step a configuration held: answers, and under 1% failed. */
function heldUpTo(rows: readonly HighConcurrencyRow[], configId: string): number | undefined {
  const ok = done(rows).filter((r) => r.configId === configId && r.rps > 0 && (r.failureRate ?? 1) < 0.01);
  return ok.length === 0 ? undefined : Math.max(...ok.map((r) => r.connections));
}

/** "; each of its 2 scoring workers got 40% of a core, where the single scoring process used 95% (its event loop ...)". */
function workerWords(workers: number, perWorker: number, single: { cpuPercent: number; eventLoopUtilization: number | null }): string {
  const loop = single.eventLoopUtilization === null ? '' : ` (its event loop busy ${percent(single.eventLoopUtilization)} of the time)`;
  const got = `; each of its ${workers} scoring workers got ${perWorker.toFixed(0)}% of a core`;
  return `${got}, where the single scoring process used ${single.cpuPercent.toFixed(0)}%${loop}`;
}

/** Why a pool answered less than one async process: cores, processes and the CPU each used, from the data. */
function poolLosesWords(hc: HighConcurrencyResult, single: HighConcurrencyRow, pool: HighConcurrencyRow): string | undefined {
  if (single.cpu === null || pool.cpu === null) return undefined;
  const procs = (r: HighConcurrencyRow) => r.cpu!.byRole.reduce((a, x) => a + x.processes, 0);
  const scoring = (r: HighConcurrencyRow) => r.cpu!.byRole.find((x) => x.role === 'scoring');
  const ps = scoring(pool);
  const ss = scoring(single);
  const relay = pool.cpu.byRole.filter((x) => x.role.startsWith('nginx')).reduce((a, x) => a + x.cpuPercent, 0);
  const busy = (r: HighConcurrencyRow) => (r.cpu!.serverCores + r.cpu!.generatorCores).toFixed(2);
  const perWorker = ps === undefined ? undefined : ps.cpuPercent / ps.processes;
  return (
    `At ${count(pool.connections)} connections ${configLabel(pool)} answered ${formatNumber(pool.rps)} requests/s ` +
    `against ${formatNumber(single.rps)} for one async process. ` +
    `This host gives a benchmark ${plural(hc.cores, 'core')}: the pool's ${procs(pool)} server processes and the load generator used ${busy(pool)} of them ` +
    `(one process's system: ${plural(procs(single), 'process', 'processes')}, ${busy(single)} cores)` +
    `${perWorker === undefined || ss === undefined || ps === undefined ? '' : workerWords(ps.processes, perWorker, ss)}` +
    `${relay > 0 ? `, and nginx took ${relay.toFixed(0)}% of a core relaying every request` : ''}. ` +
    'A pool adds processes and a hop, not cores: one async process already overlaps its waits, so when the workers share too few cores the ' +
    'pool only spreads the same CPU thinner and pays for the relay.'
  );
}

/** The async pool that lost most clearly to one async process (at least 10% fewer answers), if any. */
function losingPool(rows: readonly HighConcurrencyRow[]): { single: HighConcurrencyRow; pool: HighConcurrencyRow } | undefined {
  let worst: { single: HighConcurrencyRow; pool: HighConcurrencyRow; ratio: number } | undefined;
  for (const pool of done(rows).filter((r) => r.path === 'async' && r.topology !== 'single')) {
    const single = done(rows).find((r) => r.path === 'async' && r.topology === 'single' && r.connections === pool.connections);
    if (single === undefined || !(single.rps > 0)) continue;
    const ratio = pool.rps / single.rps;
    if (ratio < 0.9 && (worst === undefined || ratio < worst.ratio)) worst = { single, pool, ratio };
  }
  return worst;
}

/** Question 2: one process vs a pool behind nginx at high concurrency. */
export function concurrencyAnswer(data: BenchData): Answer {
  const hc = highConcurrencyOf(data);
  const base = {
    question: 'One process or a pool of workers behind nginx, under very high concurrency?',
    meaning:
      'A pool helps a path that holds its process for a whole request (sync): more processes serve more requests at once, and nginx ' +
      'accepts and queues connections the workers cannot take yet. It cannot make the host faster: when every process shares the same few ' +
      'cores, a pool of async processes, each already serving many requests at once, only adds processes and a relay. Past what the host ' +
      'serves, every topology makes users wait (the mean wait grows with the connections) and failures are what the servers refuse.',
    published:
      `${cap(PUBLISHED.concurrency)} measured 41.7% failures for the development server against 0.5% for the pool, ` +
      'a median latency 76% lower with the pool (16 s vs 94 s), and about the same throughput (216.5 vs 220.7 requests/s).',
    sections: [SECTION_TITLES.concurrency],
  };
  if (hc === undefined) return { ...base, sentences: ['Not measured: the concurrency suite did not run.'] };
  if (hc.skipped !== undefined) return { ...base, sentences: [`Not measured: ${hc.skipped}.`] };
  const top = Math.max(0, ...done(hc.rows).map((r) => r.connections));
  const allowed = hc.ceiling.allowed;
  const limit =
    allowed === null
      ? 'no open-file limit known'
      : top < allowed
        ? `this host's open-file limit allows up to ${count(allowed)}: servebench load --scenario high-concurrency --connections N goes there`
        : "the most this host's open-file limit allows";
  const sentences: string[] = [`Connections went up to ${count(top)} (${limit}), on ${plural(hc.cores, 'core')} shared by every process.`];
  for (const path of ['sync', 'async'] as const) {
    const at = done(hc.rows).filter((r) => r.path === path && r.connections === top);
    if (at.length > 0) sentences.push(`At ${count(top)} connections on the ${path} path: ${at.map(rowWords).join('; ')}.`);
  }
  const held = [...new Set(done(hc.rows).map((r) => r.configId))].flatMap((id) => {
    const row = hc.rows.find((r) => r.configId === id)!;
    const n = heldUpTo(hc.rows, id);
    return n === undefined ? [`${configLabel(row)} at none of the steps`] : [`${configLabel(row)} up to ${count(n)}`];
  });
  if (held.length > 0) sentences.push(`Connections served with under 1% failed: ${held.join(', ')}.`);
  const lost = losingPool(hc.rows);
  if (lost !== undefined) {
    const why = poolLosesWords(hc, lost.single, lost.pool);
    if (why !== undefined) sentences.push(why);
  }
  return { ...base, sentences };
}
