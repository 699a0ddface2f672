// The run report of `servebench bench`: one results.json rendered as a terminal summary, results.md and a
// self-contained results.html, with or without the run's charts. Reads only the data; every section is
// drawn by its suite's renderer, the charts by charts/ (which never import this module).

import { join, relative, sep } from 'node:path';
import type { BenchData, SuiteRecord } from '../results/bench.js';
import type { ResultEnvelope } from '../results/index.js';
import { Slugger, tableOfContents } from './anchors.js';
import { answers, answersMarkdown, answersTerminal, SECTION_TITLES } from './answers.js';
import { renderCapacityMarkdown, renderCapacityTable } from './capacity.js';
import { benchCharts } from './charts/bench.js';
import { chartsHtml, chartsMarkdown, existingChartFiles, type ReportCharts } from './charts/placement.js';
import { type RenderChartsOptions, renderCharts } from './charts/render.js';
import { plainWords } from './citations.js';
import { concurrencyMarkdown, renderConcurrencyTerminal } from './concurrency.js';
import { doubtfulMarkdown, doubtfulTerminal } from './doubtful.js';
import { envSummaryLines } from './env.js';
import { renderHardwareMarkdown } from './hardware/render.js';
import { renderKernelsMarkdown, renderKernelsTable } from './kernels.js';
import { renderLoadMarkdown, renderLoadTerminal } from './load.js';
import { markdownPage } from './page.js';
import { renderProfileMarkdown, renderProfileTerminal } from './profile.js';
import { findings } from './run-findings.js';
import { artefactLinker, fileLink, profileFolderWords, type ReportPlace, runDirOf } from './run-links.js';

export type BenchResults = ResultEnvelope<'bench', BenchData>;

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

/**
 * A suite's section: the run's own heading, its charts if any, then the suite's Markdown nested below it, any
 * internal reference of the measuring code's text ("issue 3: ...", "seed 003") in the published experiments' names.
 */
function section(title: string, md: string, charts?: string): string {
  return `## ${title}\n\n${charts === undefined ? '' : `${charts}\n\n`}${plainWords(nestHeadings(md, 3).trim())}\n`;
}

/** What a suite's section is called in the run report (and linked as by the answers and the contents). */
const TITLES = SECTION_TITLES;

/** The run's head: what ran, the answers, the suites, findings and doubtful figures (the environment comes last). */
function headMarkdown(r: BenchResults, charts: ReportCharts | undefined, titles: ReadonlySet<string>): string[] {
  const d = r.data;
  const parts: string[] = [`# servebench run, ${r.createdAt}`, ''];
  parts.push(`servebench ${r.servebench.version} · \`servebench ${r.servebench.argv.join(' ')}\`${d.quick ? ' · quick mode' : ''}`, '');
  parts.push(TOC_MARK, '');
  parts.push('## Summary of answers', '');
  parts.push(...answersMarkdown(answers(d), (t) => (titles.has(t) ? new Slugger().slug(t) : undefined)));
  parts.push('## Suites', '');
  for (const s of d.suites) parts.push(`- ${suiteLine(s)}`);
  parts.push('');
  if (charts?.note !== undefined) parts.push(charts.note, '');
  const f = findings(d);
  if (f.length > 0) parts.push('## Findings', '', ...f.map((line) => `- ${line}`), '');
  parts.push('## Doubtful figures', '', ...doubtfulMarkdown(d), '');
  return parts;
}

/** The environment and the hardware report, last, folded (a reader opens it when a figure needs its context). */
function environmentMarkdown(r: BenchResults, place: ReportPlace): string[] {
  const sec = r.data.sections;
  const out = ['## Environment and hardware', '', '<details><summary>The host, its load while measuring, and the hardware report</summary>', ''];
  out.push(...envSummaryLines(r.env).map((line) => `- ${plainWords(line)}`), '');
  const run = runDirOf(place);
  const files = ['results.json', 'hardware.html'].flatMap((file) => {
    const link = run === undefined ? undefined : fileLink(place, join(run, file));
    return link === undefined ? [] : [`[${file}](${link})`];
  });
  if (files.length > 0) out.push(`Files of this run: ${files.join(' · ')}.`, '');
  if (sec.hardware !== undefined) {
    const input = { env: r.env, data: sec.hardware, createdAt: r.createdAt, servebench: { version: r.servebench.version } };
    out.push(nestHeadings(renderHardwareMarkdown(input, { headingOffset: 1 }), 3).trim(), '');
  }
  out.push('</details>', '');
  return out;
}

/** The suites' sections, in the order of the questions: serving first, then kernels and capacity. */
function sectionsMarkdown(r: BenchResults, charts: ReportCharts | undefined, place: ReportPlace): string[] {
  const sec = r.data.sections;
  const c = charts?.bySection ?? {};
  const parts: string[] = [];
  if (sec.load !== undefined) parts.push(section(TITLES.load, renderLoadMarkdown(sec.load), c.load));
  if (sec.profile !== undefined) {
    const p = sec.profile;
    const md = `${renderProfileMarkdown(p, { artefactLink: artefactLinker(place, p) })}\n${profileFolderWords(place, p)}\n`;
    parts.push(section(TITLES.profile, md, c.profile));
  }
  if (sec.concurrency !== undefined) parts.push(section(TITLES.concurrency, concurrencyMarkdown(sec.concurrency).join('\n'), c.concurrency));
  if (sec.experiments !== undefined) parts.push(section(TITLES.experiments, renderLoadMarkdown(sec.experiments), c.experiments));
  if (sec.kernels !== undefined) parts.push(section(TITLES.kernels, renderKernelsMarkdown(sec.kernels), c.kernels));
  if (sec.capacity !== undefined) parts.push(section(TITLES.capacity, renderCapacityMarkdown(sec.capacity), c.capacity));
  return parts;
}

/** Where the table of contents goes, once the whole text (and so every anchor) is known. */
const TOC_MARK = '<!-- contents -->';

/**
 * The Markdown report of a bench run: results first (the answers, then each suite), the environment last;
 * `charts` (links, or inline SVG for HTML) go under each section's heading; `place` is where it is written,
 * for links to the run's files (none without it).
 */
export function renderBenchMarkdown(r: BenchResults, charts?: ReportCharts, place: ReportPlace = {}): string {
  const sections = sectionsMarkdown(r, charts, place);
  const titles = new Set(sections.map((s) => /^## (.*)$/m.exec(s)?.[1] ?? ''));
  const md = [...headMarkdown(r, charts, titles), ...sections, ...environmentMarkdown(r, place)].join('\n').trimEnd();
  return `${md.replace(TOC_MARK, `**Contents**\n\n${tableOfContents(md, 2, 2)}`)}\n`;
}

/** A self-contained HTML page of the Markdown report (no external assets); `charts` holds inline SVG figures. */
export function renderBenchHtml(r: BenchResults, charts?: ReportCharts, place: ReportPlace = {}): string {
  return markdownPage(`servebench run ${r.createdAt}`, renderBenchMarkdown(r, charts, place));
}

/** The terminal summary of a bench run: each suite's table, then the answers, findings and flags. */
export function renderBenchTerminal(r: BenchResults): string {
  const d = r.data;
  const parts: string[] = [];
  const sec = d.sections;
  if (sec.kernels !== undefined) parts.push(renderKernelsTable(sec.kernels));
  if (sec.capacity !== undefined) parts.push(renderCapacityTable(sec.capacity));
  if (sec.load !== undefined) parts.push(renderLoadTerminal(sec.load));
  if (sec.experiments !== undefined) parts.push(renderLoadTerminal(sec.experiments));
  if (sec.concurrency !== undefined) parts.push(renderConcurrencyTerminal(sec.concurrency));
  if (sec.profile !== undefined) parts.push(renderProfileTerminal(sec.profile));
  parts.push('suites:');
  for (const s of d.suites) parts.push(`  ${suiteLine(s)}`);
  parts.push('answers:', ...answersTerminal(answers(d)).map((l) => `  ${l}`));
  const f = findings(d);
  if (f.length > 0) {
    parts.push('findings:');
    for (const line of f) parts.push(`  - ${line}`);
  }
  parts.push(...doubtfulTerminal(d));
  return `${parts.join('\n')}\n`;
}

/** The HTML page of a bench run with its charts drawn from the data (or a line saying why there are none). */
export async function renderBenchHtmlWithCharts(r: BenchResults, options: RenderChartsOptions = {}, place: ReportPlace = {}): Promise<string> {
  return renderBenchHtml(r, chartsHtml(await renderCharts(benchCharts(r.data), options)), place);
}

/**
 * The Markdown of a saved bench run, linking the chart files of its run folder (runDir/charts) that exist;
 * links are relative to `from`, the folder the Markdown is written to.
 */
export function renderBenchMarkdownWithChartLinks(r: BenchResults, runDir: string, from: string): string {
  const dir = join(runDir, 'charts');
  const rel = relative(from, dir).split(sep).join('/');
  return renderBenchMarkdown(r, chartsMarkdown(existingChartFiles(r.data, dir), rel === '' ? '.' : rel), { from, runDir });
}
