// Renderers of the capacity suite's data: a terminal table and Markdown. Both read only CapacityData (a saved
// capacity.json re-renders without re-measuring).

import type { CapacityData, CapacityKernelResult, CapacityProbe, ProbeOutcomeKind, ServerCheckPoint } from '../results/capacity.js';
import { count, describeNativeStatus, describeResponses, formatN as shortN } from './format.js';
import { modelCapacityLines } from './capacity-model.js';
import { type Align, mdTable, textTable } from './tables.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

function bytes(b: number | null | undefined): string {
  if (b === null || b === undefined || !Number.isFinite(b)) return '-';
  if (b >= GiB) return `${(b / GiB).toFixed(2)} GiB`;
  return `${(b / MiB).toFixed(b >= 100 * MiB ? 0 : 1)} MiB`;
}

const SHORT_OUTCOME: Record<ProbeOutcomeKind, string> = {
  ok: 'ok',
  'js-heap-exhausted': 'heap',
  'allocation-failed': 'alloc',
  'array-length-limit': 'length',
  killed: 'killed',
  timeout: 'timeout',
  crashed: 'crashed',
  errored: 'errored',
};

function probeList(probes: readonly CapacityProbe[]): string {
  return probes.map((p) => `${shortN(p.n)}${p.concurrency > 1 ? `x${p.concurrency}` : ''} ${SHORT_OUTCOME[p.outcome]}`).join(' · ');
}

interface Cells {
  kernel: string;
  maxN: string;
  maxMiB: string;
  failN: string;
  failure: string;
  bpv: string;
  budgetBpv: string;
  peak: string;
  derived: string[];
  probes: string;
  note: string;
}

function cellsOf(k: CapacityKernelResult, concurrency: readonly number[]): Cells {
  const empty = concurrency.map(() => '-');
  if (k.state === 'unavailable')
    return {
      kernel: k.kernel,
      maxN: '-',
      maxMiB: '-',
      failN: '-',
      failure: '-',
      bpv: '-',
      budgetBpv: '-',
      peak: '-',
      derived: empty,
      probes: '0',
      note: k.reason,
    };
  if (k.state === 'errored') {
    return {
      kernel: k.kernel,
      maxN: '-',
      maxMiB: '-',
      failN: '-',
      failure: '-',
      bpv: '-',
      budgetBpv: '-',
      peak: '-',
      derived: empty,
      probes: String(k.probes.length),
      note: `errored: ${k.error.message.split('\n')[0]}`,
    };
  }
  const notes: string[] = [];
  if (!k.converged)
    notes.push(k.maxN === null ? 'nothing fitted' : k.firstFailN === null ? 'nothing failed' : `±${((k.precision ?? 0) * 100).toFixed(0)}% only`);
  return {
    kernel: k.kernel,
    maxN: count(k.maxN),
    maxMiB: k.maxN === null ? '-' : bytes(8 * k.maxN),
    failN: count(k.firstFailN),
    failure: k.failure ?? '-',
    bpv: k.bytesPerValue === null ? '-' : k.bytesPerValue.toFixed(1),
    budgetBpv: k.budgetBytesPerValue === null ? '-' : k.budgetBytesPerValue.toFixed(1),
    peak: bytes(k.peakRssBytes),
    derived: concurrency.map((c) => {
      const d = k.derived.find((x) => x.concurrency === c)?.maxN;
      return d === undefined || d === null ? '-' : shortN(d);
    }),
    probes: String(k.probes.length),
    note: notes.join('; '),
  };
}

/** Text columns left, figures right. */
function alignLeft(header: readonly string[], left: readonly number[]): Align[] {
  return header.map((_, i) => (left.includes(i) ? 'left' : 'right'));
}

function mainHeader(concurrency: readonly number[]): string[] {
  return [
    'kernel',
    'max n (values)',
    '8n',
    'first failing n',
    'failure past it',
    'B/value RSS',
    'B/value budget',
    'peak RSS',
    ...concurrency.map((c) => `C=${c}*`),
    'probes',
    'note',
  ];
}

function mainRow(c: Cells): string[] {
  return [c.kernel, c.maxN, c.maxMiB, c.failN, c.failure, c.bpv, c.budgetBpv, c.peak, ...c.derived, c.probes, c.note];
}

function headline(d: CapacityData): string {
  const budget = `${bytes(d.settings.budgetBytes)} memory budget`;
  const state = `${d.quick ? ' (quick)' : ''}${d.interrupted ? ' — INTERRUPTED, partial' : ''}`;
  return `capacity: the largest n one cpu predict (mean of n values) fits in a fresh process under a ${budget}${state}`;
}

function mechanismLine(d: CapacityData): string {
  const m = d.mechanism;
  if (m === null) return 'limit: none (no probe ran)';
  const heap = `V8 --max-old-space-size=${m.v8MaxOldSpaceMiB} MiB for the JS heap`;
  const verified = `${m.verified ? 'verified' : 'NOT verified'}: ${m.verification}`;
  return `limit: RLIMIT_DATA ${bytes(m.dataLimitBytes)} (${m.tool}) for the whole process, ${heap}; ${verified}`;
}

function failureLines(d: CapacityData): string[] {
  const out: string[] = [];
  for (const k of d.kernels) {
    if (k.state === 'completed' && k.failureDetail !== null && k.firstFailN !== null)
      out.push(`  ${k.kernel} at n = ${count(k.firstFailN)}: ${k.failureDetail}`);
  }
  return out;
}

function derivedCheckLines(d: CapacityData): string[] {
  const checks = d.kernels.flatMap((k) => (k.state === 'completed' && k.derivedCheck !== null ? [{ kernel: k.kernel, c: k.derivedCheck }] : []));
  if (checks.length === 0) return [];
  const first = checks[0]!.c;
  const pct = ((d.settings.derivedCheckMargin ?? 0) * 100).toFixed(1);
  const out = [
    `derived max n at ${first.concurrency} concurrent requests, checked by two probes ` +
      `(${first.concurrency} inputs alive at once in one process, ${pct}% below and above):`,
  ];
  for (const { kernel, c } of checks) {
    const verdict = c.agrees ? 'holds' : c.below.outcome !== 'ok' ? 'TOO HIGH (failed below it)' : 'conservative (fitted above it)';
    out.push(
      `  ${kernel}: derived ${shortN(c.derivedMaxN)}; ${shortN(c.below.n)} ${SHORT_OUTCOME[c.below.outcome]}, ` +
        `${shortN(c.above.n)} ${SHORT_OUTCOME[c.above.outcome]} -> ${verdict}`,
    );
  }
  return out;
}

function serverRows(points: readonly ServerCheckPoint[]): string[][] {
  return points.map((p) => [
    p.kernel,
    p.label,
    p.path,
    p.sequence === undefined ? shortN(p.n) : p.sequence.map((n, i) => (i === 0 ? shortN(n) : `+${n - p.sequence![0]!}`)).join(', '),
    shortN(p.nMax),
    p.state === 'errored' ? `errored: ${p.error?.message.split('\n')[0] ?? ''}` : describeResponses(p),
    p.serverAliveAfter === null ? '-' : p.serverAliveAfter ? 'alive' : `gone${p.serverExit === null ? '' : ` (${p.serverExit.replace(/^.*\) /, '')})`}`,
    bytes(p.serverPeakRssBytes),
  ]);
}

function serverMessages(points: readonly ServerCheckPoint[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const p of points) {
    for (const r of p.responses) {
      if (r.message === undefined || (r.status !== null && r.status < 400)) continue;
      const line = `  ${p.kernel} ${p.label}: ${r.status ?? 'no answer'} ${r.code ?? ''} "${r.message}"`;
      if (!seen.has(line)) {
        seen.add(line);
        out.push(line);
      }
    }
  }
  return out;
}

const SERVER_HEADER = ['kernel', 'point', 'path', 'n', '--n-max', 'answers', 'server after', 'server peak RSS'];

function legend(d: CapacityData): string[] {
  return [
    'max n = the largest n that succeeded (input built, kernel run once, result checked); 8n = its values as doubles; ' +
      `search tolerance ${(d.settings.tolerance * 100).toFixed(1)}%`,
    'B/value RSS = (peak RSS - baseline RSS) / max n: resident bytes a request touched per value, every copy included ' +
      '(naive: the Float64Array it is built from and the growing Array)',
    'B/value budget = (budget - baseline VmData) / max n: what a value cost against the budget, which counts address space ' +
      '(reserved but untouched memory and transient peaks too)',
    `C=k* = max n at k concurrent requests each holding its own values, DERIVED (not measured): (budget - baseline VmData) / (k x B/value budget)`,
    'failures: js-heap-exhausted = V8 aborted, heap out of memory (uncatchable: the process dies); allocation-failed = RangeError caught, the process lives;',
    '          array-length-limit = V8 aborted, Array past its maximum length; killed / timeout / crashed as named',
  ];
}

/** The terminal rendering: the capacity table, how each kernel fails, the probes, the server check, flags. */
export function renderCapacityTable(d: CapacityData): string {
  if (d.model !== undefined) return renderModelTerminal(d);
  const lines: string[] = [headline(d), mechanismLine(d), describeNativeStatus(d.native), ''];
  const rows = d.kernels.map((k) => mainRow(cellsOf(k, d.settings.concurrency)));
  const header = mainHeader(d.settings.concurrency);
  lines.push(...textTable(header, rows, { align: alignLeft(header, [0, 4, header.length - 1]) }));
  const fails = failureLines(d);
  if (fails.length > 0) lines.push('', 'how it fails past max n:', ...fails);
  const checks = derivedCheckLines(d);
  if (checks.length > 0) lines.push('', ...checks);
  lines.push('', 'probes (n outcome, in the order run; nxC = C inputs at once):');
  for (const k of d.kernels) if (k.probes.length > 0) lines.push(`  ${k.kernel}: ${probeList(k.probes)}`);
  lines.push('');
  const sc = d.serverCheck;
  if (sc.state === 'skipped') lines.push(`server check: skipped (${sc.reason})`);
  else {
    const c = sc.state === 'completed' ? sc.concurrency : Math.max(...d.settings.concurrency);
    lines.push(
      `server check: ${c} concurrent POST /predict (distinct-n: single requests in turn) to a fresh model API (topology single, same budget) per point` +
        `${sc.state === 'errored' ? ` — ERRORED: ${sc.error.message}` : ''}`,
    );
    if (sc.points.length > 0) lines.push(...textTable(SERVER_HEADER, serverRows(sc.points), { align: alignLeft(SERVER_HEADER, [0, 1, 2, 5, 6]) }));
    const msgs = serverMessages(sc.points);
    if (msgs.length > 0) lines.push('error answers:', ...msgs);
    if (sc.state === 'completed') for (const n of sc.notes) lines.push(`note: ${n}`);
  }
  if (d.flags.length > 0) {
    lines.push('', `flags (${d.flags.length}):`);
    for (const f of d.flags) lines.push(`  ${f.subject} ${f.kind}: ${f.message}`);
  }
  lines.push('', ...legend(d));
  return `${lines.join('\n')}\n`;
}

/** The same content as Markdown (for the README and report pages). */
export function renderCapacityMarkdown(d: CapacityData): string {
  const out: string[] = [`## Capacity under a ${bytes(d.settings.budgetBytes)} memory budget${d.interrupted ? ' (interrupted, partial)' : ''}`, ''];
  if (d.model !== undefined) {
    if (d.mechanism !== null) out.push(`${mechanismLine(d).replace(/^limit: /, 'Limit: ')}.`, '');
    out.push(...modelCapacityLines(d).map((l) => `- ${l}`), '', ...d.flags.map((f) => `- \`${f.subject}\` ${f.kind}: ${f.message}`));
    return `${out.join('\n').trimEnd()}\n`;
  }
  out.push(`${mechanismLine(d).replace(/^limit: /, 'Limit: ')}.`, '', `${describeNativeStatus(d.native)}.`, '');
  const rows = d.kernels.map((k) => mainRow(cellsOf(k, d.settings.concurrency)));
  out.push(mdTable(mainHeader(d.settings.concurrency), rows), '');
  const fails = failureLines(d);
  if (fails.length > 0) out.push('How each kernel fails past its max n:', '', ...fails.map((l) => `- ${l.trim()}`), '');
  const checks = derivedCheckLines(d);
  if (checks.length > 0) out.push(`${checks[0]!.replace(/^d/, 'D')}`, '', ...checks.slice(1).map((l) => `- ${l.trim()}`), '');
  out.push('Probes (n and outcome, in the order run; nxC = C inputs at once):', '');
  for (const k of d.kernels) if (k.probes.length > 0) out.push(`- ${k.kernel}: ${probeList(k.probes)}`);
  out.push('');
  const sc = d.serverCheck;
  if (sc.state === 'skipped') out.push(`Server check: skipped (${sc.reason}).`, '');
  else {
    out.push(`### Server check${sc.state === 'errored' ? ` (errored: ${sc.error.message})` : ''}`, '');
    if (sc.points.length > 0) out.push(mdTable(SERVER_HEADER, serverRows(sc.points)), '');
    const msgs = serverMessages(sc.points);
    if (msgs.length > 0) out.push('Error answers:', '', ...msgs.map((m) => `- ${m.trim()}`), '');
    if (sc.state === 'completed') for (const n of sc.notes) out.push(`- ${n}`);
    out.push('');
  }
  if (d.flags.length > 0) {
    out.push('Flags:', '');
    for (const f of d.flags) out.push(`- \`${f.subject}\` ${f.kind}: ${f.message}`);
    out.push('');
  }
  // One item per line: consecutive '> ' lines would run together into one paragraph.
  out.push(...legend(d).map((l) => `> - ${l.trim()}`), '');
  return out.join('\n');
}

/** A model's capacity on the terminal: the limit, the answer, the flags. */
function renderModelTerminal(d: CapacityData): string {
  const lines = [`capacity · ${d.model?.predict ?? ''} predict · budget ${bytes(d.settings.budgetBytes)}${d.interrupted ? ' · INTERRUPTED' : ''}`];
  if (d.mechanism !== null) lines.push(mechanismLine(d));
  lines.push('', ...modelCapacityLines(d));
  if (d.flags.length > 0) lines.push('', `flags (${d.flags.length}):`, ...d.flags.map((f) => `  ${f.subject} ${f.kind}: ${f.message}`));
  return `${lines.join('\n')}\n`;
}
