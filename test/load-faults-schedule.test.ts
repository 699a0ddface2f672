// The fault schedule's language (--fault 'at=5s kill model-a'): good expressions parse into their time,
// action, target and duration; a bad one is an error that quotes it and says what is wrong; the options a
// faults run takes are checked before anything starts; the shipped default schedules parse.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { experiments } from '../benchmarks/scenarios/index.js';
import { toSuiteOptions } from '../src/commands/load.js';
import { parseFault, parseFaultSchedule, scheduleEndMs } from '../src/experiments/faults-schedule.js';
import { planExperiments } from '../src/experiments/plan.js';
import { packageRoot } from '../src/paths.js';

describe('parseFault', () => {
  it.each([
    ['at=5s kill model-a', { atMs: 5000, action: 'kill', target: 'model-a' }],
    ['at=8s pause redis 3s', { atMs: 8000, action: 'pause', target: 'redis', durationMs: 3000 }],
    ['at=10s kill scoring-worker', { atMs: 10_000, action: 'kill', target: 'scoring-worker' }],
    ['at=12s hang model-b 2s', { atMs: 12_000, action: 'hang', target: 'model-b', durationMs: 2000 }],
    ['at=500ms pause nginx 1.5s', { atMs: 500, action: 'pause', target: 'nginx', durationMs: 1500 }],
    ['  at=1.5s   hang   scoring  250ms ', { atMs: 1500, action: 'hang', target: 'scoring', durationMs: 250 }],
    ['kill model-worker at=2', { atMs: 2000, action: 'kill', target: 'model-worker' }],
  ])('%s', (expression, expected) => {
    const f = parseFault(expression);
    expect(f).toMatchObject(expected);
    if (expected.action === 'kill') expect(f.durationMs).toBeUndefined();
    expect(f.expression).toBe(expression.trim().replace(/\s+/g, ' '));
  });

  it.each([
    ['', /--fault: '': empty; expected 'at=<time> <kill\|pause\|hang> <target> \[<duration>\]'/],
    ['kill model-a', /--fault: 'kill model-a': no time; start with at=<time>/],
    ['at=5x kill model-a', /'at=5x kill model-a': at=5x is not a time; expected e\.g\. at=5s/],
    ['at= kill model-a', /at= is not a time/],
    ['at=2h kill model-a', /at=2h is not a time/],
    ['at=61m kill model-a', /at=61m is past the longest schedule \(60 minutes\)/],
    ['at=5s', /'at=5s': no action/],
    ['at=5s stop model-a', /unknown action 'stop'; expected kill, pause, hang/],
    ['at=5s kill', /no target after kill; expected one of model-a, model-b, redis, scoring, scoring-worker, nginx, model-worker/],
    ['at=5s kill model-c', /unknown target 'model-c'; expected one of model-a/],
    ['at=5s kill model-a 3s', /kill takes no duration .*got '3s'/],
    ['at=8s pause redis', /pause needs a duration, e\.g\. 'at=8s pause redis 3s'/],
    ['at=8s hang model-b soon', /'soon' is not a duration; expected e\.g\. 3s or 500ms/],
    ['at=8s hang model-b 0s', /'0s' is not a duration/],
    ['at=8s pause redis 11m', /pause of 11m is longer than 10 minutes/],
    ['at=8s pause redis 3s now', /unexpected 'now' at the end/],
  ])('refuses %j, naming the expression and what is wrong', (expression, message) => {
    expect(() => parseFault(expression)).toThrow(message);
  });

  it('errors are option errors (the CLI exits 2)', () => {
    try {
      parseFault('at=5s kill model-c');
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ name: 'OptionError', option: '--fault', code: 'SB_ERR_OPTION' });
    }
  });
});

describe('a schedule', () => {
  it('is sorted by time, and ends when its last pause or hang is over', () => {
    const s = parseFaultSchedule(['at=12s hang model-b 2s', 'at=5s kill model-a', 'at=8s pause redis 3s']);
    expect(s.map((f) => f.atMs)).toEqual([5000, 8000, 12_000]);
    expect(scheduleEndMs(s)).toBe(14_000);
    expect(scheduleEndMs(parseFaultSchedule(['at=9s kill model-a', 'at=2s pause redis 3s']))).toBe(9000);
  });

  it('the shipped default schedules parse, with room for recovery and a quick one that is short', () => {
    const def = experiments.faults;
    for (const which of ['default', 'quick'] as const) expect(parseFaultSchedule(def.schedule[which]).length).toBeGreaterThan(1);
    const quickEnd = scheduleEndMs(parseFaultSchedule(def.schedule.quick)) + def.recoveryMs.quick;
    expect(quickEnd).toBeLessThan(scheduleEndMs(parseFaultSchedule(def.schedule.default)) + def.recoveryMs.default);
  });
});

describe('the faults options', () => {
  const raw = { body: [], header: [] };
  it('--fault implies --scenario faults and replaces the schedule', () => {
    const o = toSuiteOptions({ ...raw, fault: ['at=3s kill model-a', 'at=1s pause redis 1s'] });
    expect(o.scenarios).toEqual(['faults']);
    expect(o.faults?.map((f) => f.expression)).toEqual(['at=1s pause redis 1s', 'at=3s kill model-a']);
    expect(toSuiteOptions({ ...raw, fault: [] }).scenarios).toBeUndefined();
  });

  it('--fault with a --scenario that does not name faults, or with --connections, is refused before anything starts', () => {
    const faults = parseFaultSchedule(['at=1s kill model-a']);
    const base = { engine: 'autocannon' as const, quick: true };
    expect(() => planExperiments([], experiments, { ...base, faults })).toThrow(/--fault: applies to the faults scenario/);
    expect(() => planExperiments(['autoscale'], experiments, { ...base, faults })).toThrow(/--fault: applies to the faults scenario/);
    expect(() => planExperiments(['faults'], experiments, { ...base, connections: 8 })).toThrow(/--connections: faults runs a sustained open loop/);
    expect(planExperiments(['faults'], experiments, { ...base, faults })?.faultSchedule).toEqual(faults);
    expect(planExperiments(['faults'], experiments, base)?.faultSchedule?.map((f) => f.expression)).toEqual(experiments.faults.schedule.quick);
  });

  it('a bad --fault makes the CLI exit 2, quoting the expression and saying what is wrong (the other errors: parseFault above)', async () => {
    const cli = join(packageRoot, 'bin', 'servebench.js');
    for (const [fault, pattern] of [
      ['at=5s explode model-a', /--fault: 'at=5s explode model-a': unknown action 'explode'; expected kill, pause, hang/],
    ] as const) {
      const r = await promisify(execFile)(process.execPath, [cli, 'load', '--fault', 'at=1s kill model-a', '--fault', fault]).then(
        () => ({ code: 0, stderr: '' }),
        (err: { code: number; stderr: string }) => err,
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(pattern);
    }
  });
});
