// The files of a bench run beside results.json, drawn from the saved data only, after measuring: the SVG
// charts, results.md, results.html and hardware.html. Without vega the reports say why there are no charts.

import { join } from 'node:path';
import { progress } from '../progress.js';
import { benchCharts } from '../report/charts/bench.js';
import { chartsHtml, chartsMarkdown, chartsNote, writeChartFiles } from '../report/charts/placement.js';
import { renderCharts } from '../report/charts/render.js';
import { renderHardwareHtml } from '../report/hardware/render.js';
import { type BenchResults, renderBenchHtml, renderBenchMarkdown } from '../report/run-report.js';
import { writeFileAtomic } from '../results/index.js';

export async function renderRunFiles(results: BenchResults, outDir: string): Promise<void> {
  const { data, env } = results;
  const charts = await renderCharts(benchCharts(data));
  const chartFiles = writeChartFiles(join(outDir, 'charts'), charts);
  progress('bench', chartsNote(charts) ?? `charts: ${chartFiles.length} written to ${join(outDir, 'charts')}`);
  // hardware.html first: the reports link it only when it exists.
  if (data.sections.hardware !== undefined) {
    const input = { env, data: data.sections.hardware, createdAt: results.createdAt, servebench: { version: results.servebench.version } };
    writeFileAtomic(join(outDir, 'hardware.html'), renderHardwareHtml(input));
  }
  writeFileAtomic(join(outDir, 'results.md'), renderBenchMarkdown(results, chartsMarkdown(chartFiles, 'charts', chartsNote(charts)), { from: outDir }));
  writeFileAtomic(join(outDir, 'results.html'), renderBenchHtml(results, chartsHtml(charts), { from: outDir }));
}
