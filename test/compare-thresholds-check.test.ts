// Thresholds checked against load, kernels and bench results: per threshold the figures it applied to, the
// value measured and pass/fail; unscoped load thresholds leave out ramp and stress; goals can be turned on.

import { describe, expect, it } from 'vitest';
import { checkThresholds, parseThresholds, thresholdsPassed } from '../src/results/compare/index.js';
import { renderThresholdsMarkdown, renderThresholdsTerminal } from '../src/report/thresholds.js';
import type { BenchData } from '../src/results/index.js';
import { kernelEntry, kernelsData, loadData, loadRun, realBench, wrap } from './compare-fixtures.js';

const ms = (x: number) => x * 1000;
const spread = (center: number, n: number) => Array.from({ length: n }, (_, i) => center + (i % 10));

const load = wrap(
  'load',
  loadData([
    loadRun({ configId: 'async/single/io', rpsSeries: [600, 600], latenciesUs: spread(ms(50), 200), repeat: 1 }),
    loadRun({ configId: 'async/single/io', rpsSeries: [400, 400], latenciesUs: spread(ms(70), 200), repeat: 2 }),
    loadRun({ configId: 'sync/single/io', rpsSeries: [20, 20], latenciesUs: spread(ms(300), 200) }),
    loadRun({ configId: 'sync/single/io', scenario: 'stress', step: 'overload', rpsSeries: [5, 5], latenciesUs: spread(ms(5000), 200) }),
  ]),
);

describe('checking thresholds', () => {
  it('p99 over every unscoped step (stress left out), from the pooled histograms of the repeats', () => {
    const [v] = checkThresholds(load, parseThresholds(['p99<200ms']));
    expect(v!.passed).toBe(false);
    expect(v!.checks.map((c) => c.subject)).toEqual(['async/single/io sustained held c=10', 'sync/single/io sustained held c=10']);
    expect(v!.checks[0]).toMatchObject({ passed: true });
    // The pooled p99 of both repeats is in the slower repeat's range, not the median of the two p99s.
    expect(v!.checks[0]!.value!).toBeGreaterThan(ms(70));
    expect(v!.checks[1]).toMatchObject({ passed: false });
    expect(v!.checks[1]!.value!).toBeGreaterThan(ms(300));
  });

  it('scoped: the configuration id, any segment with *, a scenario named', () => {
    const [a, b, c] = checkThresholds(load, parseThresholds(['async/single/io:p99<80ms', '*/single/*:rps>=10', 'stress:rps>=10']));
    expect(a!.passed).toBe(true);
    expect(a!.checks).toHaveLength(1);
    expect(b!.checks.map((x) => x.subject)).toEqual([
      'async/single/io sustained held c=10',
      'sync/single/io sustained held c=10',
      'sync/single/io stress overload',
    ]);
    expect(b!.checks[0]!.value).toBe(500);
    expect(c!.passed).toBe(false);
    expect(c!.checks).toEqual([{ subject: 'sync/single/io stress overload', value: 5, passed: false }]);
  });

  it('errors and an empty scope: nothing to check is a failure that says so', () => {
    const [e, none] = checkThresholds(load, parseThresholds(['errors<1%', 'nginx:p99<1s']));
    expect(e!.passed).toBe(true);
    expect(e!.checks.every((c) => c.value === 0)).toBe(true);
    expect(none!.passed).toBe(false);
    expect(none!.note).toMatch(/^nothing to check: no load step in scope nginx measured/);
  });

  it('kernels: gbPerSec and nsPerCall by kernel@n', () => {
    const kernels = wrap(
      'kernels',
      kernelsData([kernelEntry('native', 1e6, [170_000, 171_000, 172_000]), kernelEntry('typed', 1e6, [800_000, 810_000, 820_000])]),
    );
    const verdicts = checkThresholds(kernels, parseThresholds(['native@1e6:gbPerSec>=20', 'typed@1e6:gbPerSec>=20', 'nsPerCall<1ms', 'p99<1s']));
    expect(verdicts.map((v) => v.passed)).toEqual([true, false, true, false]);
    expect(verdicts[0]!.checks[0]!.value).toBeCloseTo(8e6 / 171_000, 6);
    expect(verdicts[2]!.checks).toHaveLength(2);
    expect(thresholdsPassed(verdicts)).toBe(false);
    expect(thresholdsPassed(verdicts.slice(0, 1))).toBe(true);
  });

  it('goals of a bench run (kernels and load goal tables), unmet ones failing', () => {
    const bench = realBench();
    const data = bench.data as BenchData;
    const [v] = checkThresholds(bench, parseThresholds(['goals']));
    const loadGoals = data.sections.load!.goals;
    expect(v!.checks).toHaveLength(data.sections.kernels!.goals.length + loadGoals.length + data.sections.experiments!.goals.length);
    const unmet = v!.checks.filter((c) => c.passed === false);
    expect(v!.passed).toBe(unmet.length === 0);
    data.sections.kernels!.goals[0]!.state = 'not-met';
    expect(checkThresholds(bench, parseThresholds(['goals']))[0]!.passed).toBe(false);
  });

  it('renders the failures under each threshold', () => {
    const verdicts = checkThresholds(load, parseThresholds(['p99<200ms', 'rps>=1']));
    const text = renderThresholdsTerminal(verdicts);
    expect(text).toContain('p99<200ms: FAILED (1 of 2 figures failed)');
    expect(text).toMatch(/sync\/single\/io sustained held c=10: 30\d ms FAILED/);
    expect(text).toContain('rps>=1: passed (2 figures)');
    expect(renderThresholdsMarkdown(verdicts)).toContain('- **p99<200ms: FAILED (1 of 2 figures failed)**');
  });
});
