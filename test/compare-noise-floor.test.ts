// The noise floor: a change within the measured spread is "no significant change" however significant the
// test; a clear 2x change is slower or faster. And the small-sample rules behind every verdict.

import { describe, expect, it } from 'vitest';
import { compareResults } from '../src/results/compare/index.js';
import { changeSize, verdictOf } from '../src/results/compare/figure.js';
import { compareSamples, measuredSpread, rankTestCanReach, smallestExactP } from '../src/results/compare/significance.js';
import { kernelEntry, kernelsData, loadData, stepRuns, wrap } from './compare-fixtures.js';

function loadCompare(base: ReturnType<typeof stepRuns>, next: ReturnType<typeof stepRuns>) {
  const c = compareResults(wrap('load', loadData(base)), wrap('load', loadData(next)));
  const by = (m: string) => c.sections[0]!.figures.find((f) => f.metric === m)!;
  return { rps: by('rps'), p50: by('p50'), p99: by('p99') };
}

describe('noise floor', () => {
  it('3% change on a host with 30% per-second noise: no significant change', () => {
    const f = loadCompare(stepRuns(3, 1000, 2000, 0.3, 1), stepRuns(3, 970, 2060, 0.3, 7));
    for (const x of [f.rps, f.p50, f.p99]) {
      expect(x.verdict).toBe('no-significant-change');
      expect(x.noiseFloor!).toBeGreaterThan(0.2);
      expect(Math.abs(x.change!)).toBeLessThan(x.noiseFloor!);
    }
    expect(f.rps.noiseSource).toMatch(/per-second rps spread/);
  });

  it('a clear 2x change on the same noisy host: slower, and faster the other way round', () => {
    const slow = loadCompare(stepRuns(3, 1000, 2000, 0.3, 1), stepRuns(3, 500, 4000, 0.3, 7));
    for (const x of [slow.rps, slow.p50, slow.p99]) {
      expect(x.verdict).toBe('slower');
      expect(x.regression).toBe(true);
    }
    const fast = loadCompare(stepRuns(3, 500, 4000, 0.3, 7), stepRuns(3, 1000, 2000, 0.3, 1));
    for (const x of [fast.rps, fast.p50, fast.p99]) {
      expect(x.verdict).toBe('faster');
      expect(x.regression).toBe(false);
    }
  });

  it('a significant 3% change on a quiet host is a verdict', () => {
    const f = loadCompare(stepRuns(3, 1000, 2000, 0.005, 1), stepRuns(3, 970, 2060, 0.005, 7));
    expect(f.rps.verdict).toBe('slower');
    expect(f.p50.verdict).toBe('slower');
  });

  it('kernels: the per-process spread is the floor', () => {
    const noisy = (k: number) => [1000 * k, 1300 * k, 1150 * k, 900 * k];
    const base = wrap('kernels', kernelsData([kernelEntry('typed', 1e6, noisy(1))]));
    const within = compareResults(base, wrap('kernels', kernelsData([kernelEntry('typed', 1e6, noisy(1.03))]))).sections[0]!.figures[0]!;
    expect(within.verdict).toBe('no-significant-change');
    expect(within.noiseSource).toMatch(/per-process spread 3\d%/);
    const doubled = compareResults(base, wrap('kernels', kernelsData([kernelEntry('typed', 1e6, noisy(2))]))).sections[0]!.figures[0]!;
    expect(doubled.verdict).toBe('slower');
    const halved = compareResults(base, wrap('kernels', kernelsData([kernelEntry('typed', 1e6, noisy(0.5))]))).sections[0]!.figures[0]!;
    expect(halved.verdict).toBe('faster');
    expect(halved.test?.method).toBe('mann-whitney-exact');
    expect(halved.test?.p).toBeCloseTo(2 / 70, 10);
  });

  it('--noise-floor raises the floor above the measured spread', () => {
    const base = wrap('kernels', kernelsData([kernelEntry('typed', 1e6, [1000, 1001, 1002, 1003])]));
    const next = wrap('kernels', kernelsData([kernelEntry('typed', 1e6, [1100, 1101, 1102, 1103])]));
    expect(compareResults(base, next).sections[0]!.figures[0]!.verdict).toBe('slower');
    expect(compareResults(base, next, { noiseFloor: 0.15 }).sections[0]!.figures[0]!.verdict).toBe('no-significant-change');
  });
});

describe('small samples', () => {
  it('the exact test cannot reach 0.05 with 3 vs 3 (smallest p 0.1) but can with 4 vs 4', () => {
    expect(smallestExactP(3, 3)).toBeCloseTo(0.1, 10);
    expect(rankTestCanReach(3, 3, 0.05)).toBe(false);
    expect(rankTestCanReach(4, 4, 0.05)).toBe(true);
    expect(rankTestCanReach(30, 30, 0.05)).toBe(true);
  });

  it('3 vs 3 separated: the bootstrap interval of the ratio of medians decides, not a p of 0.1', () => {
    const e = compareSamples([100, 101, 102], [200, 201, 202], 0.05, 1, 'repeats')!;
    expect(e.test.method).toBe('bootstrap-ratio');
    expect(e.test.significant).toBe(true);
    expect(e.interval!.low).toBeGreaterThan(0.9);
    expect(compareSamples([100], [200, 201], 0.05, 1, 'repeats')).toBeUndefined();
  });

  it('load rps: per-repeat figures with 4 repeats a side, per-second figures pooled below that', () => {
    const four = loadCompare(stepRuns(4, 1000, 2000, 0.05, 1), stepRuns(4, 500, 4000, 0.05, 9));
    expect(four.rps.test?.samples).toMatch(/^4 vs 4 per-repeat rps/);
    const one = loadCompare(stepRuns(1, 1000, 2000, 0.05, 1), stepRuns(1, 500, 4000, 0.05, 9));
    expect(one.rps.test?.samples).toMatch(/^5 vs 5 per-second rps \(1 vs 1 repeats pooled\)/);
    expect(one.rps.verdict).toBe('slower');
  });

  it('measured spread: range over the median for few samples, 10th-90th percentile range for many', () => {
    expect(measuredSpread([90, 100, 110])).toBeCloseTo(0.2, 10);
    const many = [...Array.from({ length: 18 }, () => 100), 10, 1000];
    expect(measuredSpread(many)).toBe(0);
  });

  it('verdict words follow the figure: faster/slower for speeds, larger/smaller otherwise', () => {
    expect(verdictOf(-0.5, true, 0.02, 'lower', true)).toBe('faster');
    expect(verdictOf(-0.5, true, 0.02, 'higher', true)).toBe('slower');
    expect(verdictOf(0.5, true, 0.02, 'higher', false)).toBe('larger');
    expect(verdictOf(0.5, false, 0.02, 'higher', true)).toBe('no-significant-change');
    expect(verdictOf(0.01, true, 0.02, 'higher', true)).toBe('no-significant-change');
  });

  it('a halving goes as far as a doubling: the floor is held the same either way', () => {
    expect(changeSize(1)).toBe(1);
    expect(changeSize(-0.5)).toBe(1);
    expect(changeSize(-0.2)).toBeCloseTo(0.25, 12);
    expect(changeSize(-0.02, 'points')).toBe(0.02);
    expect(verdictOf(-0.45, true, 0.5, 'lower', true)).toBe('faster');
    expect(verdictOf(0.45, true, 0.5, 'lower', true)).toBe('no-significant-change');
  });
});
