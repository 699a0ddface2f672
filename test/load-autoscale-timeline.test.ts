// The autoscale experiment through the load suite, shortened: arrivals ramp up past one replica's capacity,
// hold, then drop; the autoscaled system (its control plane in a process of its own) adds replicas and
// later removes them, the fixed one stays at one; both runs are LoadRuns with a per-second timeline of
// offered load, rps, latency, failures and replicas, and the output says plainly it is an emulation.
import { expect, it } from 'vitest';
import { experiments } from '../benchmarks/scenarios/index.js';
import type { AutoscaleScenario } from '../src/experiments/types.js';
import { runLoadSuite } from '../src/load/suite.js';
import { setQuiet } from '../src/progress.js';
import { renderLoadTerminal } from '../src/report/load.js';
import { withDefinitions } from './load-definitions.js';

const controller = {
  targetUtilization: 0.5,
  tolerance: 0.1,
  minReplicas: 1,
  maxReplicas: 4,
  syncPeriodMs: 500,
  scaleDownStabilizationMs: 1000,
  metric: 'elu' as const,
};
const def: AutoscaleScenario = {
  ...experiments.autoscale,
  profile: {
    default: [
      { name: 'ramp', durationMs: 2000, fromRps: 10, toRps: 50 },
      { name: 'hold', durationMs: 3000, fromRps: 50, toRps: 50 },
      { name: 'drop', durationMs: 4000, fromRps: 4, toRps: 4 },
    ],
    quick: [],
  },
  controller: { default: controller, quick: controller },
  metricsIntervalMs: 100,
};

it('records replicas over time for the autoscaled system and the fixed one', async () => {
  setQuiet(true);
  const data = await runLoadSuite(
    withDefinitions({ scenarios: ['autoscale'], experimentDefinitions: { ...experiments, autoscale: def }, entities: 200 }),
  ).finally(() => setQuiet(false));
  const a = data.autoscale!;
  expect(a.emulation).toMatch(/emulation of the Kubernetes HorizontalPodAutoscaler's algorithm .* not Kubernetes/);
  expect(data.configurations.map((c) => [c.id, c.state])).toEqual([
    ['autoscale/hpa/io', 'completed'],
    ['autoscale/fixed-1/io', 'completed'],
  ]);
  expect(data.runs.map((r) => [r.configId, r.scenario, r.state])).toEqual([
    ['autoscale/hpa/io', 'autoscale', 'completed'],
    ['autoscale/fixed-1/io', 'autoscale', 'completed'],
  ]);
  const [hpa, fixed] = a.configurations;
  for (const c of [hpa!, fixed!]) {
    expect(c.state).toBe('completed');
    expect(c.timeline).toHaveLength(9);
    expect(c.timeline.map((t) => t.phase)).toEqual(['ramp', 'ramp', 'hold', 'hold', 'hold', 'drop', 'drop', 'drop', 'drop']);
    expect(c.phases.map((p) => p.phase)).toEqual(['ramp', 'hold', 'drop']);
    expect(c.timeline.reduce((s, t) => s + t.offered, 0)).toBeGreaterThan(100);
  }
  // 50 requests/s is more than twice what one replica serves (one 40-50 ms request at a time).
  const peak = (svc: string) => Math.max(...hpa!.timeline.map((t) => t.replicas[svc]!.ready));
  expect(peak('model-a')).toBeGreaterThanOrEqual(2);
  expect(peak('model-b')).toBeGreaterThanOrEqual(2);
  expect(hpa!.decisions.some((d) => d.desired > d.currentReplicas)).toBe(true);
  expect(hpa!.replicaEvents.some((e) => e.kind === 'ready')).toBe(true);
  // After the drop (4 requests/s) and the 1 s stabilization window, it scales back down.
  expect(hpa!.decisions.some((d) => d.desired < d.currentReplicas)).toBe(true);
  expect(fixed!.timeline.every((t) => t.replicas['model-a']!.ready === 1 && t.replicas['model-b']!.ready === 1)).toBe(true);
  expect(fixed!.decisions).toEqual([]);
  // Serving more replicas, the autoscaled system carries the hold at least as well as the fixed one.
  const hold = (c: typeof hpa) => c!.phases.find((p) => p.phase === 'hold')!;
  expect(hold(hpa).rps).toBeGreaterThan(hold(fixed).rps);
  expect(a.hold?.rpsRatio).toBeGreaterThan(1);
  const run = data.runs[0]!;
  if (run.state === 'completed') {
    expect(run.rateProfile).toEqual(def.profile.default);
    expect(run.open?.scheduled).toBeGreaterThan(100);
  }
  const text = renderLoadTerminal(data);
  expect(text).toMatch(/NOTE: an emulation of the Kubernetes HorizontalPodAutoscaler's algorithm/);
  expect(text).toMatch(/per second \(replicas serving/);
  expect(text).toMatch(/model-a: 1 -> \d replicas \(utilization/);
}, 120_000);
