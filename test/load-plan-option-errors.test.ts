// The load suite's plan refuses options that do not fit together, naming the option, before anything
// starts; and plans the experiments named among the scenarios.

import { describe, expect, it } from 'vitest';
import { OptionError } from '../src/errors.js';
import { planLoad } from '../src/load/plan.js';
import type { LoadSuiteOptions } from '../src/load/plan.js';
import { withDefinitions } from './load-definitions.js';

const target = { url: 'http://127.0.0.1:9/' };

describe('planLoad: option errors', () => {
  it.each<[string, Partial<LoadSuiteOptions>, RegExp]>([
    ['--rate with autocannon', { rateRps: 10, engine: 'autocannon' }, /^--rate: needs --engine open/],
    ['--connections with the open loop', { connections: 10, engine: 'open' }, /^--connections: applies to the closed-loop engine/],
    ['request-paths on a target', { target, scenarios: ['request-paths'] }, /^--scenario: request-paths compares servebench's own serving configurations/],
    ['an experiment on a target', { target, scenarios: ['queue-workers'] }, /^--scenario: queue-workers starts servebench's own systems/],
    ['both experiments on a target', { target, scenarios: ['queue-workers', 'autoscale'] }, /^--scenario: queue-workers, autoscale start servebench's own/],
    ['queue-workers with --rate', { scenarios: ['queue-workers'], rateRps: 10 }, /^--rate: queue-workers runs a closed loop/],
    ['queue-workers with the open engine', { scenarios: ['queue-workers'], engine: 'open' }, /^--engine: queue-workers runs a closed loop/],
    ['autoscale with --connections', { scenarios: ['autoscale'], connections: 10 }, /^--connections: autoscale follows its arrival-rate profile/],
    ['an experiment without its definitions', { scenarios: ['queue-workers'], experimentDefinitions: undefined }, /^experimentDefinitions: queue-workers need/],
  ])('refuses %s', (_, options, message) => {
    let thrown: unknown;
    try {
      planLoad(withDefinitions(options));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(OptionError);
    expect((thrown as Error).message).toMatch(message);
  });
});

describe('planLoad: experiments among the scenarios', () => {
  it('plans them after no matrix, with their rounds and connections', () => {
    const p = planLoad(withDefinitions({ scenarios: ['autoscale', 'queue-workers'], quick: true }));
    expect(p.scenarios).toEqual(['queue-workers', 'autoscale']);
    expect(p.entries).toEqual([]);
    expect(p.rounds).toBe(0);
    expect(p.experiments?.selected).toEqual(['queue-workers', 'autoscale']);
    // queue-workers' quick rounds; autoscale's in-flight bound.
    expect(p.echo.repeats).toBe(2);
    expect(p.connections).toBe(1000);
  });

  it('lets --connections set queue-workers loaded step when autoscale runs beside it', () => {
    const p = planLoad(withDefinitions({ scenarios: ['queue-workers', 'autoscale'], connections: 2000, repeats: 1 }));
    expect(p.experiments?.connections).toBe(2000);
    expect(p.echo).toMatchObject({ repeats: 1, connections: 2000 });
  });

  it('runs the matrix first when both are named', () => {
    const p = planLoad(withDefinitions({ scenarios: ['response-time', 'queue-workers'], topologies: ['single'], predicts: ['io'] }));
    expect(p.matrixScenarios).toEqual(['response-time']);
    expect(p.entries.map((e) => e.config.id)).toEqual(['sync/single/io', 'async/single/io']);
    expect(p.experiments?.selected).toEqual(['queue-workers']);
    expect(p.echo.repeats).toBe(3);
  });
});
