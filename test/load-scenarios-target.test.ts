// The four scenarios end to end against a --target service that serves one request at a time (20 ms
// each, like a sync worker): the ramp finds the breaking point where throughput stops growing,
// sustained holds it, stress goes past it and times the recovery. Nothing is started or stopped.

import { afterAll, expect, it } from 'vitest';
import { Supervisor } from '../src/processes/index.js';
import { scenarios } from '../benchmarks/scenarios/index.js';
import { runLoadSuite } from '../src/load/suite.js';
import type { ScenarioSet } from '../src/load/scenario-types.js';
import { setQuiet } from '../src/progress.js';
import { startTestServer } from './load-fixtures.js';

const sup = new Supervisor();
afterAll(() => sup.stopAll());

const t = { warmupMs: 200, durationMs: 1000 };
const tiny: ScenarioSet = {
  ...scenarios,
  'response-time': { ...scenarios['response-time'], timing: { default: t, quick: t } },
  ramp: { ...scenarios.ramp, connections: [1, 4, 16], timing: { default: t, quick: t } },
  sustained: { ...scenarios.sustained, timing: { default: t, quick: t } },
  stress: { ...scenarios.stress, overload: { default: t, quick: t }, recoveryMs: { default: 1000, quick: 1000 } },
};

it('runs response-time, ramp, sustained and stress against a target and finds its breaking point', async () => {
  setQuiet(true);
  const server = await startTestServer(sup, 'block', { delayMs: 20 });
  const data = await runLoadSuite({
    target: { url: server.url, pids: [server.proc.pid] },
    scenarios: ['response-time', 'ramp', 'sustained', 'stress'],
    definitions: tiny,
  });
  setQuiet(false);
  expect(data.configurations).toEqual([expect.objectContaining({ id: 'target', state: 'completed' })]);
  const ids = data.runs.map((r) => `${r.scenario} ${r.step.label}`);
  expect(ids).toEqual(['response-time c=1', 'ramp c=1', 'ramp c=4', 'sustained held c=1', 'stress overload', 'stress recovery']);
  for (const r of data.runs) {
    expect(r.state).toBe('completed');
    if (r.state !== 'completed') continue;
    expect(r.rps).toBeGreaterThan(10);
    expect(r.latencyUs.p50).toBeGreaterThan(15_000);
    expect(r.latencyUs.p999).toBeGreaterThanOrEqual(r.latencyUs.p99);
    expect(r.failures.total).toBe(0);
    // The target's pid is sampled from /proc.
    expect(r.servers[0]?.cpuPercent).not.toBeNull();
  }
  // One request at a time: 4 connections do not raise throughput, so the breaking point is 1 connection.
  expect(data.ramps).toHaveLength(1);
  expect(data.ramps[0]!.breakingPoint?.load).toBe(1);
  expect(data.ramps[0]!.stoppedBecause).toMatch(/stopped growing|latency goal/);
  expect(data.stresses[0]).toMatchObject({ baselineLoad: 1, overloadLoad: 4, loadUnit: 'connections' });
  expect(data.stresses[0]!.recovered).not.toBeNull();
  // Little's law beside throughput: with one connection, close to 1.
  const held = data.runs.find((r) => r.scenario === 'sustained');
  expect(held?.state === 'completed' && held.littlesLaw?.ratio).toBeGreaterThan(0.7);
  expect(data.summaries.length).toBe(data.runs.length);
  expect(data.validityRules.map((r) => r.rule)).toContain('generator-cpu');
}, 60_000);

it('ramps an open loop by arrival rate from the one-connection throughput', async () => {
  setQuiet(true);
  const server = await startTestServer(sup, 'block', { delayMs: 20 });
  const data = await runLoadSuite({
    target: { url: server.url },
    engine: 'open',
    scenarios: ['ramp'],
    definitions: { ...tiny, ramp: { ...tiny.ramp, rateFactors: [0.5, 2] } },
  });
  setQuiet(false);
  // response-time is added: the rates are multiples of its throughput (about 50/s here).
  expect(data.options.scenarios).toEqual(['response-time', 'ramp']);
  const ramp = data.runs.filter((r) => r.scenario === 'ramp');
  expect(ramp[0]?.load).toMatchObject({ kind: 'open' });
  expect(ramp[0]?.step.loadUnit).toBe('rps');
  // Twice the capacity cannot be kept up with: the breaking point is the lower rate.
  expect(data.ramps[0]?.breakingPoint?.load).toBe(ramp[0]?.step.load);
  const over = ramp[1];
  expect(over?.state === 'completed' && over.open !== undefined && over.open.scheduled > 0).toBe(true);
}, 60_000);
