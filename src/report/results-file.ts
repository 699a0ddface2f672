// Any saved results file (results.json of a run, or one suite's kernels.json, load.json, profile.json,
// capacity.json, hardware.json) rendered in one of the report formats: one table from the file's kind to its
// renderers (and CSV, one table for every kind: csv.ts). What `servebench report` prints or writes.

import type { CapacityData } from '../results/capacity.js';
import type { ResultEnvelope, ResultKind } from '../results/index.js';
import type { HardwareData } from '../results/hardware.js';
import type { KernelsData } from '../results/kernels.js';
import type { LoadData } from '../results/load.js';
import type { ProfileData } from '../results/profile.js';
import { renderCapacityMarkdown, renderCapacityTable } from './capacity.js';
import { renderCsv } from './csv.js';
import { renderHardwareHtml, renderHardwareMarkdown, renderHardwareSummary } from './hardware/render.js';
import { renderKernelsMarkdown, renderKernelsTable } from './kernels.js';
import { renderLoadMarkdown, renderLoadTerminal } from './load.js';
import { markdownPage } from './page.js';
import { renderProfileMarkdown, renderProfileTerminal } from './profile.js';
import {
  type BenchResults,
  renderBenchHtml,
  renderBenchHtmlWithCharts,
  renderBenchMarkdown,
  renderBenchMarkdownWithChartLinks,
  renderBenchTerminal,
} from './run-report.js';

export const REPORT_FORMATS = ['terminal', 'md', 'html', 'csv'] as const;
type ReportFormat = (typeof REPORT_FORMATS)[number];

type Renderers = Record<Exclude<ReportFormat, 'csv'>, () => string>;

/** A suite's Markdown and terminal renderers; its HTML is the Markdown as a page. */
function suite<D>(title: string, data: D, md: (d: D) => string, terminal: (d: D) => string): Renderers {
  return { md: () => md(data), html: () => markdownPage(title, md(data)), terminal: () => terminal(data) };
}

function renderersOf(r: ResultEnvelope<ResultKind, unknown>): Renderers {
  switch (r.kind) {
    case 'bench': {
      const b = r as BenchResults;
      return { md: () => renderBenchMarkdown(b), html: () => renderBenchHtml(b), terminal: () => renderBenchTerminal(b) };
    }
    case 'hardware': {
      const input = { env: r.env, data: r.data as HardwareData, createdAt: r.createdAt, servebench: { version: r.servebench.version } };
      return { md: () => renderHardwareMarkdown(input), html: () => renderHardwareHtml(input), terminal: () => renderHardwareSummary(input) };
    }
    case 'kernels':
      return suite('servebench kernels', r.data as KernelsData, renderKernelsMarkdown, renderKernelsTable);
    case 'load':
      return suite('servebench load', r.data as LoadData, renderLoadMarkdown, renderLoadTerminal);
    case 'profile':
      return suite('servebench profile', r.data as ProfileData, renderProfileMarkdown, renderProfileTerminal);
    case 'capacity':
      return suite('servebench capacity', r.data as CapacityData, renderCapacityMarkdown, renderCapacityTable);
  }
}

/** Render a results file in one format (a run without its charts); `series` adds load's per-second rows to CSV. */
export function renderResults(r: ResultEnvelope<ResultKind, unknown>, format: ReportFormat, series = false): string {
  return format === 'csv' ? renderCsv(r, { series }) : renderersOf(r)[format]();
}

export interface SavedResultsOptions {
  format: ReportFormat;
  /** The folder the results file is in (a run folder holds its charts/). */
  runDir: string;
  /** The folder the Markdown is written to, for relative chart links. @default runDir */
  outDir?: string;
  /** CSV: add the per-second rows of every load run. @default false */
  series?: boolean;
}

/**
 * Render a saved results file as `servebench report` does: a run's HTML embeds its charts (drawn from the
 * data); its Markdown links the chart files of its folder that exist; everything else as renderResults.
 */
export async function renderSavedResults(r: ResultEnvelope<ResultKind, unknown>, options: SavedResultsOptions): Promise<string> {
  if (r.kind === 'bench' && options.format === 'html') {
    return renderBenchHtmlWithCharts(r as BenchResults, {}, { from: options.outDir ?? options.runDir, runDir: options.runDir });
  }
  if (r.kind === 'bench' && options.format === 'md')
    return renderBenchMarkdownWithChartLinks(r as BenchResults, options.runDir, options.outDir ?? options.runDir);
  return renderResults(r, options.format, options.series === true);
}
