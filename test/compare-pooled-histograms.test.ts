// Load percentiles are compared from the pooled histograms of all repeats: merged exactly, their percentile is
// the percentile of every sample (to the histogram's 3 significant digits), which the median of per-run
// percentiles is not.

import { describe, expect, it } from 'vitest';
import { compareResults } from '../src/results/compare/index.js';
import { histogramCount, mergeHistograms, pooledLatency, quantileInterval } from '../src/results/histogram.js';
import { median } from '../src/stats/index.js';
import { histogramOf, latencies, loadData, loadRun, wrap } from './compare-fixtures.js';

/** The percentile as HdrHistogram defines it: the smallest recorded value with at least p% of values at or below. */
function exactPercentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

const close = (a: number, b: number) => Math.abs(a - b) / b;

// Three repeats of different shapes: a fast one, a slow one, one with a long tail.
const runs = [latencies(5000, 1000, 0.2, 1), latencies(3000, 3000, 0.1, 2), [...latencies(4000, 1500, 0.3, 3), ...latencies(300, 40_000, 0.5, 4)]];
const all = runs.flat();
const encoded = runs.map(histogramOf);

describe('pooled HDR histograms', () => {
  it('merging keeps every sample', () => {
    expect(histogramCount(mergeHistograms(encoded)!)).toBe(all.length);
  });

  it('pooled percentiles equal the percentiles of all samples, within the 0.1% of 3 significant digits', () => {
    const pooled = pooledLatency(encoded)!;
    expect(pooled.count).toBe(all.length);
    for (const [p, got] of [
      [50, pooled.p50],
      [90, pooled.p90],
      [99, pooled.p99],
      [99.9, pooled.p999],
    ] as const) {
      expect(close(got, exactPercentile(all, p))).toBeLessThan(0.001);
    }
    expect(close(pooled.max, Math.max(...all))).toBeLessThan(0.001);
  });

  it('the median of per-run p99s is not the p99 of all samples', () => {
    const perRun = median(runs.map((r) => exactPercentile(r, 99)));
    expect(close(perRun, exactPercentile(all, 99))).toBeGreaterThan(0.1);
  });

  it('the interval of a pooled percentile holds it', () => {
    const i = quantileInterval(encoded, 0.99)!;
    expect(i.low).toBeLessThanOrEqual(i.value);
    expect(i.high).toBeGreaterThanOrEqual(i.value);
    expect(close(i.value, exactPercentile(all, 99))).toBeLessThan(0.001);
  });

  it('compare reports the pooled p50 and p99 of every repeat on each side', () => {
    const base = runs.map((r, i) => loadRun({ rpsSeries: [100, 100, 100], latenciesUs: r, repeat: i + 1 }));
    const next = runs.map((r, i) => loadRun({ rpsSeries: [100, 100, 100], latenciesUs: r.map((v) => v * 2), repeat: i + 1 }));
    const c = compareResults(wrap('load', loadData(base)), wrap('load', loadData(next)));
    const p99 = c.sections[0]!.figures.find((f) => f.metric === 'p99')!;
    expect(close(p99.base!, exactPercentile(all, 99))).toBeLessThan(0.001);
    expect(close(p99.new!, 2 * exactPercentile(all, 99))).toBeLessThan(0.002);
    expect(p99.test?.method).toBe('quantile-intervals');
    expect(p99.test?.sampleCounts).toEqual([all.length, all.length]);
  });
});
