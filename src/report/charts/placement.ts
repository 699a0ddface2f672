// Where a run's charts go: inline SVG figures under each section of the HTML report, links to the chart
// files under each section of the Markdown one, the files themselves in the run folder (charts/<name>.svg),
// and the one line a report gives when charts could not be drawn.

import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchData, SuiteName } from '../../results/bench.js';
import { writeFileAtomic } from '../../results/write.js';
import { escapeHtml, firstLine } from '../format.js';
import { benchCharts } from './bench.js';
import type { ChartsRender, RenderedChart } from './render.js';
import type { ChartSpec } from './spec.js';

/** What the run report places under each section's heading, and one line about the charts as a whole. */
export interface ReportCharts {
  bySection: Partial<Record<SuiteName, string>>;
  note?: string;
}

/** The report's line about charts that could not be drawn (undefined when every chart was drawn). */
export function chartsNote(r: ChartsRender): string | undefined {
  if (r.state === 'unavailable') return `charts: unavailable (${r.reason})`;
  if (r.errors.length === 0) return undefined;
  return `charts: ${r.errors.map((e) => `${e.name} not drawn (${firstLine(e.error.message)})`).join('; ')}`;
}

/** The SVG of a chart made fit for inline HTML: scales down with the page, labelled for screen readers. */
function inlineSvg(c: RenderedChart): string {
  return c.svg.replace(/\s*\n\s*/g, ' ').replace(/^<svg /, `<svg role="img" aria-label="${escapeHtml(c.title)}" style="max-width:100%;height:auto" `);
}

/**
 * HTML figures (inline SVG) per section. Each figure is one line with no blank line in it, so Markdown keeps
 * it as a raw HTML block.
 */
export function chartsHtml(r: ChartsRender): ReportCharts {
  const bySection: Partial<Record<SuiteName, string>> = {};
  if (r.state === 'rendered') {
    for (const c of r.charts) {
      const caption = `<figcaption style="font-size:13px;color:#424a53;max-width:900px">${escapeHtml(c.caption)}</figcaption>`;
      const fig = `<figure class="chart" id="chart-${escapeHtml(c.name)}" style="margin:1em 0 1.5em">${inlineSvg(c)}${caption}</figure>`;
      bySection[c.section] = bySection[c.section] === undefined ? fig : `${bySection[c.section]}\n${fig}`;
    }
  }
  const note = chartsNote(r);
  return note === undefined ? { bySection } : { bySection, note };
}

/** Markdown stays text: a link per chart file that exists, under its section. */
export function chartsMarkdown(files: readonly { name: string; section: SuiteName; title: string }[], dir = 'charts', note?: string): ReportCharts {
  const bySection: Partial<Record<SuiteName, string>> = {};
  for (const f of files) {
    const link = `Chart: [${f.title}](${dir}/${f.name}.svg)`;
    bySection[f.section] = bySection[f.section] === undefined ? link : `${bySection[f.section]}  \n${link}`;
  }
  return note === undefined ? { bySection } : { bySection, note };
}

/**
 * Write each rendered chart as <dir>/<name>.svg, and remove the .svg files of charts this run no longer has
 * (a run folder reused with --out), so the folder holds this run's charts only. Returns the files written.
 */
export function writeChartFiles(dir: string, r: ChartsRender): RenderedChart[] {
  const charts = r.state === 'rendered' ? r.charts : [];
  let old: string[] = [];
  try {
    old = readdirSync(dir).filter((f) => f.endsWith('.svg'));
  } catch {
    // No charts folder yet.
  }
  for (const f of old) if (!charts.some((c) => `${c.name}.svg` === f)) rmSync(join(dir, f), { force: true });
  if (charts.length === 0) return [];
  mkdirSync(dir, { recursive: true });
  for (const c of charts) writeFileAtomic(join(dir, `${c.name}.svg`), `${c.svg}\n`);
  return charts;
}

/** The charts of a run that exist as files in <dir> (for Markdown links when a saved run is re-rendered). */
export function existingChartFiles(data: BenchData, dir: string): ChartSpec[] {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    // No charts folder (an older run, or charts were unavailable): Markdown then has no links.
    return [];
  }
  return benchCharts(data).filter((c) => files.includes(`${c.name}.svg`));
}
