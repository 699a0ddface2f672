// The run report's "Doubtful figures": every flag of every section (noisy, invalid, skipped, errored,
// understated, the embedded store standing in for Redis), listed once. A caveat that several runs share is
// said once with the runs it concerns, and a suite's long list folds into a <details> block (shown, never hidden).

import type { BenchData } from '../results/bench.js';
import type { Flag } from '../results/common.js';
import type { LoadData } from '../results/load.js';
import { plainWords } from './citations.js';

type SuiteFlag = Flag & { suite: string };

/** The flags a load-shaped section adds beyond its own: the embedded store standing in for Redis, and configurations that failed. */
function loadExtras(l: LoadData): Flag[] {
  const out: Flag[] = [];
  const fallback = l.options.store?.fallback;
  if (fallback !== undefined) out.push({ subject: 'feature store', kind: 'fallback', message: `feature store: embedded (${fallback})` });
  for (const c of l.configurations) {
    if (c.state === 'failed') out.push({ subject: `load:${c.id}`, kind: 'failed', message: c.reason ?? 'every request failed' });
  }
  return out;
}

/** Every flag of every section, with the suite it came from: doubtful figures are listed, never hidden. */
function collectFlags(data: BenchData): SuiteFlag[] {
  const out: SuiteFlag[] = [];
  const add = (suite: string, flags: readonly Flag[] | undefined) => {
    for (const f of flags ?? []) out.push({ suite, ...f });
  };
  const s = data.sections;
  add('hardware', s.hardware?.flags);
  add('kernels', s.kernels?.flags);
  add('capacity', s.capacity?.flags);
  for (const name of ['load', 'experiments', 'concurrency'] as const) {
    const l = s[name];
    if (l !== undefined) add(name, [...loadExtras(l), ...l.flags]);
  }
  const pf = s.profile?.settings.storeFallback;
  if (pf !== undefined) out.push({ suite: 'profile', subject: 'feature store', kind: 'fallback', message: `feature store: embedded (${pf})` });
  for (const c of s.profile?.cases ?? []) {
    if (c.state === 'errored') out.push({ suite: 'profile', subject: c.id, kind: 'errored', message: c.error.message });
  }
  for (const r of data.suites) {
    if (r.state === 'errored') out.push({ suite: r.suite, subject: `suite ${r.suite}`, kind: 'errored', message: r.error?.message ?? 'errored' });
  }
  return out;
}

/** Flags with the same kind and message merged: one line naming every subject it concerns. */
function merged(flags: readonly SuiteFlag[]): { kind: string; message: string; subjects: string[] }[] {
  const byKey = new Map<string, { kind: string; message: string; subjects: string[] }>();
  for (const f of flags) {
    const key = `${f.kind}\u0000${f.message}`;
    const m = byKey.get(key) ?? { kind: f.kind, message: f.message, subjects: [] };
    m.subjects.push(f.subject);
    byKey.set(key, m);
  }
  return [...byKey.values()];
}

/** Flags fold into a <details> block above this many lines for one suite. */
const FOLD_ABOVE = 8;

/** The section's Markdown lines (its heading is the caller's). */
export function doubtfulMarkdown(data: BenchData): string[] {
  const flags = collectFlags(data);
  if (flags.length === 0) return ['None flagged.'];
  const out: string[] = [];
  for (const suite of [...new Set(flags.map((f) => f.suite))]) {
    const lines = merged(flags.filter((f) => f.suite === suite)).map(
      (m) => `- ${m.kind} · ${m.subjects.map((x) => `\`${x}\``).join(', ')}: ${plainWords(m.message)}`,
    );
    if (lines.length <= FOLD_ABOVE) {
      out.push(`**${suite}**`, '', ...lines, '');
      continue;
    }
    const kinds = new Map<string, number>();
    for (const f of flags.filter((x) => x.suite === suite)) kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
    const summary = [...kinds].map(([k, n]) => `${n} ${k}`).join(', ');
    out.push(`<details><summary>${suite}: ${summary}</summary>`, '', ...lines, '', '</details>', '');
  }
  return out;
}

/** The terminal's lines: the first `most`, then how many more. */
export function doubtfulTerminal(data: BenchData, most = 20): string[] {
  const lines = merged(collectFlags(data)).map((m) => `  - ${m.kind} · ${m.subjects.join(', ')}: ${plainWords(m.message)}`);
  if (lines.length === 0) return [];
  return [
    `doubtful figures (${lines.length}):`,
    ...lines.slice(0, most),
    ...(lines.length > most ? [`  ... and ${lines.length - most} more in results.md`] : []),
  ];
}
