// The load engines' ceiling, side by side in one run (issue 12): against a fast local server this script
// starts itself (nginx `return 200`, one worker, where installed; else a minimal node:http server, said in
// the output), rounds that interleave the engines (A B C A B C ...):
//   - closed loop at 64 connections: the most rps, native vs autocannon (and whether the generator saturated);
//   - open loop: the highest rate of a ladder held on time (under 1% late, under 1% failed), native vs the
//     JS open engine;
//   - open loop at a fixed 5,000 rps: p50 and p99 of both open engines.
// Medians over the rounds with min..max, ratios paired within each round, and the three targets
// marked met or not met. Progress on stderr; the table on stdout (--markdown for docs). About 2-4 minutes.
//
//   npm run build && npm run bench:engines [-- --rounds 3] [--threads N] [--markdown]

import { availableParallelism, cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { nativeLoadRun } from '../src/kernels/native-binding.js';
import { defaultGeneratorThreads } from '../src/load/engine-choice.js';
import { ensureFdLimit, fdsNeeded } from '../src/load/fd-limit.js';
import { parseInteger } from '../src/options.js';
import { installSignalHandlers, stopAllProcesses, supervisor } from '../src/processes/index.js';
import { formatUs, times } from '../src/report/format.js';
import { mdTable, textTable } from '../src/report/tables.js';
import { median } from '../src/stats/index.js';
import { startFastServer } from './engines/fast-server.js';
import {
  CONNECTIONS,
  FIXED_RATE,
  MAX_IN_FLIGHT,
  RATE_LADDER,
  closedMax,
  onTimeRate,
  openAt,
  type ClosedFigures,
  type OnTimeRate,
  type OpenFigures,
  type Timing,
} from './engines/measures.js';

const CLOSED: Timing = { warmupMs: 500, durationMs: 3000 };
const FIXED: Timing = { warmupMs: 500, durationMs: 3000 };
const LADDER: Timing = { warmupMs: 300, durationMs: 1500 };

interface Samples {
  closed: { native: ClosedFigures[]; autocannon: ClosedFigures[] };
  fixed: { native: OpenFigures[]; open: OpenFigures[] };
  onTime: { native: OnTimeRate[]; open: OnTimeRate[] };
}

const note = (line: string) => process.stderr.write(`[engines] ${line}\n`);
const rps = (x: number) => Math.round(x).toLocaleString('en-US');

/** `rounds` rounds, each running every measure on every engine in turn. */
async function measure(url: string, threads: number, rounds: number): Promise<Samples> {
  const s: Samples = { closed: { native: [], autocannon: [] }, fixed: { native: [], open: [] }, onTime: { native: [], open: [] } };
  for (let round = 1; round <= rounds; round++) {
    const at = `round ${round}/${rounds}`;
    for (const engine of ['native', 'autocannon'] as const) {
      const f = await closedMax(engine, url, threads, CLOSED);
      s.closed[engine].push(f);
      note(`${at}: closed ${engine}: ${rps(f.rps)} rps, generator ${Math.round(f.busiest * 100)}% busy${f.saturated ? ' (saturated)' : ''}`);
    }
    for (const engine of ['native', 'open'] as const) {
      const f = await openAt(engine, url, FIXED_RATE, threads, FIXED);
      s.fixed[engine].push(f);
      note(`${at}: ${engine} at ${rps(FIXED_RATE)} rps: p50 ${formatUs(f.p50Us)}, p99 ${formatUs(f.p99Us)}, ${(f.lateShare * 100).toFixed(1)}% late`);
    }
    for (const engine of ['native', 'open'] as const) {
      const r = await onTimeRate(engine, url, threads, LADDER);
      s.onTime[engine].push(r);
      const broke = r.brokeAt === undefined ? 'every rate of the ladder held' : `${rps(r.brokeAt.rateRps)} rps not held: ${r.brokeAt.why}`;
      note(`${at}: ${engine} on time up to ${rps(r.rateRps)} rps (${broke})`);
    }
  }
  return s;
}

/** A ratio: 2.50x, 60x; below 1 as a fraction, 1/26 or 1/11,800 (a latency a small share of the other's). */
function ratio(x: number): string {
  if (!(Number.isFinite(x) && x > 0 && x < 1)) return times(x);
  return `1/${Number((1 / x).toPrecision(3)).toLocaleString('en-US')}`;
}

/**
 * Per-round ratios a / b, as "median (min..max)". A round where b is 0 (the JS engine held none of the
 * ladder's rates) counts b as the ladder's first rate: the ratio is then a lower bound, marked '>='.
 */
function ratios(a: readonly number[], b: readonly number[], floor = 0): { median: number; text: string } {
  const r = a.map((x, i) => x / Math.max(b[i]!, floor));
  const bound = b.some((x) => x < floor) ? '>= ' : '';
  return { median: median(r), text: `${bound}${spread(r, ratio)}` };
}

/** "median (min..max)" of the rounds' figures, each formatted from its exact value. */
function spread(xs: readonly number[], f: (x: number) => string): string {
  if (xs.length === 0) return '-';
  if (xs.length === 1) return f(xs[0]!);
  return `${f(median(xs))} (${f(Math.min(...xs))}..${f(Math.max(...xs))})`;
}
const share = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;

/** One row: a figure of both engines over the rounds, and their ratio. */
function row<T>(label: string, pair: { native: T[]; js: T[] }, get: (x: T) => number, f: (x: number) => string, ratioText = ''): string[] {
  return [label, spread(pair.native.map(get), f), spread(pair.js.map(get), f), ratioText];
}

/** The table's rows and the three targets. */
function verdicts(s: Samples): { rows: string[][]; targets: string[] } {
  const closed = { native: s.closed.native, js: s.closed.autocannon };
  const fixed = { native: s.fixed.native, js: s.fixed.open };
  const onTime = { native: s.onTime.native, js: s.onTime.open };
  const rate = (r: OnTimeRate) => r.rateRps;
  const closedRatio = ratios(
    closed.native.map((f) => f.rps),
    closed.js.map((f) => f.rps),
  );
  const onTimeRatio = ratios(onTime.native.map(rate), onTime.js.map(rate), RATE_LADDER[0]);
  const p50 = ratios(
    fixed.native.map((f) => f.p50Us),
    fixed.js.map((f) => f.p50Us),
  );
  const p99 = ratios(
    fixed.native.map((f) => f.p99Us),
    fixed.js.map((f) => f.p99Us),
  );
  const at = rps(FIXED_RATE);
  const rows = [
    row(`closed loop, ${CONNECTIONS} connections: rps`, closed, (f) => f.rps, rps, closedRatio.text),
    row('  generator busy (of the cores it can use)', closed, (f) => f.busiest, share),
    row('open loop: highest rate held on time', onTime, rate, rps, onTimeRatio.text),
    row(`open loop at ${at} rps: p50`, fixed, (f) => f.p50Us, formatUs, p50.text),
    row(`open loop at ${at} rps: p99`, fixed, (f) => f.p99Us, formatUs, p99.text),
    row(`open loop at ${at} rps: sends late`, fixed, (f) => f.lateShare, share),
  ];
  const saturatedRounds = closed.native.filter((f) => f.saturated).length;
  const mark = (met: boolean) => (met ? 'met' : 'NOT met');
  const targets = [
    `closed loop: native >= 2x autocannon's rps, generator not saturated: ${mark(closedRatio.median >= 2 && saturatedRounds === 0)} ` +
      `(${ratio(closedRatio.median)}; native saturated in ${saturatedRounds} of ${closed.native.length} rounds)`,
    `open loop: native's on-time rate >= 4x the JS open engine's: ${mark(onTimeRatio.median >= 4)} (${onTimeRatio.text})`,
    `at ${at} rps: native's p50 <= 1/3 of the JS open engine's: ${mark(p50.median <= 1 / 3)} (${ratio(p50.median)})`,
  ];
  return { rows, targets };
}

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, threads: { type: 'string' }, markdown: { type: 'boolean', default: false } },
});

installSignalHandlers();
try {
  const native = nativeLoadRun();
  if (!native.available) throw new Error(`the native engine is unavailable: ${native.reason}`);
  const rounds = parseInteger('--rounds', values.rounds ?? '3', 1, 20);
  const t0 = performance.now();
  const loadBefore = loadavg()[0]!;
  await ensureFdLimit(fdsNeeded(MAX_IN_FLIGHT));
  const server = await startFastServer(supervisor);
  const threads = values.threads === undefined ? defaultGeneratorThreads(server.processes) : parseInteger('--threads', values.threads, 1, 256);
  note(`${server.description} at ${server.url}; native engine with ${threads} load thread(s); ${rounds} rounds`);
  const samples = await measure(server.url, threads, rounds);
  await server.stop();
  const { rows, targets } = verdicts(samples);
  const native1 = `native (${threads} thread${threads === 1 ? '' : 's'})`;
  const head = ['measure (median of rounds, min..max)', native1, 'autocannon / JS open', 'ratio native / JS'];
  const seconds = ((performance.now() - t0) / 1000).toFixed(0);
  const facts =
    `server: ${server.description}; ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}); ` +
    `load average ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after; ${rounds} interleaved rounds in ${seconds} s`;
  const table = values.markdown === true ? mdTable(head, rows, ['left', 'right', 'right', 'right']) : textTable(head, rows, { rule: true }).join('\n');
  const list = targets.map((x) => `- ${x}`).join('\n');
  process.stdout.write(`${facts}\n\n${table}\n\ntargets (issue 12):\n${list}\n`);
} catch (err) {
  process.stderr.write(`engines: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
} finally {
  await stopAllProcesses();
}
