// `servebench report <file>`: the renderers alone, on a saved results file (results.json, kernels.json,
// load.json, profile.json or hardware.json). Re-renders without re-measuring.

import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { parseChoice } from '../options.js';
import { renderHardwareHtml, renderHardwareMarkdown, renderHardwareSummary } from '../report/hardware/render.js';
import { renderKernelsMarkdown, renderKernelsTable } from '../report/kernels.js';
import { renderLoadMarkdown, renderLoadTerminal } from '../report/load.js';
import { renderProfileMarkdown, renderProfileTerminal } from '../report/profile.js';
import { renderCapacityMarkdown, renderCapacityTable } from '../report/capacity.js';
import type { CapacityData } from '../results/capacity.js';
import { renderBenchHtml, renderBenchMarkdown, renderBenchTerminal, type BenchResults } from '../report/results.js';
import { renderBenchHtmlWithCharts, renderBenchMarkdownWithChartLinks } from '../report/charts.js';
import { readResults, type ResultEnvelope, type ResultKind } from '../results/index.js';
import type { HardwareData } from '../results/hardware.js';
import type { KernelsData } from '../results/kernels.js';
import type { LoadData } from '../results/load.js';
import type { ProfileData } from '../results/profile.js';
import { writeFileAtomic } from '../results/write.js';
import { Marked } from 'marked';

const FORMATS = ['terminal', 'md', 'html'] as const;
type Format = (typeof FORMATS)[number];

function wrapHtml(title: string, md: string): string {
  const body = new Marked({ gfm: true }).parse(md, { async: false });
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child{text-align:left}</style>
</head><body>\n${body}</body></html>\n`;
}

/** Render a results file in one format. */
export function renderResults(r: ResultEnvelope<ResultKind, unknown>, format: Format): string {
  switch (r.kind) {
    case 'bench': {
      const b = r as BenchResults;
      return format === 'md' ? renderBenchMarkdown(b) : format === 'html' ? renderBenchHtml(b) : renderBenchTerminal(b);
    }
    case 'hardware': {
      const input = { env: r.env, data: r.data as HardwareData, createdAt: r.createdAt, servebench: { version: r.servebench.version } };
      return format === 'md' ? renderHardwareMarkdown(input) : format === 'html' ? renderHardwareHtml(input) : renderHardwareSummary(input);
    }
    case 'kernels': {
      const d = r.data as KernelsData;
      return format === 'md' ? renderKernelsMarkdown(d) : format === 'html' ? wrapHtml('servebench kernels', renderKernelsMarkdown(d)) : renderKernelsTable(d);
    }
    case 'load': {
      const d = r.data as LoadData;
      return format === 'md' ? renderLoadMarkdown(d) : format === 'html' ? wrapHtml('servebench load', renderLoadMarkdown(d)) : renderLoadTerminal(d);
    }
    case 'profile': {
      const d = r.data as ProfileData;
      return format === 'md'
        ? renderProfileMarkdown(d)
        : format === 'html'
          ? wrapHtml('servebench profile', renderProfileMarkdown(d))
          : renderProfileTerminal(d);
    }
    case 'capacity': {
      const d = r.data as CapacityData;
      return format === 'md'
        ? renderCapacityMarkdown(d)
        : format === 'html'
          ? wrapHtml('servebench capacity', renderCapacityMarkdown(d))
          : renderCapacityTable(d);
    }
  }
}

interface ReportCliOptions {
  format: string;
  out?: string;
}

export function register(program: Command): void {
  program
    .command('report')
    .description('re-render a saved results file (results.json, kernels.json, load.json, profile.json, hardware.json) without measuring')
    .argument('<file>', 'the results file')
    .option('--format <format>', `one of ${FORMATS.join(', ')}`, 'terminal')
    .option('--out <dir>', 'write <name>.md or <name>.html into this folder instead of stdout')
    .action(async (file: string, opts: ReportCliOptions) => {
      const format = parseChoice('--format', opts.format, FORMATS);
      const r = readResults(resolve(file));
      // A run's HTML embeds its charts (drawn from the data); its Markdown links the chart files that exist.
      const runDir = dirname(resolve(file));
      const text =
        r.kind === 'bench' && format === 'html'
          ? await renderBenchHtmlWithCharts(r as BenchResults)
          : r.kind === 'bench' && format === 'md'
            ? renderBenchMarkdownWithChartLinks(r as BenchResults, runDir, opts.out === undefined ? runDir : resolve(opts.out))
            : renderResults(r, format);
      if (opts.out === undefined || format === 'terminal') {
        process.stdout.write(text);
        return;
      }
      const target = join(resolve(opts.out), `${basename(file).replace(/\.json$/, '')}.${format}`);
      writeFileAtomic(target, text);
      process.stderr.write(`[report] wrote ${target} (from ${dirname(resolve(file))})\n`);
    });
}
