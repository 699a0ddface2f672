// The validity rules: each names what it checks, fails alone, and can be listed without being applied.

import { describe, expect, it } from 'vitest';
import { checkValidity, DEFAULT_VALIDITY_LIMITS, statedRules, type ValidityFacts } from '../src/load/validity.js';

const good: ValidityFacts = { windowMs: 2000, warmupMs: 500, completed: 500, successes: 500, failures: 0, generatorCpuCores: 0.2, generatorThreads: 1 };

const failed = (facts: ValidityFacts, skip: Parameters<typeof checkValidity>[2] = []) =>
  checkValidity(facts, DEFAULT_VALIDITY_LIMITS, skip)
    .rules.filter((r) => r.applies && !r.passed)
    .map((r) => r.rule);

describe('validity rules', () => {
  it('passes a long, warm, lightly loaded, error-free run', () => {
    const v = checkValidity(good);
    expect(v.valid).toBe(true);
    expect(v.reasons).toEqual([]);
    expect(v.rules.map((r) => r.rule).sort()).toEqual([
      'error-budget',
      'generator-cpu',
      'generator-on-time',
      'min-duration',
      'min-requests',
      'warm-up-excluded',
    ]);
  });

  it('fails a window that is too short', () => expect(failed({ ...good, windowMs: 400 })).toEqual(['min-duration']));
  it('fails too few requests', () => expect(failed({ ...good, completed: 5, successes: 5 })).toEqual(['min-requests']));
  it('fails a run without warm-up', () => expect(failed({ ...good, warmupMs: 0 })).toEqual(['warm-up-excluded']));

  it('fails a saturated generator, relative to the threads it can use', () => {
    expect(failed({ ...good, generatorCpuCores: 0.95 })).toEqual(['generator-cpu']);
    expect(failed({ ...good, generatorCpuCores: 0.95, generatorThreads: 2 })).toEqual([]);
  });

  it('fails a generator whose event loop is saturated even below one core of CPU', () => {
    expect(failed({ ...good, generatorCpuCores: 0.7, generatorEventLoopUtilization: 0.99 })).toEqual(['generator-cpu']);
    expect(failed({ ...good, generatorCpuCores: 0.7, generatorEventLoopUtilization: 0.5 })).toEqual([]);
  });

  it('applies generator-on-time to open-loop runs only', () => {
    const closed = checkValidity(good).rules.find((r) => r.rule === 'generator-on-time');
    expect(closed?.applies).toBe(false);
    expect(failed({ ...good, open: { scheduled: 1000, lateByGenerator: 50 } })).toEqual(['generator-on-time']);
    expect(failed({ ...good, open: { scheduled: 1000, lateByGenerator: 5 } })).toEqual([]);
    // One or two late sends in a short, slow run are tolerated.
    expect(failed({ ...good, open: { scheduled: 30, lateByGenerator: 2 } })).toEqual([]);
  });

  it('counts each request once in the error budget (non-2xx are completed responses and failures)', () => {
    // 990 successes + 10 failures: exactly 1% fails, within a 1% budget.
    expect(failed({ ...good, completed: 1000, successes: 990, failures: 10 })).toEqual([]);
    expect(failed({ ...good, completed: 1000, successes: 980, failures: 20 })).toEqual(['error-budget']);
  });

  it('lists a skipped rule without applying it, and names every failed rule in the reasons', () => {
    const v = checkValidity({ ...good, successes: 100, failures: 400 }, DEFAULT_VALIDITY_LIMITS, ['error-budget']);
    expect(v.valid).toBe(true);
    expect(v.rules.find((r) => r.rule === 'error-budget')?.applies).toBe(false);
    const bad = checkValidity({ ...good, windowMs: 10, warmupMs: 0 });
    expect(bad.valid).toBe(false);
    expect(bad.reasons.join('\n')).toMatch(/^min-duration: .*\nwarm-up-excluded: /);
  });

  it('states every rule with its limit', () => {
    const rules = statedRules(DEFAULT_VALIDITY_LIMITS);
    expect(rules).toHaveLength(6);
    for (const r of rules) expect(r.description.length).toBeGreaterThan(10);
  });
});
