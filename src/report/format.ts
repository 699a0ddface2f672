// Escaping, units and rounding for every renderer, written once (one formatter module, as mitata has one):
// a renderer formats a figure with these instead of keeping its own copy. The only file of src/report that
// measuring code may import, for its progress lines; it imports nothing but result types.

import type { ServerCheckPoint } from '../results/capacity.js';
import type { NativeStatus, Spread } from '../results/common.js';

// ---------------------------------------------------------------------------------------------------------
// Escaping

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and for attribute values in either kind of quotes. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

/** A Markdown table cell's text: a pipe would end the cell. */
export function escapeTableCell(s: string): string {
  return s.replaceAll('|', '\\|');
}

/** The first line of a (possibly multi-line) message, trimmed. */
export function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}

// ---------------------------------------------------------------------------------------------------------
// Rounding and counts

/** One decimal (the same rounding as the data's). */
export { round1 } from '../stats/round.js';

/** A count in full, with thousands separators (56,100,000); '-' when there is none. */
export function count(x: number | null | undefined): string {
  return x === null || x === undefined ? '-' : Math.round(x).toLocaleString('en-US');
}

/** "1 thread", "4 threads". */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** A fraction as a percentage with `digits` decimals; '-' when unknown. */
export function percent(fraction: number | null, digits = 0): string {
  return fraction === null || !Number.isFinite(fraction) ? '-' : `${(fraction * 100).toFixed(digits)}%`;
}

/** A share as a percentage: whole percents, one decimal under 10% so small shares do not read as 0%. */
export function sharePercent(fraction: number): string {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(fraction > 0 && fraction < 0.1 ? 1 : 0)}%` : '-';
}

/** A ratio: "2.35x", "12x"; '-' when unknown. */
export function times(x: number | null): string {
  return x === null || !Number.isFinite(x) ? '-' : `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}x`;
}

/** A figure with three or so significant digits: 1234, 12.3, 1.23. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return '-';
  if (Math.abs(x) >= 100) return x.toFixed(0);
  if (Math.abs(x) >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/** A size as people write it: 1e3 for powers of ten from 1000, else the integer (the kernels' n). */
export function formatSize(n: number): string {
  if (n >= 1000) {
    const exp = Math.round(Math.log10(n));
    if (10 ** exp === n) return `1e${exp}`;
  }
  return String(n);
}

/** n in short: 5.61e7 (1e3 and up; three significant digits), the integer below (capacity's n). */
export function formatN(n: number): string {
  if (n < 1000) return String(n);
  const e = Math.floor(Math.log10(n));
  const m = n / 10 ** e;
  return `${+m.toFixed(m === Math.round(m) ? 0 : 2)}e${e}`;
}

/** A spread of repeat figures: "median (min..max)", just the median for one repeat, '-' for none. */
export function formatSpread(s: Spread, f: (x: number) => string): string {
  if (s.repeats === 0) return '-';
  if (s.repeats === 1) return f(s.median);
  return `${f(s.median)} (${f(s.min)}..${f(s.max)})`;
}

// ---------------------------------------------------------------------------------------------------------
// Units

/** Bytes in the largest binary unit under 1024 of it: 512 KiB, 15.6 GiB (whole figures without decimals). */
export function formatBinaryBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[u]}`;
}

/** Bytes in GiB with one decimal (memory sizes and budgets in one-line summaries). */
export function formatGiB(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}

/** A duration given in nanoseconds: 12 ns, 1.25 µs, 3.40 ms. */
export function formatNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(ns < 10 ? 1 : 0)} ns`;
}

/** A latency given in microseconds: 850 us, 1.5 ms, 45 ms, 1.20 s; '-' when unknown. */
export function formatUs(us: number): string {
  if (!Number.isFinite(us)) return '-';
  if (us >= 1_000_000) return `${(us / 1e6).toFixed(2)} s`;
  if (us >= 10_000) return `${(us / 1000).toFixed(0)} ms`;
  if (us >= 1000) return `${(us / 1000).toFixed(1)} ms`;
  return `${Math.round(us)} us`;
}

// ---------------------------------------------------------------------------------------------------------
// One-line descriptions, shared by the renderers and the measuring code's progress lines

/** The one-line form every output uses: "native: available (...)" or "native: unavailable (<reason>)". */
export function describeNativeStatus(status: NativeStatus): string {
  if (!status.available) return `native: unavailable (${status.reason})`;
  const b = status.build;
  const parts = [
    `servebench-native ${b.crateVersion ?? '?'}`,
    `${b.kernelIsa ?? '?'} kernels`,
    b.isaCap !== undefined && b.isaCap !== 'none' ? b.isaCap : undefined,
    b.rustc?.replace(/^rustc /, 'rustc ').replace(/ \(.*\)$/, ''),
    b.target,
    b.rayonThreads !== undefined ? `rayon ${b.rayonThreads} threads` : undefined,
    b.lastBuild !== undefined ? `warning: last build ${b.lastBuild}` : undefined,
  ].filter((p): p is string => p !== undefined && p !== '');
  return `native: available (${parts.join(', ')})`;
}

/** A capacity server-check point's answers in one line: '4x 500 internal', or '200 then 500 internal' for a sequence. */
export function describeResponses(p: ServerCheckPoint): string {
  if (p.sequence !== undefined) {
    return p.responses
      .map((r) => (r.status === null ? `no answer (${r.code ?? 'error'})` : `${r.status}${r.status >= 400 && r.code !== undefined ? ` ${r.code}` : ''}`))
      .join(' then ');
  }
  const byKind = new Map<string, number>();
  for (const r of p.responses) {
    const key = r.status === null ? `no answer (${r.code ?? 'error'})` : r.status < 400 ? String(r.status) : `${r.status} ${r.code ?? ''}`.trim();
    byKind.set(key, (byKind.get(key) ?? 0) + 1);
  }
  return [...byKind].map(([k, v]) => `${v}x ${k}`).join(', ');
}
