// The scaling experiment (`load --scenario scaling --model-workers 1,2`): the queue path with 1 and 2 model
// workers, short steps, each step's throughput, p99, CPU per process and the host's busy cores, the efficiency
// against linear and a finding; the renderers show it. Then the finding's logic on made-up runs: where adding
// servers stops paying, and the cores named as the limit. Relations only, never times or CPU shares.

import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { experiments } from '../benchmarks/scenarios/index.js';
import { toSuiteOptions } from '../src/commands/load.js';
import { scalingResult } from '../src/experiments/scaling-finding.js';
import { planLoad } from '../src/load/plan.js';
import { runLoadSuite } from '../src/load/suite.js';
import { setQuiet } from '../src/progress.js';
import { renderLoadMarkdown, renderLoadTerminal } from '../src/report/load.js';
import type { LoadRun } from '../src/results/load.js';
import { withDefinitions } from './load-definitions.js';
import { needTool } from './needs-tool.js';

function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

const short = { warmupMs: 300, durationMs: 1000 };
const def = { ...experiments.scaling, connections: 8, repeats: { default: 1, quick: 1 }, timing: { default: short, quick: short } };

describe('scaling: the queue sweep with 1 and 2 model workers', () => {
  it('measures each count, its efficiency against linear, and a finding', async (ctx) => {
    needTool(ctx, 'redis-server', hasRedisServer(), 'Debian: apt-get install redis-server');
    setQuiet(true);
    const options = withDefinitions({ scenarios: ['scaling'], scaling: { modelWorkers: [2, 1] }, experimentDefinitions: { ...experiments, scaling: def } });
    const data = await runLoadSuite(options).finally(() => setQuiet(false));
    expect(data.configurations.map((c) => [c.id, c.state, c.modelWorkers])).toEqual([
      ['scaling/queue/w1/cpu', 'completed', 1],
      ['scaling/queue/w2/cpu', 'completed', 2],
    ]);
    expect(data.runs.map((r) => [r.configId, r.scenario, r.state])).toEqual([
      ['scaling/queue/w1/cpu', 'scaling', 'completed'],
      ['scaling/queue/w2/cpu', 'scaling', 'completed'],
    ]);
    const sweeps = data.scaling!.sweeps;
    expect(sweeps.map((w) => [w.kind, w.counts])).toEqual([['queue', [1, 2]]]);
    const [one, two] = sweeps[0]!.steps;
    expect([one!.servers, two!.servers]).toEqual([1, 2]);
    for (const s of [one!, two!]) {
      expect(s.rps.median).toBeGreaterThan(0);
      expect(s.latencyP99Us.median).toBeGreaterThan(0);
      expect(s.cpu.find((c) => c.role === 'model-worker')?.processes).toBe(s.servers);
      expect(s.hostBusyCores).not.toBeNull();
      expect(s.hostBusyCores!).toBeLessThanOrEqual(availableParallelism() + 0.01);
    }
    expect(one!.efficiency).toBe(1);
    expect(two!.efficiency).toBeCloseTo(two!.rps.median / (2 * one!.rps.median), 2);
    expect(typeof two!.paid).toBe('boolean');
    expect(['cores', 'one-process', 'not-cpu']).toContain(sweeps[0]!.limit);
    expect(sweeps[0]!.finding).toMatch(/model workers/);
    expect(renderLoadTerminal(data)).toMatch(/queue sweep: .*\n[\s\S]*finding: /);
    expect(renderLoadMarkdown(data)).toContain('#### Scaling: throughput over model servers');
  }, 90_000);

  it('refuses --model-workers without the scaling scenario, and an open loop, naming the option', () => {
    const raw = { body: [] as string[], header: [] as string[] };
    expect(() => planLoad(withDefinitions(toSuiteOptions({ ...raw, scenario: 'queue-workers', modelWorkers: '1,2' })))).toThrow(
      /^--model-workers: applies to --scenario scaling/,
    );
    expect(() => planLoad(withDefinitions(toSuiteOptions({ ...raw, scenario: 'scaling', rate: '10' })))).toThrow(/^--rate: scaling runs a closed loop/);
    expect(() => toSuiteOptions({ ...raw, scenario: 'scaling', replicas: '1,x' })).toThrow(/^--replicas: /);
  });
});

/** A completed run of the made-up sweep: its rps and the CPU of its processes (% of a core), generator cores. */
function madeRun(servers: number, rps: number, workerCpu: number, generatorCores: number): LoadRun {
  const configId = `scaling/queue/w${servers}/cpu`;
  const workers = Array.from({ length: servers }, (_, i) => ({ role: 'model-worker', pid: 100 + i, cpuPercent: { mean: workerCpu, max: workerCpu } }));
  return {
    id: `${configId}/scaling/c=16/r1`,
    configId,
    state: 'completed',
    valid: true,
    rps,
    latencyUs: { p99: 1000 * servers },
    requests: { successes: rps * 2 },
    failures: { total: 0 },
    servers: [{ role: 'scoring', pid: 99, cpuPercent: { mean: 20, max: 20 } }, ...workers],
    generator: { cpuCores: generatorCores },
  } as unknown as LoadRun;
}

describe('scaling: the finding', () => {
  const sweeps = [{ kind: 'queue' as const, counts: [1, 2, 4] }];
  const base = { sweeps, connections: 16, hostCores: 2, skipped: new Map() };

  it('names where adding servers stops paying, and the cores as the limit when the host is busy', () => {
    const runs = [madeRun(1, 100, 95, 0.1), madeRun(2, 180, 80, 0.15), madeRun(4, 190, 42, 0.15)];
    const hostBusy = new Map(runs.map((r) => [r.id, 1.95]));
    const w = scalingResult(experiments.scaling, { ...base, runs, hostBusy }).sweeps[0]!;
    expect(w.steps.map((s) => s.efficiency)).toEqual([1, 0.9, 0.475]);
    expect(w.steps.map((s) => s.paid)).toEqual([null, true, false]);
    expect(w.stopsPayingAt).toBe(4);
    expect(w.limit).toBe('cores');
    expect(w.finding).toMatch(/^Adding model workers stops paying at 4 on this host: from 2 to 4 model workers, throughput went 1\.06x \(linear: 2\.00x\)/);
    expect(w.finding).toMatch(/Cores are the limit: at 4, 1\.95 of the host's 2 cores were busy/);
  });

  it('counts other processes on the host: the cores can be the limit while ours use fewer', () => {
    const runs = [madeRun(1, 100, 40, 0.05), madeRun(2, 110, 25, 0.05)];
    const busy = scalingResult(experiments.scaling, {
      ...base,
      sweeps: [{ kind: 'queue', counts: [1, 2] }],
      runs,
      hostBusy: new Map(runs.map((r) => [r.id, 1.9])),
    });
    expect(busy.sweeps[0]!.limit).toBe('cores');
    expect(busy.sweeps[0]!.finding).toMatch(/by other processes on the host/);
    const quiet = scalingResult(experiments.scaling, { ...base, sweeps: [{ kind: 'queue', counts: [1, 2] }], runs, hostBusy: new Map() });
    expect(quiet.sweeps[0]!.limit).toBe('not-cpu');
    expect(quiet.sweeps[0]!.finding).not.toMatch(/Above linear/);
  });

  it('reads a gain above linear on a host others use as CPU taken from them', () => {
    const runs = [madeRun(1, 100, 40, 0.05), madeRun(2, 260, 45, 0.05)];
    const r = scalingResult(experiments.scaling, {
      ...base,
      sweeps: [{ kind: 'queue', counts: [1, 2] }],
      runs,
      hostBusy: new Map(runs.map((x) => [x.id, 1.95])),
    });
    expect(r.sweeps[0]!.steps[1]!.efficiency).toBe(1.3);
    expect(r.sweeps[0]!.finding).toMatch(/Above linear at 2 \(1\.30\) while other processes kept the host busy/);
  });
});
