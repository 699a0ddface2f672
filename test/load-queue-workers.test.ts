// The queue-workers experiment through the load suite: 1 and 2 model workers behind the Redis queue, in
// interleaved rounds, each run with the jobs list's depth and the workers' busy share; the ratio of 2
// workers over 1 as a LoadComparison; the renderers show it. Short steps: a relation, not a benchmark.
import { describe, expect, it } from 'vitest';
import { experiments, scenarios } from '../benchmarks/scenarios/index.js';
import { toSuiteOptions } from '../src/commands/load.js';
import { ALL_SCENARIOS, resolveScenarios } from '../src/load/plan.js';
import { runLoadSuite } from '../src/load/suite.js';
import { setQuiet } from '../src/progress.js';
import { renderLoadMarkdown, renderLoadTerminal } from '../src/report/load.js';
import { withDefinitions } from './load-definitions.js';

const def = {
  ...experiments['queue-workers'],
  connections: { default: [1, 8], quick: [1, 8] },
  compareAt: 8,
  repeats: { default: 2, quick: 2 },
  baselineTiming: { default: { warmupMs: 200, durationMs: 1000 }, quick: { warmupMs: 200, durationMs: 1000 } },
  timing: { default: { warmupMs: 500, durationMs: 1200 }, quick: { warmupMs: 500, durationMs: 1200 } },
  overloadTiming: { default: { warmupMs: 500, durationMs: 1200 }, quick: { warmupMs: 500, durationMs: 1200 } },
};

describe('queue-workers', () => {
  it('compares 1 and 2 model workers in interleaved rounds, with the queue depth of every run', async () => {
    setQuiet(true);
    const data = await runLoadSuite(withDefinitions({ scenarios: ['queue-workers'], experimentDefinitions: { ...experiments, 'queue-workers': def } })).finally(
      () => setQuiet(false),
    );
    expect(data.options.scenarios).toEqual(['queue-workers']);
    expect(data.configurations.map((c) => [c.id, c.state, c.modelWorkers])).toEqual([
      ['queue/w1/io', 'completed', 1],
      ['queue/w2/io', 'completed', 2],
    ]);
    // Rounds interleave the configurations: w1 w2 w1 w2.
    expect(data.runs.map((r) => `${r.configId} r${r.repeat} ${r.step.label}`)).toEqual([
      'queue/w1/io r1 c=1',
      'queue/w1/io r1 c=8',
      'queue/w2/io r1 c=1',
      'queue/w2/io r1 c=8',
      'queue/w1/io r2 c=1',
      'queue/w1/io r2 c=8',
      'queue/w2/io r2 c=1',
      'queue/w2/io r2 c=8',
    ]);
    for (const r of data.runs) {
      expect(r.state).toBe('completed');
      if (r.state !== 'completed') continue;
      expect(r.scenario).toBe('queue-workers');
      expect(r.queueDepth?.samples.length).toBeGreaterThan(1);
      expect(r.queueWorkers?.workers).toBe(r.configId === 'queue/w1/io' ? 1 : 2);
      expect(r.queueWorkers?.jobs).toBeGreaterThan(0);
      expect(r.failures.total).toBe(0);
    }
    const loaded = (id: string) => data.runs.filter((r) => r.configId === id && r.step.label === 'c=8').flatMap((r) => (r.state === 'completed' ? [r] : []));
    // 8 clients, two 40-50 ms jobs each: jobs wait on the list, and one worker is busy nearly all the time.
    for (const r of loaded('queue/w1/io')) {
      expect(r.queueDepth!.max).toBeGreaterThanOrEqual(2);
      expect(r.queueWorkers!.busyShare).toBeGreaterThan(0.5);
    }
    const cmp = data.comparisons.find((c) => c.id === 'queue-2-vs-1-workers')!;
    expect(cmp).toBeDefined();
    expect(cmp.numerator).toBe('queue/w2/io c=8');
    expect(cmp.perRepeat).toHaveLength(2);
    // Two workers serve clearly more than one (about twice: the two jobs of a request run side by side).
    expect(cmp.ratio.median).toBeGreaterThan(1.3);
    expect(cmp.target).toEqual({ approx: 2, tolerance: 0.25 });
    expect(data.queueWorkers?.depth.map((x) => `${x.configId} ${x.step}`)).toEqual([
      'queue/w1/io c=1',
      'queue/w1/io c=8',
      'queue/w2/io c=1',
      'queue/w2/io c=8',
    ]);
    expect(data.summaries.filter((s) => s.scenario === 'queue-workers')).toHaveLength(4);
    const text = renderLoadTerminal(data);
    expect(text).toMatch(/queue-workers: queue path: 1 vs 2 model workers/);
    expect(text).toMatch(/jobs waiting \(mean\)/);
    expect(text).toMatch(/queue-2-vs-1-workers\s+queue\/w2\/io c=8 \/ queue\/w1\/io c=8/);
    expect(renderLoadMarkdown(data)).toMatch(/#### Queue workers: a Redis queue in front of 1 vs 2 model workers/);
  }, 120_000);

  it('is selectable, never part of the default matrix', () => {
    expect(ALL_SCENARIOS).not.toContain('queue-workers');
    expect(ALL_SCENARIOS).not.toContain('autoscale');
    expect(resolveScenarios([...ALL_SCENARIOS], 'autocannon', false)).toEqual([...ALL_SCENARIOS]);
    expect(toSuiteOptions({ scenario: 'queue-workers,autoscale', body: [], header: [] }).scenarios).toEqual(['queue-workers', 'autoscale']);
    expect(() => toSuiteOptions({ scenario: 'queue', body: [], header: [] })).toThrow(/--scenario: must be one of .*queue-workers, autoscale/);
    expect(Object.keys(scenarios)).not.toContain('queue-workers');
  });

  it('cannot run against --target', async () => {
    await expect(runLoadSuite(withDefinitions({ scenarios: ['queue-workers'], target: { url: 'http://127.0.0.1:1/' } }))).rejects.toThrow(
      /queue-workers starts servebench's own systems/,
    );
  });
});
