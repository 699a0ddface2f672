// The run report of `servebench bench`: one results.json rendered as a terminal summary, results.md and a
// self-contained results.html, with or without the run's charts. Reads only the data; every section is
// drawn by its suite's renderer, the charts by charts/ (which never import this module).

import { join, relative, sep } from 'node:path';
import type { BenchData, SuiteRecord } from '../results/bench.js';
import type { Flag } from '../results/common.js';
import type { ResultEnvelope } from '../results/index.js';
import { renderCapacityMarkdown, renderCapacityTable } from './capacity.js';
import { benchCharts } from './charts/bench.js';
import { chartsHtml, chartsMarkdown, existingChartFiles, type ReportCharts } from './charts/placement.js';
import { type RenderChartsOptions, renderCharts } from './charts/render.js';
import { envSummaryLines } from './env.js';
import { count, formatGiB, percent, plural, times } from './format.js';
import { renderHardwareMarkdown } from './hardware/render.js';
import { renderKernelsMarkdown, renderKernelsTable } from './kernels.js';
import { renderLoadMarkdown, renderLoadTerminal } from './load.js';
import { modelLines } from './load-model.js';
import { markdownPage } from './page.js';
import { profileFindings, renderProfileMarkdown, renderProfileTerminal } from './profile.js';

export type BenchResults = ResultEnvelope<'bench', BenchData>;

/** Every flag of every section, with the suite it came from: doubtful figures are listed, never hidden. */
function collectFlags(data: BenchData): Array<Flag & { suite: string }> {
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

function kernelsFindings(data: BenchData): string[] {
  const out: string[] = [];
  const k = data.sections.kernels;
  if (k === undefined) return out;
  for (const g of k.goals) {
    if (g.value === null) {
      out.push(`kernels: ${g.description}: not measured.`);
      continue;
    }
    const v = g.unit === 'fraction of probe' ? percent(g.value) : times(g.value);
    const t = g.unit === 'fraction of probe' ? percent(g.threshold) : times(g.threshold);
    out.push(`kernels: ${g.description}: ${v} (goal ${t}: ${g.state === 'met' ? 'met' : 'NOT met'})${g.noisy ? ' [noisy]' : ''}.`);
  }
  if (k.crossover.state === 'found') out.push(`kernels: native beats typed from n = ${count(k.crossover.n)} on.`);
  return out;
}

function capacityFindings(data: BenchData): string[] {
  const cap = data.sections.capacity;
  if (cap === undefined) return [];
  const budget = formatGiB(cap.settings.budgetBytes);
  const m = cap.model;
  if (m !== undefined) {
    const name = m.name ?? `the ${m.predict} predict`;
    if (m.state === 'completed' && m.maxRows !== null)
      return [`capacity: ${name} fits a batch of ${count(m.maxRows)} rows under ${budget}; past it: ${m.failure ?? 'no failure seen'}.`];
    return [`capacity: ${name}: ${m.state === 'not-applicable' || m.state === 'unavailable' ? m.reason : m.state}.`];
  }
  return cap.kernels.flatMap((kr) => {
    if (kr.state !== 'completed' || kr.maxN === null) return [];
    const per = kr.bytesPerValue === null ? '' : `, ${kr.bytesPerValue.toFixed(1)} B per value resident`;
    return [`capacity: ${kr.kernel} fits n = ${count(kr.maxN)} values under ${budget}${per}; past it: ${kr.failure ?? 'no failure seen'}.`];
  });
}

function loadFindings(data: BenchData): string[] {
  const out: string[] = [];
  for (const name of ['load', 'experiments'] as const) {
    const l = data.sections[name];
    if (l === undefined) continue;
    // Your own model: sync vs async, and one process vs a pool, with the figures.
    for (const line of modelLines(l)) out.push(`${name}: ${line}`);
    for (const c of l.comparisons) {
      if (c.met === null) {
        out.push(`${name}: ${c.description}: too few valid runs to tell.`);
        continue;
      }
      const range = `range ${times(c.ratio.min)}..${times(c.ratio.max)} over ${plural(c.ratio.repeats, 'repeat')}`;
      out.push(`${name}: ${c.description}: ${times(c.ratio.median)} (${range}; ${c.met ? 'goal met' : 'goal NOT met'}).`);
    }
    // A goal that restates a comparison is said once, by the comparison (its ratio and spread).
    const compared = new Set(l.comparisons.map((c) => c.description));
    for (const g of l.goals) {
      if (compared.has(g.description)) continue;
      const m = g.measured;
      const figure =
        m === null ? 'not measured' : `${m.median.toFixed(2)} (range ${m.min.toFixed(2)}..${m.max.toFixed(2)} over ${plural(m.repeats, 'repeat')})`;
      out.push(`${name}: ${g.description}: ${figure}; target ${g.target}: ${g.met === null ? 'not measured' : g.met ? 'met' : 'NOT met'}. ${g.detail}.`);
    }
  }
  const hold = data.sections.experiments?.autoscale?.hold;
  if (hold !== undefined && hold !== null && hold.rpsRatio !== null) {
    const fails = Object.entries(hold.failures)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    out.push(
      `experiments: autoscale (an emulation of the Kubernetes HPA's algorithm, not Kubernetes), ${hold.phase} phase: autoscaled / one fixed replica: ` +
        `${times(hold.rpsRatio)} the rps${hold.p99Ratio === null ? '' : `, ${times(hold.p99Ratio)} the worst-second p99`}; failed requests ${fails}.`,
    );
  }
  return out;
}

/** Sentences a reader can act on, each computed from the data. */
function findings(data: BenchData): string[] {
  const p = data.sections.profile;
  const profile = p === undefined ? [] : profileFindings(p).map((f) => `profile: ${f}`);
  return [...kernelsFindings(data), ...capacityFindings(data), ...loadFindings(data), ...profile];
}

function suiteLine(s: SuiteRecord): string {
  const secs = (s.durationMs / 1000).toFixed(0);
  const why = s.error !== undefined ? `: ${s.error.message}` : s.reason !== undefined ? `: ${s.reason}` : '';
  return `${s.suite}: ${s.state} in ${secs} s${why}`;
}

/** Move a suite's Markdown headings so its top level becomes `level`, to nest it under the run's own heading. */
function nestHeadings(md: string, level: number): string {
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

/** The run's head: suites, the charts' note, findings, doubtful figures and the environment. */
function headMarkdown(r: BenchResults, charts?: ReportCharts): string[] {
  const d = r.data;
  const parts: string[] = [`# servebench run, ${r.createdAt}`, ''];
  parts.push(`servebench ${r.servebench.version} · \`servebench ${r.servebench.argv.join(' ')}\`${d.quick ? ' · quick mode' : ''}`, '');
  parts.push('## Suites', '');
  for (const s of d.suites) parts.push(`- ${suiteLine(s)}`);
  parts.push('');
  if (charts?.note !== undefined) parts.push(charts.note, '');
  const f = findings(d);
  if (f.length > 0) parts.push('## Findings', '', ...f.map((line) => `- ${line}`), '');
  const flags = collectFlags(d);
  parts.push('## Doubtful figures', '');
  if (flags.length === 0) parts.push('None flagged.');
  for (const fl of flags) parts.push(`- **${fl.suite}** · ${fl.kind} · ${fl.subject}: ${fl.message}`);
  parts.push('', '## Environment', '', ...envSummaryLines(r.env).map((line) => `- ${line}`), '');
  return parts;
}

/** The Markdown report of a bench run; `charts` (links, or inline SVG for HTML) go under each section's heading. */
export function renderBenchMarkdown(r: BenchResults, charts?: ReportCharts): string {
  const parts = headMarkdown(r, charts);
  const sec = r.data.sections;
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

/** A self-contained HTML page of the Markdown report (no external assets); `charts` holds inline SVG figures. */
export function renderBenchHtml(r: BenchResults, charts?: ReportCharts): string {
  return markdownPage(`servebench run ${r.createdAt}`, renderBenchMarkdown(r, charts));
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

/** The HTML page of a bench run with its charts drawn from the data (or a line saying why there are none). */
export async function renderBenchHtmlWithCharts(r: BenchResults, options: RenderChartsOptions = {}): Promise<string> {
  return renderBenchHtml(r, chartsHtml(await renderCharts(benchCharts(r.data), options)));
}

/**
 * The Markdown of a saved bench run, linking the chart files of its run folder (runDir/charts) that exist;
 * links are relative to `from`, the folder the Markdown is written to.
 */
export function renderBenchMarkdownWithChartLinks(r: BenchResults, runDir: string, from: string): string {
  const dir = join(runDir, 'charts');
  const rel = relative(from, dir).split(sep).join('/');
  return renderBenchMarkdown(r, chartsMarkdown(existingChartFiles(r.data, dir), rel === '' ? '.' : rel));
}
