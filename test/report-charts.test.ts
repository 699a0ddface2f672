// The run report's charts: vega-lite specs built from two real saved runs (a full and a --quick bench, trimmed
// into test/fixtures/) render to SVG with their axis titles and one mark per series, doubtful figures drawn
// as rings; a section missing from the data gives no chart; a renderer that cannot be loaded, or one chart
// that fails, never loses the report.

import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoscaleChart } from '../src/report/charts/autoscale.js';
import { benchCharts } from '../src/report/charts/bench.js';
import { capacityChart } from '../src/report/charts/capacity.js';
import { kernelsChart } from '../src/report/charts/kernels.js';
import { loadRampChart } from '../src/report/charts/load-ramp.js';
import { chartsMarkdown, writeChartFiles } from '../src/report/charts/placement.js';
import { profileChart } from '../src/report/charts/profile.js';
import { renderCharts, type ChartsRender, type RenderedChart } from '../src/report/charts/render.js';
import { requestPathsChart } from '../src/report/charts/request-paths.js';
import { decadeTicks, logAxis } from '../src/report/charts/spec.js';
import {
  renderBenchHtml,
  renderBenchHtmlWithCharts,
  renderBenchMarkdown,
  renderBenchMarkdownWithChartLinks,
  type BenchResults,
} from '../src/report/run-report.js';
import type { LoadData } from '../src/results/load.js';

const fixture = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8')) as BenchResults;
const full = fixture('bench-full-results.json');
const quick = fixture('bench-quick-results.json');

/** The paths inside each `<g class="mark-<type> role-mark ...">` group of an SVG (a grouped line mark has one group per series). */
function markGroups(svg: string, type: 'line' | 'symbol' | 'rect'): string[][] {
  const out: string[][] = [];
  for (const m of svg.matchAll(new RegExp(`<g class="mark-${type} role-mark[^"]*"[^>]*>(.*?)</g>`, 'g'))) {
    out.push([...m[1]!.matchAll(/<path [^>]*d="([^"]*)"/g)].map((p) => p[1]!));
  }
  return out;
}
/** A ring (two subpaths) rather than a filled circle. */
const isRing = (d: string) => /Z\s*M/.test(d);

const rendered = new Map<string, ChartsRender>();
beforeAll(async () => {
  for (const [name, r] of [
    ['full', full],
    ['quick', quick],
  ] as const)
    rendered.set(name, await renderCharts(benchCharts(r.data)));
});
const chart = (run: 'full' | 'quick', name: string): RenderedChart => {
  const r = rendered.get(run)!;
  if (r.state !== 'rendered') throw new Error(`charts unavailable: ${r.reason}`);
  const c = r.charts.find((x) => x.name === name);
  if (c === undefined) throw new Error(`no chart ${name} in ${r.charts.map((x) => x.name).join(', ')}`);
  return c;
};

describe('charts from two real saved runs', () => {
  it.each(['full', 'quick'] as const)('the %s run gives all six charts, every one rendered to SVG without errors', (run) => {
    const r = rendered.get(run)!;
    expect(r.state).toBe('rendered');
    if (r.state !== 'rendered') return;
    expect(r.errors).toEqual([]);
    expect(r.charts.map((c) => c.name)).toEqual(['kernels', 'capacity', 'load-ramp', 'request-paths', 'autoscale', 'profile']);
    for (const c of r.charts) {
      expect(c.svg).toMatch(/^<svg [^>]*viewBox="0 0 \d+ \d+"/);
      expect(c.svg).not.toMatch(/href=|url\(/);
      expect(c.warnings).toEqual([]);
    }
  });

  it.each(['full', 'quick'] as const)('kernels (%s): axis titles, a line per kernel and per probe thread count, noisy figures as rings', (run) => {
    const data = (run === 'full' ? full : quick).data.sections.kernels!;
    const c = chart(run, 'kernels');
    expect(c.svg).toContain('n (values per call, log scale)');
    expect(c.svg).toContain('throughput (GB/s');
    expect(c.svg).toContain('roofline: bandwidth probe, 1 thread');
    expect(c.svg).toContain('noisy (ring)');
    const kernels = new Set(data.entries.filter((e) => e.state === 'completed').map((e) => e.kernel));
    const threads = new Set(data.probes.filter((p) => p.state === 'completed').map((p) => p.threads));
    expect(markGroups(c.svg, 'line').flat()).toHaveLength(kernels.size + threads.size);
    // native-parallel's points are drawn first, beneath the other kernels' (two groups).
    const points = markGroups(c.svg, 'symbol').slice(0, 2).flat();
    const completed = data.entries.filter((e) => e.state === 'completed');
    expect(points).toHaveLength(completed.length);
    expect(points.filter(isRing)).toHaveLength(completed.filter((e) => e.noisy).length);
    expect(completed.some((e) => e.noisy)).toBe(true);
  });

  it.each(['full', 'quick'] as const)('load ramp (%s): rps and p99 panels per predict, a line per configuration, the breaking points marked', (run) => {
    const data = (run === 'full' ? full : quick).data.sections.load!;
    const c = chart(run, 'load-ramp');
    for (const t of ['connections (log scale)', 'throughput (responses/s, log)', 'p99 latency (ms, log)', 'p99 goal 500 ms', 'breaking point'])
      expect(c.svg).toContain(t);
    const ramped = [...new Set(data.summaries.filter((s) => s.scenario === 'ramp').map((s) => s.configId))];
    const predicts = [...new Set(ramped.map((id) => data.configurations.find((x) => x.id === id)!.predict))];
    // two panels (rps, p99) per predict, each with one line per configuration of that predict
    expect(predicts.length).toBe(run === 'full' ? 2 : 1);
    expect(markGroups(c.svg, 'line').flat()).toHaveLength(2 * ramped.length);
    for (const p of predicts) expect(c.svg).toContain(`${p} predict: p99 latency`);
    const breaks = data.ramps.filter((r) => r.breakingPoint !== null).length;
    const symbols = markGroups(c.svg, 'symbol').flat();
    expect(symbols).toHaveLength(2 * (data.summaries.filter((s) => s.scenario === 'ramp').length + breaks));
  });

  it('request paths: one point per configuration at 50 connections, with its min..max bar', () => {
    const data = full.data.sections.load!;
    const at50 = data.summaries.filter((s) => s.scenario === 'request-paths' && s.step === 'c=50');
    const c = chart('full', 'request-paths');
    expect(c.svg).toContain('throughput (successful responses/s, log scale)');
    for (const s of at50) expect(c.svg).toContain(s.configId);
    expect(markGroups(c.svg, 'symbol')[0]).toHaveLength(at50.length);
    expect(markGroups(c.svg, 'symbol')[0]!.filter(isRing)).toHaveLength(at50.filter((s) => s.validRepeats === 0).length);
    expect(c.svg).toMatch(/1,054\/s \(1,050\.\.1,057\), 2 rounds/);
  });

  it('autoscale: offered, served and failed per second, and replicas ready per service and system', () => {
    const a = full.data.sections.experiments!.autoscale!;
    const c = chart('full', 'autoscale');
    for (const t of [
      'requests per second',
      'replicas ready',
      'time since the measured window started (s)',
      'offered (arrivals scheduled)',
      'served: autoscaled (emulated HPA)',
      'served: fixed, 1 replica',
      'failed: fixed, 1 replica',
      'not Kubernetes',
    ]) {
      expect(c.svg).toContain(t);
    }
    // offered + served by each system + failed for the one that failed; replicas: per service and system
    const rps = 1 + a.configurations.length + a.configurations.filter((x) => x.timeline.some((t) => t.failures > 0)).length;
    expect(markGroups(c.svg, 'line').flat()).toHaveLength(rps + 2 * a.configurations.length);
  });

  it('profile: one stacked bar per case with samples, a segment per frame group with samples', () => {
    const p = full.data.sections.profile!;
    const c = chart('full', 'profile');
    for (const t of ['share of samples (%)', 'blocked waiting', 'idle', 'sync · 0x', 'async · 0x', '95%']) expect(c.svg).toContain(t);
    const segments = p.cases.flatMap((x) =>
      x.state === 'completed' && x.summaries[0] !== undefined ? x.summaries[0].groups.filter((g) => g.fraction > 0) : [],
    );
    expect(markGroups(c.svg, 'rect').flat()).toHaveLength(segments.length);
  });

  it('capacity: one point per kernel at its max n, coloured by how it fails', () => {
    const k = full.data.sections.capacity!.kernels;
    const c = chart('full', 'capacity');
    for (const t of ['n (values per request, log scale)', 'js-heap-exhausted', 'allocation-failed', '75,000,000 · fails at 78,200,000', '2 GiB / 8 B'])
      expect(c.svg).toContain(t);
    expect(markGroups(c.svg, 'symbol')[0]).toHaveLength(k.length);
  });
});

describe('missing or empty data', () => {
  it('a run without sections gives no chart, and its report renders with and without charts', async () => {
    const empty: BenchResults = { ...full, data: { quick: false, suites: [], sections: {} } };
    expect(benchCharts(empty.data)).toEqual([]);
    const html = await renderBenchHtmlWithCharts(empty);
    expect(html).toMatch(/<h2[^>]*>Environment and hardware<\/h2>/);
    expect(html).not.toContain('<svg');
  });

  it('each section alone gives only its own charts', () => {
    const s = full.data.sections;
    const only = (sections: BenchResults['data']['sections']) => benchCharts({ quick: false, suites: [], sections }).map((c) => c.name);
    expect(only({ kernels: s.kernels! })).toEqual(['kernels']);
    expect(only({ capacity: s.capacity! })).toEqual(['capacity']);
    expect(only({ load: s.load! })).toEqual(['load-ramp', 'request-paths']);
    expect(only({ experiments: s.experiments! })).toEqual(['autoscale']);
    expect(only({ profile: s.profile! })).toEqual(['profile']);
  });

  it('sections with nothing to draw give null, not a crash', () => {
    const s = full.data.sections;
    const load: LoadData = { ...s.load!, summaries: [], ramps: [], runs: [] };
    expect(loadRampChart(load)).toBeNull();
    expect(requestPathsChart(load)).toBeNull();
    expect(autoscaleChart(load)).toBeNull();
    expect(autoscaleChart({ ...s.experiments!, autoscale: { ...s.experiments!.autoscale!, configurations: [] } })).toBeNull();
    expect(
      kernelsChart({ ...s.kernels!, entries: s.kernels!.entries.map((e) => ({ kernel: e.kernel, n: e.n, state: 'skipped' as const, reason: 'test' })) }),
    ).toBeNull();
    expect(
      capacityChart({
        ...s.capacity!,
        kernels: s.capacity!.kernels.map((k) => ({
          kernel: k.kernel,
          description: k.description,
          probes: [],
          state: 'unavailable' as const,
          reason: 'native: unavailable (test)',
        })),
      }),
    ).toBeNull();
    expect(
      profileChart({
        ...s.profile!,
        cases: s.profile!.cases.map((c) => ({
          id: c.id,
          tool: c.tool,
          service: c.service,
          path: c.path,
          predict: c.predict,
          topology: c.topology,
          state: 'errored' as const,
          error: { code: 'X', message: 'boom' },
        })),
      }),
    ).toBeNull();
  });

  it('an errored kernel is left out of the capacity chart and named in it', () => {
    const cap = full.data.sections.capacity!;
    const c = capacityChart({
      ...cap,
      kernels: cap.kernels.map((k) =>
        k.kernel === 'native-async'
          ? { kernel: k.kernel, description: k.description, probes: [], state: 'errored' as const, error: { code: 'X', message: 'boom' } }
          : k,
      ),
    })!;
    expect(JSON.stringify(c.spec)).toContain('not drawn: native-async errored');
  });
});

describe('when vega cannot be loaded or a chart fails', () => {
  const noVega = () => Promise.reject(new Error("Cannot find package 'vega' imported from charts.js"));

  it('renderCharts says unavailable with the reason, and the HTML report says so and still renders', async () => {
    const r = await renderCharts(benchCharts(quick.data), { load: noVega });
    expect(r).toEqual({ state: 'unavailable', reason: "Cannot find package 'vega' imported from charts.js" });
    const html = await renderBenchHtmlWithCharts(quick, { load: noVega });
    expect(html).toContain('charts: unavailable (Cannot find package');
    expect(html).not.toContain('<svg');
    expect(html).toMatch(/<h2[^>]*>Kernels: the mean over n values<\/h2>/);
  });

  it('one failing spec is recorded as data; the other charts still render', async () => {
    const specs = benchCharts(quick.data);
    specs[0] = { ...specs[0]!, spec: { mark: 'no-such-mark', data: { values: [] } } };
    const r = await renderCharts(specs);
    expect(r.state).toBe('rendered');
    if (r.state !== 'rendered') return;
    expect(r.errors.map((e) => e.name)).toEqual([specs[0].name]);
    expect(r.charts).toHaveLength(specs.length - 1);
  });
});

describe('charts in the run folder and in the reports', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'servebench-charts-'));
  });
  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('writes charts/<name>.svg, removes stale ones, and the Markdown links the files that exist', () => {
    const r = rendered.get('quick')!;
    const chartsDir = join(dir, 'charts');
    writeFileSync(join(dir, 'results.json'), '{}');
    writeChartFiles(chartsDir, r);
    writeFileSync(join(chartsDir, 'old-chart.svg'), '<svg/>');
    const files = writeChartFiles(chartsDir, r);
    expect(readdirSync(chartsDir).sort()).toEqual(files.map((f) => `${f.name}.svg`).sort());
    expect(readFileSync(join(chartsDir, 'kernels.svg'), 'utf8')).toMatch(/^<svg /);

    const md = renderBenchMarkdown(quick, chartsMarkdown(files));
    expect(md).toContain('Chart: [Kernels: throughput (GB/s)');
    expect(md).toContain('](charts/kernels.svg)');
    expect(md).not.toContain('<svg');
    // a saved run re-rendered elsewhere links the files relative to where the Markdown goes
    const elsewhere = join(dir, 'out');
    expect(renderBenchMarkdownWithChartLinks(quick, dir, elsewhere)).toContain('](../charts/autoscale.svg)');
    rmSync(join(chartsDir, 'autoscale.svg'));
    expect(renderBenchMarkdownWithChartLinks(quick, dir, dir)).not.toContain('autoscale.svg');
    expect(existsSync(join(chartsDir, 'old-chart.svg'))).toBe(false);
  });

  it('the HTML report places each chart under its section heading, as inline SVG', () => {
    const r = rendered.get('full')!;
    expect(r.state).toBe('rendered');
    if (r.state !== 'rendered') return;
    const html = renderBenchHtml(full, {
      bySection: Object.fromEntries(
        [...new Set(r.charts.map((c) => c.section))].map((s) => [
          s,
          r.charts
            .filter((c) => c.section === s)
            .map((c) => `<figure class="chart" id="chart-${c.name}">${c.svg}</figure>`)
            .join('\n'),
        ]),
      ),
    });
    const at = (s: string) => html.indexOf(s);
    expect(at('id="chart-kernels"')).toBeGreaterThan(at('>Kernels: the mean over n values</h2>'));
    expect(at('id="chart-kernels"')).toBeLessThan(at('>Capacity: the n at which memory runs out</h2>'));
    expect(at('id="chart-autoscale"')).toBeGreaterThan(at('>Experiments: Redis queue and autoscaling</h2>'));
    expect(at('id="chart-profile"')).toBeGreaterThan(at('>Profiles: where the time goes</h2>'));
    expect(html).not.toContain('&lt;svg');
  });
});

describe('log axes', () => {
  it('decade ticks cover the data; short spans get 1-2-5 steps', () => {
    expect(decadeTicks(3, 4500)).toEqual([1, 10, 100, 1000, 10000]);
    expect(decadeTicks(0.0002, 0.5)).toEqual([0.0001, 0.001, 0.01, 0.1, 1]);
    expect(logAxis(10.4, 4207)).toEqual({ domain: [10, 5000], ticks: [10, 20, 50, 100, 200, 500, 1000, 2000, 5000] });
    expect(logAxis(1, 1e6).ticks).toEqual([1, 10, 100, 1000, 10000, 100000, 1000000]);
  });
});
