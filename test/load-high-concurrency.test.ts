// The high-concurrency experiment (one process vs a pool behind nginx, connections up to the open-file
// limit): the steps under a given limit, a short real run of one process and an nginx pool on the async path
// with its rows (failures by kind, latency, throughput, CPU per process role) and its report, and the answer's
// explanation of a pool losing to one async process, from rows. Short steps: a shape, not a benchmark.

import { describe, expect, it } from 'vitest';
import { experiments, scenarios } from '../benchmarks/scenarios/index.js';
import { connectionSteps } from '../src/experiments/ceiling.js';
import { runExperimentsSuite } from '../src/experiments/suite.js';
import { setQuiet } from '../src/progress.js';
import { concurrencyAnswer } from '../src/report/answers-concurrency.js';
import { renderConcurrencyMarkdown } from '../src/report/concurrency.js';
import type { BenchData } from '../src/results/bench.js';
import type { HighConcurrencyResult, HighConcurrencyRow } from '../src/results/experiments.js';
import type { LoadData } from '../src/results/load.js';

describe('high-concurrency steps', () => {
  it('keeps the steps under the open-file limit and makes the ceiling the last one', () => {
    const { steps, ceiling } = connectionSteps([1000, 50_000], 20_000, 512);
    expect(steps).toEqual([1000, 19_488]);
    expect(ceiling.dropped).toEqual([50_000]);
    expect(ceiling.note).toMatch(/open-file limit 20,000 .* at most 19,488 connections; 50,000 left out/);
    expect(connectionSteps([1000], 'unlimited', 512).steps).toEqual([1000]);
  });
});

describe('high-concurrency run', () => {
  it('runs one process and an nginx pool, and reports failures by kind, latency, throughput and CPU', async () => {
    const def = {
      ...experiments['high-concurrency'],
      paths: ['async' as const],
      quickTopologies: ['single' as const, 'nginx' as const],
      connections: { default: [16], quick: [16] },
      timing: { default: { warmupMs: 300, durationMs: 800 }, quick: { warmupMs: 300, durationMs: 800 } },
    };
    setQuiet(true);
    const data = await runExperimentsSuite({
      definitions: { ...experiments, 'high-concurrency': def },
      loadDefinitions: scenarios,
      experiments: ['high-concurrency'],
      quick: true,
      store: 'memory',
      workers: 2,
    }).finally(() => setQuiet(false));
    const hc = data.highConcurrency!;
    expect(hc.connections).toEqual([16]);
    expect(hc.cores).toBeGreaterThan(0);
    expect(data.configurations.map((c) => [c.id, c.state === 'skipped' ? 'skipped' : 'ran'])).toEqual([
      ['hc/async/single/io', 'ran'],
      ['hc/async/cluster/io', 'skipped'],
      ['hc/async/nginx/io', data.configurations[2]!.state === 'skipped' ? 'skipped' : 'ran'],
    ]);
    const single = hc.rows.find((r) => r.configId === 'hc/async/single/io')!;
    expect(single.state).toBe('completed');
    expect(single.rps).toBeGreaterThan(0);
    expect(single.latencyUs!.p50).toBeGreaterThan(0);
    expect(single.latencyUs!.mean).toBeGreaterThan(0);
    expect(Object.keys(single.failures)).toEqual(['total', 'errors', 'timeouts', 'non2xx', 'resets']);
    expect(single.cpu!.byRole.map((x) => x.role)).toContain('scoring');
    const md = renderConcurrencyMarkdown(data);
    expect(md).toMatch(/\| configuration +\| connections +\| answered\/s/);
    expect(md).toMatch(/Steps: open-file limit/);
    const answer = concurrencyAnswer({ sections: { concurrency: data } } as unknown as BenchData);
    expect(answer.sentences.join(' ')).toMatch(/async · single answered [\d.,]+ requests\/s/);
  }, 90_000);
});

describe('high-concurrency answer', () => {
  const row = (topology: 'single' | 'nginx', rps: number, roles: [string, number, number][]): HighConcurrencyRow => ({
    configId: `hc/async/${topology}/io`,
    path: 'async',
    topology,
    workers: topology === 'single' ? 1 : 2,
    connections: 10_000,
    runId: 'r',
    state: 'completed',
    requests: rps * 2,
    successes: rps * 2,
    failures: { total: 0, errors: 0, timeouts: 0, non2xx: 0, resets: 0 },
    failureRate: 0,
    failureCodes: {},
    rps,
    littleWaitUs: 2_000_000,
    latencyUs: { p50: 900_000, mean: 1_000_000, p99: 2_000_000, max: 3_000_000 },
    cpu: {
      byRole: roles.map(([role, processes, cpuPercent]) => ({ role, processes, cpuPercent, eventLoopUtilization: role === 'scoring' ? 0.95 : null })),
      serverCores: roles.reduce((a, r) => a + r[2], 0) / 100,
      generatorCores: 0.3,
    },
    invalid: [],
  });

  it('explains a pool losing to one async process with the cores, processes and CPU per process', () => {
    const hc = {
      description: 'd',
      predict: 'io',
      connections: [10_000],
      ceiling: { hardLimit: 20_000, headroom: 512, allowed: 19_488, requested: [10_000], dropped: [], note: 'n' },
      timing: { warmupMs: 1, durationMs: 1, requestTimeoutMs: 1 },
      cores: 2,
      workers: 2,
      rounds: 1,
      rows: [
        row('single', 3800, [['scoring', 1, 95]]),
        row('nginx', 1200, [
          ['scoring', 2, 80],
          ['nginx-worker', 2, 40],
        ]),
      ],
      leftOut: [],
    } satisfies HighConcurrencyResult;
    const data = { sections: { concurrency: { highConcurrency: hc } as unknown as LoadData } } as unknown as BenchData;
    const text = concurrencyAnswer(data).sentences.join(' ');
    expect(text).toMatch(/async · nginx x2 answered 1200 requests\/s against 3800 for one async process/);
    expect(text).toMatch(/2 cores/);
    expect(text).toMatch(/each of its 2 scoring workers got 40% of a core/);
    expect(text).toMatch(/nginx took 40% of a core/);
  });
});
