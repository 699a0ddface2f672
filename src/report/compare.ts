// Renderers of a comparison (src/results/compare): a terminal table, Markdown fit for a pull-request comment
// (the verdicts that matter first, every figure in a folded section) and JSON. Environment differences come
// first; not-comparable figures say why.

import { type Comparison, type ComparisonSection, type EnvDifference, type FigureComparison, type Verdict, VERDICTS } from '../results/compare/types.js';
import { formatN, formatNs, formatNumber, formatUs, sharePercent } from './format.js';
import { mdTable, textTable } from './tables.js';

export const COMPARE_FORMATS = ['terminal', 'md', 'json'] as const;
export type CompareFormat = (typeof COMPARE_FORMATS)[number];

export interface CompareRenderOptions {
  /** --fail-on-regression as a fraction: the regressions beyond it are listed (and in JSON). */
  allowance?: number;
  /** The regressions beyond the allowance (computed by the caller with regressionsBeyond). */
  regressions?: readonly FigureComparison[];
}

const VERDICT_WORDS: Record<Verdict, string> = {
  faster: 'faster',
  slower: 'slower',
  larger: 'larger',
  smaller: 'smaller',
  'no-significant-change': 'no significant change',
  'not-comparable': 'not comparable',
};

function value(x: number | null, unit: string): string {
  if (x === null) return '-';
  switch (unit) {
    case 'us':
      return formatUs(x);
    case 'ns':
      return formatNs(x);
    case 'values':
      return formatN(x);
    case 'fraction':
      return sharePercent(x);
    default:
      return formatNumber(x);
  }
}

function signed(x: number, kind: FigureComparison['changeKind']): string {
  if (!Number.isFinite(x)) return '-';
  const s = kind === 'points' ? `${(x * 100).toFixed(1)} pts` : `${(x * 100).toFixed(Math.abs(x) < 0.1 ? 1 : 0)}%`;
  return x > 0 ? `+${s}` : s;
}

function change(f: FigureComparison): string {
  return f.change === null ? '-' : signed(f.change, f.changeKind);
}

function interval(f: FigureComparison): string {
  return f.interval === null ? '-' : `${signed(f.interval.low, f.changeKind)} .. ${signed(f.interval.high, f.changeKind)}`;
}

function testCell(f: FigureComparison): string {
  const t = f.test;
  if (t === null) return '-';
  const [a, b] = t.sampleCounts;
  const p = t.p === null ? '' : t.p < 0.001 ? ' p<0.001' : ` p=${t.p.toFixed(3)}`;
  switch (t.method) {
    case 'mann-whitney-exact':
      return `MW exact${p} (${a} vs ${b})`;
    case 'mann-whitney-normal':
      return `MW${p} (${a} vs ${b})`;
    case 'bootstrap-ratio':
      return `bootstrap (${a} vs ${b})`;
    case 'quantile-intervals':
      return `pooled (${a} vs ${b})`;
    case 'bracket':
      return 'search brackets';
    case 'two-proportions':
      return `z${p}`;
  }
}

function verdictCell(f: FigureComparison): string {
  if (f.verdict !== 'not-comparable') return VERDICT_WORDS[f.verdict];
  const kinds = [...new Set(f.reasons.map((r) => r.kind.replaceAll('-', ' ')))].join(', ');
  const says = f.figuresSay === undefined ? '' : `; figures say ${VERDICT_WORDS[f.figuresSay]}`;
  return `not comparable (${kinds}${says})`;
}

const HEAD = ['subject', 'metric', 'baseline', 'new', 'change', 'interval', 'test', 'floor', 'verdict'];

function row(f: FigureComparison): string[] {
  const floor = f.noiseFloor === null ? '-' : f.changeKind === 'points' ? `${(f.noiseFloor * 100).toFixed(1)} pts` : `${Math.round(f.noiseFloor * 100)}%`;
  return [f.subject, f.metric, value(f.base, f.unit), value(f.new, f.unit), change(f), interval(f), testCell(f), floor, verdictCell(f)];
}

const ALIGN = ['left', 'left', 'right', 'right', 'right', 'right', 'left', 'right', 'left'] as const;

function countsLine(c: Comparison): string {
  const parts = VERDICTS.filter((v) => c.counts[v] > 0).map((v) => `${c.counts[v]} ${VERDICT_WORDS[v]}`);
  return parts.length === 0 ? 'no figures compared' : parts.join(', ');
}

function runLine(label: string, r: Comparison['base']): string {
  return `${label}: ${r.file ?? '(data)'} (${r.kind}, ${r.createdAt}, host ${r.hostname}, commit ${r.gitCommit ?? '-'})`;
}

/** Every reason a figure is not comparable, once per distinct message, with the figures it concerns. */
function reasonLines(s: ComparisonSection): string[] {
  const by = new Map<string, string[]>();
  for (const f of s.figures) for (const r of f.reasons) by.set(r.message, [...new Set([...(by.get(r.message) ?? []), f.subject])]);
  return [...by].map(
    ([message, subjects]) => `${subjects.length > 3 ? `${subjects.slice(0, 3).join(', ')} and ${subjects.length - 3} more` : subjects.join(', ')}: ${message}`,
  );
}

function envRows(env: readonly EnvDifference[]): string[][] {
  return env.map((d) => [d.fact, d.base, d.new, d.hostChange ? 'host changed' : '']);
}

function regressionLines(o: CompareRenderOptions): string[] {
  if (o.allowance === undefined) return [];
  const list = o.regressions ?? [];
  const head = `Regressions beyond ${Math.round(o.allowance * 1000) / 10}%: ${list.length === 0 ? 'none' : list.length}`;
  return [
    head,
    ...list.map((f) => `  ${f.subject} ${f.metric}: ${value(f.base, f.unit)} -> ${value(f.new, f.unit)} (${change(f)}, ${VERDICT_WORDS[f.verdict]})`),
  ];
}

/** The comparison as terminal text. */
function renderComparisonTerminal(c: Comparison, o: CompareRenderOptions = {}): string {
  const out = [
    'servebench compare',
    runLine('baseline', c.base),
    runLine('new     ', c.new),
    `significance ${c.options.significance}, noise floor ${Math.round(c.options.noiseFloor * 1000) / 10}%`,
    '',
  ];
  out.push(
    'Environment differences',
    ...(c.environment.length === 0 ? ['  none'] : textTable(['fact', 'baseline', 'new', ''], envRows(c.environment)).map((l) => `  ${l}`)),
  );
  if (!c.sameHost) out.push('  the host changed: every figure is not comparable (the change is still shown)');
  for (const s of c.sections) {
    out.push('', `${s.suite}`, ...textTable(HEAD, s.figures.map(row), { rule: true, align: ALIGN }));
    for (const n of s.notes) out.push(`  note: ${n}`);
    for (const l of reasonLines(s)) out.push(`  not comparable: ${l}`);
  }
  out.push('', `Summary: ${countsLine(c)}`, ...regressionLines(o));
  return `${out.join('\n')}\n`;
}

function mdSection(s: ComparisonSection): string[] {
  const out = [`### ${s.suite}`, '', mdTable(HEAD, s.figures.map(row), [...ALIGN]), ''];
  for (const n of s.notes) out.push(`- note: ${n}`);
  for (const l of reasonLines(s)) out.push(`- not comparable: ${l}`);
  return out;
}

/** The comparison as Markdown: headline and changed figures first, every figure in a folded section. */
function renderComparisonMarkdown(c: Comparison, o: CompareRenderOptions = {}): string {
  const changed = c.sections.flatMap((s) => s.figures.filter((f) => f.verdict !== 'no-significant-change' && f.verdict !== 'not-comparable'));
  const out = ['## servebench compare', '', `**${countsLine(c)}**`, '', `- ${runLine('baseline', c.base)}`, `- ${runLine('new', c.new)}`];
  out.push(`- significance ${c.options.significance}, noise floor ${Math.round(c.options.noiseFloor * 1000) / 10}%`, '');
  const regressions = regressionLines(o);
  if (regressions.length > 0) out.push(`**${regressions[0]}**`, '', ...regressions.slice(1).map((l) => `- ${l.trim()}`), '');
  out.push('### Environment differences', '');
  out.push(c.environment.length === 0 ? 'none' : mdTable(['fact', 'baseline', 'new', ''], envRows(c.environment)), '');
  if (!c.sameHost) out.push('**The host changed: every figure is not comparable** (the change is still shown).', '');
  if (changed.length > 0) out.push('### Changed', '', mdTable(HEAD, changed.map(row), [...ALIGN]), '');
  out.push('<details><summary>Every figure</summary>', '');
  for (const s of c.sections) out.push(...mdSection(s), '');
  out.push('</details>', '');
  return out.join('\n');
}

/** The comparison as JSON (the Comparison object, with the regressions beyond the allowance when asked). */
function renderComparisonJson(c: Comparison, o: CompareRenderOptions = {}): string {
  const extra = o.allowance === undefined ? {} : { failOnRegression: { allowance: o.allowance, regressions: o.regressions ?? [] } };
  return `${JSON.stringify({ ...c, ...extra }, null, 2)}\n`;
}

export function renderComparison(c: Comparison, format: CompareFormat, o: CompareRenderOptions = {}): string {
  if (format === 'md') return renderComparisonMarkdown(c, o);
  if (format === 'json') return renderComparisonJson(c, o);
  return renderComparisonTerminal(c, o);
}
