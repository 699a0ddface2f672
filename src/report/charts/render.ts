// Chart specs rendered to SVG strings with vega's headless renderer (no canvas, no network, no fonts
// fetched). vega and vega-lite are ESM-only and loaded on demand, so a report still renders, without charts
// and saying why, when they cannot be loaded.

import type { TopLevelSpec } from 'vega-lite';
import { toErrorInfo } from '../../errors.js';
import type { ErrorInfo } from '../../results/common.js';
import { firstLine } from '../format.js';
import type { ChartSpec } from './spec.js';
import { useTextWidths } from './text-width.js';

export interface RenderedChart extends Omit<ChartSpec, 'spec'> {
  svg: string;
  /** vega-lite's and vega's warnings while compiling and rendering (empty when clean). */
  warnings: string[];
}

/** The outcome of rendering: per chart, an SVG or the error; or the whole renderer unavailable, with why. */
export type ChartsRender =
  | { state: 'rendered'; charts: RenderedChart[]; errors: { name: string; error: ErrorInfo }[] }
  | { state: 'unavailable'; reason: string };

/** The two ESM modules the renderer needs. */
interface ChartModules {
  vega: typeof import('vega');
  vegaLite: typeof import('vega-lite');
}

/** Load vega and vega-lite (dynamic import: they are ESM-only, and optional at run time). */
async function loadChartModules(): Promise<ChartModules> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  return { vega, vegaLite };
}

/** vega's logger interface, collecting what it says instead of printing it (vega calls the methods unbound). */
interface CollectingLogger {
  level(level?: number): number | CollectingLogger;
  error(...args: unknown[]): CollectingLogger;
  warn(...args: unknown[]): CollectingLogger;
  info(...args: unknown[]): CollectingLogger;
  debug(...args: unknown[]): CollectingLogger;
}

function collectingLogger(): { logger: CollectingLogger; warnings: string[]; errors: string[] } {
  const warnings: string[] = [];
  const errors: string[] = [];
  let current = 2;
  const logger: CollectingLogger = {
    level: (level?: number) => {
      if (level === undefined) return current;
      current = level;
      return logger;
    },
    error: (...args: unknown[]) => {
      errors.push(args.map(String).join(' '));
      return logger;
    },
    warn: (...args: unknown[]) => {
      warnings.push(args.map(String).join(' '));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return { logger, warnings, errors };
}

export interface RenderChartsOptions {
  /** How vega and vega-lite are loaded (tests replace it). @default loadChartModules */
  load?: () => Promise<ChartModules>;
}

/** One chart to SVG; throws what vega-lite or vega said was wrong. */
async function renderChart(mods: ChartModules, c: ChartSpec): Promise<RenderedChart> {
  const { logger, warnings, errors: logged } = collectingLogger();
  const vg = mods.vegaLite.compile(c.spec as unknown as TopLevelSpec, { logger }).spec;
  const view = new mods.vega.View(mods.vega.parse(vg), { renderer: 'none', logger, logLevel: mods.vega.Warn });
  let svg: string;
  try {
    svg = await view.toSVG();
  } finally {
    view.finalize();
  }
  if (logged.length > 0) throw new Error(logged.join('; '));
  const { spec: _spec, ...meta } = c;
  return { ...meta, svg, warnings };
}

/** Render specs to SVG strings. Never throws: an unloadable renderer or a failing chart is data. */
export async function renderCharts(charts: readonly ChartSpec[], options: RenderChartsOptions = {}): Promise<ChartsRender> {
  let mods: ChartModules;
  try {
    mods = await (options.load ?? loadChartModules)();
  } catch (err) {
    return { state: 'unavailable', reason: firstLine(toErrorInfo(err).message) };
  }
  useTextWidths(mods.vega);
  const rendered: RenderedChart[] = [];
  const errors: { name: string; error: ErrorInfo }[] = [];
  for (const c of charts) {
    try {
      rendered.push(await renderChart(mods, c));
    } catch (err) {
      errors.push({ name: c.name, error: toErrorInfo(err) });
    }
  }
  return { state: 'rendered', charts: rendered, errors };
}
