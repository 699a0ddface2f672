// The run report of `servebench bench`: one results.json rendered as a terminal summary, results.md and a
// self-contained results.html. Reads only the data; every section is drawn by its suite's renderer.

import { Marked } from 'marked';
import type { BenchData, SuiteRecord } from '../results/bench.js';
import type { Flag } from '../results/common.js';
import type { ResultEnvelope } from '../results/index.js';
import { renderHardwareMarkdown } from './hardware/render.js';
import { renderKernelsMarkdown, renderKernelsTable } from './kernels.js';
import { renderLoadMarkdown, renderLoadTerminal } from './load.js';
import { profileFindings, renderProfileMarkdown, renderProfileTerminal } from './profile.js';
import { envSummaryLines } from './env.js';
import { renderCapacityMarkdown, renderCapacityTable } from './capacity.js';
import type { ReportCharts } from './charts.js';

export type BenchResults = ResultEnvelope<'bench', BenchData>;

/** Every flag of every section, with the suite it came from: doubtful figures are listed, never hidden. */
export function collectFlags(data: BenchData): Array<Flag & { suite: string }> {
  const out: Array<Flag & { suite: string }> = [];
  const add = (suite: string, flags: readonly Flag[] | undefined) => {
    for (const f of flags ?? []) out.push({ suite, ...f });
  };
  add('hardware', data.sections.hardware?.flags);
  add('kernels', data.sections.kernels?.flags);
  add('capacity', data.sections.capacity?.flags);
  add('load', data.sections.load?.flags);
  add('experiments', data.sections.experiments?.flags);
  for (const c of data.sections.profile?.cases ?? []) {
    if (c.state === 'errored') out.push({ suite: 'profile', subject: c.id, kind: 'errored', message: c.error.message });
  }
  return out;
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const ratio = (x: number) => `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}x`;

/** Sentences a reader can act on, each computed from the data. */
export function findings(data: BenchData): string[] {
  const out: string[] = [];
  const k = data.sections.kernels;
  if (k !== undefined) {
    for (const g of k.goals) {
      if (g.value === null) {
        out.push(`kernels: ${g.description}: not measured.`);
        continue;
      }
      const v = g.unit === 'fraction of probe' ? pct(g.value) : ratio(g.value);
      const t = g.unit === 'fraction of probe' ? pct(g.threshold) : ratio(g.threshold);
      out.push(`kernels: ${g.description}: ${v} (goal ${t}: ${g.state === 'met' ? 'met' : 'NOT met'})${g.noisy ? ' [noisy]' : ''}.`);
    }
    if (k.crossover.state === 'found') out.push(`kernels: native beats typed from n = ${k.crossover.n.toLocaleString('en-US')} on.`);
  }
  const cap = data.sections.capacity;
  if (cap !== undefined) {
    const budget = `${(cap.settings.budgetBytes / 2 ** 30).toFixed(1)} GiB`;
    for (const kr of cap.kernels) {
      if (kr.state !== 'completed' || kr.maxN === null) continue;
      const per = kr.bytesPerValue === null ? '' : `, ${kr.bytesPerValue.toFixed(1)} B per value resident`;
      out.push(`capacity: ${kr.kernel} fits n = ${kr.maxN.toLocaleString('en-US')} values under ${budget}${per}; past it: ${kr.failure ?? 'no failure seen'}.`);
    }
  }
  for (const [name, l] of [
    ['load', data.sections.load],
    ['experiments', data.sections.experiments],
  ] as const) {
    if (l === undefined) continue;
    for (const c of l.comparisons) {
      if (c.met === null) {
        out.push(`${name}: ${c.description}: too few valid runs to tell.`);
        continue;
      }
      out.push(
        `${name}: ${c.description}: ${ratio(c.ratio.median)} (range ${ratio(c.ratio.min)}..${ratio(c.ratio.max)} over ${c.ratio.repeats} repeat${c.ratio.repeats === 1 ? '' : 's'}; ${c.met ? 'goal met' : 'goal NOT met'}).`,
      );
    }
    // A goal that restates a comparison is said once, by the comparison (its ratio and spread).
    const compared = new Set(l.comparisons.map((c) => c.description));
    for (const g of l.goals) {
      if (compared.has(g.description)) continue;
      const m = g.measured;
      const figure =
        m === null
          ? 'not measured'
          : `${m.median.toFixed(2)} (range ${m.min.toFixed(2)}..${m.max.toFixed(2)} over ${m.repeats} repeat${m.repeats === 1 ? '' : 's'})`;
      out.push(`${name}: ${g.description}: ${figure}; target ${g.target}: ${g.met === null ? 'not measured' : g.met ? 'met' : 'NOT met'}. ${g.detail}.`);
    }
  }
  const hold = data.sections.experiments?.autoscale?.hold;
  if (hold !== undefined && hold !== null && hold.rpsRatio !== null) {
    const fails = Object.entries(hold.failures)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    out.push(
      `experiments: autoscale (an emulation of the Kubernetes HPA's algorithm, not Kubernetes), ${hold.phase} phase: autoscaled / one fixed replica: ${ratio(hold.rpsRatio)} the rps${hold.p99Ratio === null ? '' : `, ${ratio(hold.p99Ratio)} the worst-second p99`}; failed requests ${fails}.`,
    );
  }
  const p = data.sections.profile;
  if (p !== undefined) for (const f of profileFindings(p)) out.push(`profile: ${f}`);
  return out;
}

function suiteLine(s: SuiteRecord): string {
  const secs = (s.durationMs / 1000).toFixed(0);
  const why = s.error !== undefined ? `: ${s.error.message}` : s.reason !== undefined ? `: ${s.reason}` : '';
  return `${s.suite}: ${s.state} in ${secs} s${why}`;
}

/** The Markdown report of a bench run; `charts` (links, or inline SVG for HTML) go under each section's heading. */
export function renderBenchMarkdown(r: BenchResults, charts?: ReportCharts): string {
  const d = r.data;
  const parts: string[] = [];
  parts.push(`# servebench run, ${r.createdAt}`);
  parts.push('');
  parts.push(`servebench ${r.servebench.version} · \`servebench ${r.servebench.argv.join(' ')}\`${d.quick ? ' · quick mode' : ''}`);
  parts.push('');
  parts.push('## Suites');
  parts.push('');
  for (const s of d.suites) parts.push(`- ${suiteLine(s)}`);
  parts.push('');
  if (charts?.note !== undefined) parts.push(charts.note, '');
  const f = findings(d);
  if (f.length > 0) {
    parts.push('## Findings');
    parts.push('');
    for (const line of f) parts.push(`- ${line}`);
    parts.push('');
  }
  const flags = collectFlags(d);
  parts.push('## Doubtful figures');
  parts.push('');
  if (flags.length === 0) parts.push('None flagged.');
  for (const fl of flags) parts.push(`- **${fl.suite}** · ${fl.kind} · ${fl.subject}: ${fl.message}`);
  parts.push('');
  parts.push('## Environment');
  parts.push('');
  for (const line of envSummaryLines(r.env)) parts.push(`- ${line}`);
  parts.push('');
  const sec = d.sections;
  if (sec.hardware !== undefined) {
    parts.push(
      renderHardwareMarkdown({ env: r.env, data: sec.hardware, createdAt: r.createdAt, servebench: { version: r.servebench.version } }, { headingOffset: 1 }),
    );
  }
  const c = charts?.bySection ?? {};
  if (sec.kernels !== undefined) parts.push(section('Kernels: the mean over n values', renderKernelsMarkdown(sec.kernels), c.kernels));
  if (sec.capacity !== undefined) parts.push(section('Capacity: the n at which memory runs out', renderCapacityMarkdown(sec.capacity), c.capacity));
  if (sec.load !== undefined) parts.push(section('Load: request paths and topologies', renderLoadMarkdown(sec.load), c.load));
  if (sec.experiments !== undefined) parts.push(section('Experiments: Redis queue and autoscaling', renderLoadMarkdown(sec.experiments), c.experiments));
  if (sec.profile !== undefined) parts.push(section('Profiles: where the time goes', renderProfileMarkdown(sec.profile), c.profile));
  return `${parts.join('\n').trimEnd()}\n`;
}

/** Move a suite's Markdown headings so its top level becomes `level`, to nest it under the run's own heading. */
export function nestHeadings(md: string, level: number): string {
  const levels = [...md.matchAll(/^(#+) /gm)].map((m) => m[1]!.length);
  if (levels.length === 0) return md;
  const shift = level - Math.min(...levels);
  let inFence = false;
  return md
    .split('\n')
    .map((line) => {
      if (line.startsWith('```')) inFence = !inFence;
      const m = /^(#+) /.exec(line);
      if (inFence || m === null) return line;
      return `${'#'.repeat(Math.min(6, Math.max(1, m[1]!.length + shift)))}${line.slice(m[1]!.length)}`;
    })
    .join('\n');
}

/** A suite's section: the run's own heading, its charts if any, then the suite's Markdown nested below it. */
function section(title: string, md: string, charts?: string): string {
  return `## ${title}\n\n${charts === undefined ? '' : `${charts}\n\n`}${nestHeadings(md, 3).trim()}\n`;
}

const CSS = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1b1f24}
h1{font-size:1.7em;border-bottom:2px solid #d0d7de;padding-bottom:.3em}h2{margin-top:2em;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;margin:1em 0;font-size:13px;display:block;overflow-x:auto}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:right;white-space:nowrap}th{background:#f6f8fa}
td:first-child,th:first-child{text-align:left}code{background:#f6f8fa;padding:1px 4px;border-radius:4px}
pre{background:#f6f8fa;padding:1em;overflow-x:auto}li{margin:.2em 0}
`;

/** A self-contained HTML page of the Markdown report (no external assets); `charts` holds inline SVG figures. */
export function renderBenchHtml(r: BenchResults, charts?: ReportCharts): string {
  const md = renderBenchMarkdown(r, charts);
  const body = new Marked({ gfm: true }).parse(md, { async: false });
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>servebench run ${escapeHtml(r.createdAt)}</title><style>${CSS}</style></head>
<body>
${body}
</body></html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The terminal summary of a bench run: each suite's table, then findings and flags. */
export function renderBenchTerminal(r: BenchResults): string {
  const d = r.data;
  const parts: string[] = [];
  const sec = d.sections;
  if (sec.kernels !== undefined) parts.push(renderKernelsTable(sec.kernels));
  if (sec.capacity !== undefined) parts.push(renderCapacityTable(sec.capacity));
  if (sec.load !== undefined) parts.push(renderLoadTerminal(sec.load));
  if (sec.experiments !== undefined) parts.push(renderLoadTerminal(sec.experiments));
  if (sec.profile !== undefined) parts.push(renderProfileTerminal(sec.profile));
  parts.push('suites:');
  for (const s of d.suites) parts.push(`  ${suiteLine(s)}`);
  const f = findings(d);
  if (f.length > 0) {
    parts.push('findings:');
    for (const line of f) parts.push(`  - ${line}`);
  }
  const flags = collectFlags(d);
  if (flags.length > 0) {
    parts.push(`doubtful figures (${flags.length}):`);
    for (const fl of flags.slice(0, 20)) parts.push(`  - ${fl.suite} · ${fl.kind} · ${fl.subject}: ${fl.message}`);
    if (flags.length > 20) parts.push(`  ... and ${flags.length - 20} more in results.md`);
  }
  return `${parts.join('\n')}\n`;
}
