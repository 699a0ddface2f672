// Threshold expressions, k6-style: good ones parse to the stored unit; bad ones are an OptionError whose
// message quotes the expression and says what is wrong.

import { describe, expect, it } from 'vitest';
import { OptionError } from '../src/errors.js';
import { parseThreshold, parseThresholds, THRESHOLD_METRICS, type Threshold } from '../src/results/compare/index.js';

function ok(expr: string): Extract<Threshold, { kind: 'metric' }> {
  const t = parseThreshold(expr);
  if (t instanceof OptionError) throw t;
  if (t.kind !== 'metric') throw new Error('not a metric threshold');
  return t;
}

function bad(expr: string): string {
  const t = parseThreshold(expr);
  expect(t).toBeInstanceOf(OptionError);
  return (t as OptionError).message;
}

describe('threshold expressions', () => {
  it('latency with units, stored in microseconds', () => {
    expect(ok('p99<200ms')).toMatchObject({ metric: 'p99', op: '<', value: 200_000, unit: 'us', suite: 'load' });
    expect(ok('p50<=80ms')).toMatchObject({ metric: 'p50', op: '<=', value: 80_000 });
    expect(ok('p999 < 1.5s')).toMatchObject({ metric: 'p999', value: 1_500_000 });
    expect(ok('p90<750us').value).toBe(750);
    expect(ok('p(99)<200ms').metric).toBe('p99');
  });

  it('throughput, errors, kernels', () => {
    expect(ok('rps>=500')).toMatchObject({ metric: 'rps', op: '>=', value: 500 });
    expect(ok('errors<1%').value).toBeCloseTo(0.01, 12);
    expect(ok('errors<0.01').value).toBeCloseTo(0.01, 12);
    expect(ok('gbPerSec>=20')).toMatchObject({ metric: 'gbPerSec', suite: 'kernels', value: 20 });
    expect(ok('nsPerCall<1000')).toMatchObject({ metric: 'nsPerCall', value: 1000, unit: 'ns' });
    expect(ok('nsPerCall<1.5us').value).toBe(1500);
  });

  it('scopes: a load configuration id (segments, * for any), kernel@n for kernels', () => {
    expect(ok('async/single/io:p99<80ms').loadScope).toEqual(['async', 'single', 'io']);
    expect(ok('*/cluster/*:rps>100').loadScope).toEqual(['*', 'cluster', '*']);
    expect(ok('native@1e6:gbPerSec>=20').kernelScope).toEqual({ kernel: 'native', n: 1_000_000 });
    expect(ok('typed:nsPerCall<1ms').kernelScope).toEqual({ kernel: 'typed' });
    expect(ok('*@1e7:gbPerSec>1').kernelScope).toEqual({ kernel: '*', n: 10_000_000 });
  });

  it('goals', () => {
    expect(parseThreshold('goals')).toEqual({ kind: 'goals', expression: 'goals' });
  });

  it('bad expressions name the expression and what is wrong', () => {
    expect(bad('p99<200')).toBe("--threshold: 'p99<200': p99 needs a unit: us, µs, ms, s (e.g. p99<200ms)");
    expect(bad('p95<200ms')).toBe(`--threshold: 'p95<200ms': unknown metric 'p95'; one of ${THRESHOLD_METRICS.join(', ')}`);
    expect(bad('p99 200ms')).toMatch(/^--threshold: 'p99 200ms': expected \[scope:\]metric<op>value/);
    expect(bad('rps==500')).toMatch(/'rps==500': '==' is not a threshold comparison; use one of < <= > >=/);
    expect(bad('rps>=fast')).toMatch(/'rps>=fast': expected a number after '>=', got 'fast'/);
    expect(bad('p99<2kb')).toMatch(/unit 'kb' does not fit p99; us, µs, ms, s/);
    expect(bad('errors<5')).toMatch(/'errors<5': errors is a share: between 0 and 1, or 0% and 100%/);
    expect(bad('errors<150%')).toMatch(/errors is a share/);
    expect(bad('rps>-1')).toMatch(/cannot be bounded by a negative value/);
    expect(bad('fast@1e6:gbPerSec>1')).toMatch(/unknown kernel 'fast' in the scope/);
    expect(bad('native@big:gbPerSec>1')).toMatch(/n in the scope must be a positive integer/);
    expect(bad('native@1e6:p99<1ms')).toMatch(/a load threshold is scoped by a configuration id/);
    expect(bad(':p99<1ms')).toMatch(/empty scope before the colon/);
    expect(bad('async//io:p99<1ms')).toMatch(/empty segment in the scope/);
    expect(bad('x:goals')).toMatch(/goals takes no scope and no comparison/);
    expect(bad('  ')).toMatch(/empty threshold/);
  });

  it('parseThresholds throws the first bad one, with the option named', () => {
    expect(parseThresholds(['p99<1s', 'rps>1'])).toHaveLength(2);
    expect(() => parseThresholds(['p99<1s', 'latency<1s'])).toThrow(OptionError);
    expect(() => parseThresholds(['latency<1s'], '--threshold')).toThrow("--threshold: 'latency<1s': unknown metric 'latency'");
  });
});
