// The load suite's plan over the serving matrix, without starting a process: the default matrix and its
// rounds, --quick leaving out stress and the cpu predict, and request-paths running on the matrix's own
// start of the same configuration (or adding its configurations when the matrix has none of them).

import { describe, expect, it } from 'vitest';
import { nativeLoadRun } from '../src/kernels/native-binding.js';
import { planLoad, type LoadPlan } from '../src/load/plan.js';
import { withDefinitions } from './load-definitions.js';

const ids = (plan: LoadPlan) => plan.entries.map((e) => e.config.id);
const rp = (plan: LoadPlan) => Object.fromEntries(plan.entries.filter((e) => e.rpRounds > 0).map((e) => [e.config.id, [e.rpSteps, e.rpRounds]]));

describe('planLoad: the default matrix', () => {
  const plan = planLoad(withDefinitions({ workers: 2 }));

  it('runs every scenario over {io, cpu} x {single, cluster, nginx} x {sync, async}, predict outermost', () => {
    expect(plan.scenarios).toEqual(['response-time', 'ramp', 'sustained', 'stress', 'request-paths']);
    expect(plan.matrixScenarios).toEqual(['response-time', 'ramp', 'sustained', 'stress']);
    expect(plan.requestPaths).toBe(true);
    expect(plan.experiments).toBeUndefined();
    expect(ids(plan)).toEqual([
      'sync/single/io',
      'async/single/io',
      'sync/cluster/io',
      'async/cluster/io',
      'sync/nginx/io',
      'async/nginx/io',
      'sync/single/cpu',
      'async/single/cpu',
      'sync/cluster/cpu',
      'async/cluster/cpu',
      'sync/nginx/cpu',
      'async/nginx/cpu',
    ]);
    expect(plan.entries.every((e) => e.matrixRounds === 1 && e.leftOut === undefined)).toBe(true);
    expect(plan.entries[2]!.config.describe).toEqual({ path: 'sync', topology: 'cluster', predict: 'io', workers: 2 });
    expect(plan.entries[0]!.config.describe).toEqual({ path: 'sync', topology: 'single', predict: 'io' });
  });

  it('puts request-paths on the matrix starts of its io configurations, with its own rounds', () => {
    expect(rp(plan)).toEqual({
      'sync/single/io': [[50], 2],
      'async/single/io': [[50, 100], 2],
      'sync/cluster/io': [[50], 2],
    });
    expect(plan.rounds).toBe(2);
  });

  it('echoes the options with every default filled in, from the definitions', () => {
    expect(plan.echo).toEqual({
      scenarios: ['response-time', 'ramp', 'sustained', 'stress', 'request-paths'],
      // The native engine by default where the addon loads (issue 12), else autocannon, saying why.
      ...(nativeLoadRun().available
        ? { engine: 'native', engineChoice: { reason: 'default', loop: 'closed', generatorThreads: expect.any(Number) } }
        : { engine: 'autocannon', engineChoice: { reason: expect.stringMatching(/^fallback: native addon unavailable: /), loop: 'closed' } }),
      repeats: 2,
      quick: false,
      durationMs: 2500,
      warmupMs: 300,
      timeoutMs: 10_000,
      latencyGoalP99Us: 500_000,
      errorBudget: 0.01,
      seed: 1,
      // Redis by default where a redis-server can be started, the embedded store otherwise, saying why.
      store: expect.objectContaining({ chosen: 'default', kind: expect.stringMatching(/^(redis|memory)$/) }),
    });
    expect(plan.settings.limits.errorBudget).toBe(0.01);
    // The ramp's top step (4096 connections) times the stress multiplier (4).
    expect(plan.connections).toBe(16_384);
  });

  it('runs the matrix scenarios for --repeats rounds, request-paths too', () => {
    const p = planLoad(withDefinitions({ repeats: 3 }));
    expect(p.rounds).toBe(3);
    expect(p.echo.repeats).toBe(3);
    expect(p.entries.every((e) => e.matrixRounds === 3)).toBe(true);
    expect(Object.values(rp(p)).map(([, rounds]) => rounds)).toEqual([3, 3, 3]);
  });
});

describe('planLoad: --quick', () => {
  const plan = planLoad(withDefinitions({ quick: true }));

  it('leaves out stress, and lists the cpu predict as left out', () => {
    expect(plan.scenarios).toEqual(['response-time', 'ramp', 'sustained', 'request-paths']);
    const cpu = plan.entries.filter((e) => e.config.id.endsWith('/cpu'));
    expect(cpu).toHaveLength(6);
    for (const e of cpu) expect(e.leftOut).toMatch(/left out by --quick/);
    expect(plan.entries.filter((e) => e.config.id.endsWith('/io')).every((e) => e.leftOut === undefined)).toBe(true);
  });

  it('keeps request-paths on the io starts, in one round, with the quick step timing echoed', () => {
    expect(rp(plan)).toEqual({
      'sync/single/io': [[50], 1],
      'async/single/io': [[50, 100], 1],
      'sync/cluster/io': [[50], 1],
    });
    expect(plan.rounds).toBe(1);
    expect(plan.echo).toMatchObject({ quick: true, repeats: 1, durationMs: 1000, warmupMs: 200 });
    // No stress: the ramp's top step is the most.
    expect(plan.connections).toBe(4096);
  });

  it('runs the cpu predict when --predict names it', () => {
    const p = planLoad(withDefinitions({ quick: true, predicts: ['cpu'], scenarios: ['response-time'] }));
    expect(p.entries.map((e) => [e.config.id, e.leftOut])).toEqual([
      ['sync/single/cpu', undefined],
      ['async/single/cpu', undefined],
      ['sync/cluster/cpu', undefined],
      ['async/cluster/cpu', undefined],
      ['sync/nginx/cpu', undefined],
      ['async/nginx/cpu', undefined],
    ]);
  });
});

describe('planLoad: request-paths', () => {
  it('adds its configurations after the matrix when the matrix has none of them', () => {
    const p = planLoad(withDefinitions({ predicts: ['cpu'], topologies: ['single'] }));
    expect(ids(p)).toEqual(['sync/single/cpu', 'async/single/cpu', 'sync/single/io', 'async/single/io', 'sync/cluster/io']);
    expect(p.entries.slice(2).map((e) => e.matrixRounds)).toEqual([0, 0, 0]);
    expect(rp(p)).toEqual({ 'sync/single/io': [[50], 2], 'async/single/io': [[50, 100], 2], 'sync/cluster/io': [[50], 2] });
  });

  it('reuses the starts the matrix has and adds the others', () => {
    const p = planLoad(withDefinitions({ paths: ['async'], topologies: ['single'], predicts: ['io'] }));
    expect(ids(p)).toEqual(['async/single/io', 'sync/single/io', 'sync/cluster/io']);
    expect(p.entries.map((e) => e.matrixRounds)).toEqual([1, 0, 0]);
  });

  it('alone, starts only its three configurations', () => {
    const p = planLoad(withDefinitions({ scenarios: ['request-paths'], repeats: 3 }));
    expect(p.matrixScenarios).toEqual([]);
    expect(ids(p)).toEqual(['sync/single/io', 'async/single/io', 'sync/cluster/io']);
    expect(p.rounds).toBe(3);
    expect(p.connections).toBe(100);
  });
});
