// `servebench merge` of two or three shards built from known latency samples equals one histogram of all
// their samples (same count per bucket, compared on the decoded histograms); counts, failures, bytes and
// rps add up; percentiles come from the merged histogram; validity is kept per shard and for the whole.

import { describe, expect, it } from 'vitest';
import { summarise } from '../src/load/aggregate.js';
import type { LoadRun } from '../src/results/load.js';
import { mergeLoadResults, type MergedRun } from '../src/results/merge.js';
import { asStored, bucketCounts, buildHistogram, decode, latencySamples, makeShard } from './merge-fixtures.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const merge = (shards: ReturnType<typeof makeShard>[]) =>
  mergeLoadResults(
    shards.map((result, i) => ({ file: `shard-${i}.json`, result })),
    { summarise },
  ).data;
const completed = (r: MergedRun) => {
  if (r.state !== 'completed') throw new Error(`run ${r.id} is ${r.state}`);
  return r as Extract<LoadRun, { state: 'completed' }> & MergedRun;
};

describe('merge: histograms add exactly', () => {
  for (const n of [2, 3]) {
    it(`${n} shards: the merged histogram has the bucket counts of one histogram of every sample`, () => {
      const samples = Array.from({ length: n }, (_, i) => latencySamples(500 + 137 * i, 11 + i));
      const shards = samples.map((s, i) => makeShard({ samples: s, startMs: T0 + 20 * i, shard: { index: i, count: n }, rateRps: 300 / n, seed: 7 + i }));
      const data = merge(shards);
      expect(data.runs).toHaveLength(1);
      const run = completed(data.runs[0]!);
      const all = buildHistogram(samples.flat());
      const merged = decode(run.latencyHistogramUs!);
      expect(merged.totalCount).toBe(samples.flat().length);
      expect(bucketCounts(merged)).toEqual(bucketCounts(all));
      // Percentiles of the merged histogram, not an average of the shards' percentiles.
      expect(run.latencyUs.p99).toBe(all.getValueAtPercentile(99));
      expect(run.latencyUs.p50).toBe(all.getValueAtPercentile(50));
      // A stored histogram's max is its bucket's highest equivalent value: the same for both.
      expect(run.latencyUs.max).toBe(asStored(all).maxValue);
    });
  }

  it('sums requests, failures, bytes and rps (the shards ran at the same time), and the step load', () => {
    const a = makeShard({ samples: latencySamples(400, 1), startMs: T0, shard: { index: 0, count: 2 }, rateRps: 50, seed: 1, failures: 3 });
    const b = makeShard({ samples: latencySamples(600, 2), startMs: T0 + 10, shard: { index: 1, count: 2 }, rateRps: 50, seed: 2, failures: 2 });
    const data = merge([a, b]);
    const run = completed(data.runs[0]!);
    expect(run.requests).toEqual({ completed: 1005, successes: 1000 });
    expect(run.failures.total).toBe(5);
    expect(run.failures.byKind.non2xx).toBe(5);
    expect(run.failureCodes).toEqual({ '503': 5 });
    expect(run.bytesReceived).toBe(1000 * 100);
    expect(run.rps).toBeCloseTo(200 + 300, 6);
    expect(run.step).toMatchObject({ load: 100, label: 'held 100/s' });
    expect(run.id).toBe('target/sustained/held 100/s/r1');
    expect(run.load).toMatchObject({ kind: 'open', rateRps: 100 });
    expect(run.open?.targetRps).toBe(100);
    expect(data.options.rateRps).toBe(100);
    expect(data.options.seed).toBe(1);
    expect(data.options.shard).toBeUndefined();
    expect(data.summaries[0]).toMatchObject({ configId: 'target', step: 'held 100/s', validRepeats: 1 });
  });

  it('splits that do not divide evenly still add up (100/3 x 3 reads as 100)', () => {
    const shards = [0, 1, 2].map((i) =>
      makeShard({ samples: latencySamples(100, i + 1), startMs: T0, shard: { index: i, count: 3 }, rateRps: 100 / 3, seed: 5 + i }),
    );
    const run = completed(merge(shards).runs[0]!);
    expect(run.step.load).toBe(100);
    expect(run.step.label).toBe('held 100/s');
  });
});

describe('merge: validity per shard and for the whole', () => {
  it('the whole is valid only if every shard is; an invalid shard is named', () => {
    const ok = makeShard({ samples: latencySamples(300, 1), startMs: T0, shard: { index: 0, count: 2 }, seed: 1 });
    const bad = makeShard({ samples: latencySamples(300, 2), startMs: T0, shard: { index: 1, count: 2 }, seed: 2, valid: false });
    const data = merge([ok, bad]);
    const run = completed(data.runs[0]!);
    expect(run.valid).toBe(false);
    expect(run.validity.reasons.join(' ')).toMatch(/shard 1 \(shard-1\.json\)/);
    expect(run.validity.rules.find((r) => r.rule === 'generator-cpu')?.passed).toBe(false);
    expect(run.shards.map((s) => [s.shard, s.valid])).toEqual([
      [0, true],
      [1, false],
    ]);
    expect(data.merged.valid).toBe(false);
    expect(data.merged.shards.map((s) => s.valid)).toEqual([true, false]);
    expect(merge([ok, makeShard({ samples: latencySamples(300, 2), startMs: T0, shard: { index: 1, count: 2 }, seed: 2 })]).merged.valid).toBe(true);
  });

  it('keeps a shard whose run failed, marked, and merges the others', () => {
    const ok = makeShard({ samples: latencySamples(300, 1), startMs: T0, shard: { index: 0, count: 2 }, seed: 1 });
    const failed = makeShard({ samples: [], startMs: T0, shard: { index: 1, count: 2 }, seed: 2, state: 'errored' });
    const data = merge([ok, failed]);
    const run = completed(data.runs[0]!);
    expect(run.requests.successes).toBe(300);
    expect(run.valid).toBe(false);
    expect(run.shards[1]).toMatchObject({ shard: 1, state: 'errored', valid: false });
    expect(run.shards[1]!.reasons[0]).toMatch(/ECONNREFUSED/);
    expect(data.merged.shards).toHaveLength(2);
    expect(data.merged.shards[1]!.runs.errored).toBe(1);
  });

  it('a missing shard makes the whole incomplete, flagged', () => {
    const shards = [0, 2].map((i) => makeShard({ samples: latencySamples(200, i + 1), startMs: T0, shard: { index: i, count: 3 }, seed: 1 + i }));
    const data = merge(shards);
    expect(data.merged.missing).toEqual([1]);
    expect(data.merged.valid).toBe(false);
    expect(data.runs[0]!.valid).toBe(false);
    expect(data.runs[0]!.shards.find((s) => s.shard === 1)?.state).toBe('missing');
    expect(data.flags.some((f) => f.kind === 'incomplete' && /shard\(s\) 1 of 3/.test(f.message))).toBe(true);
  });
});
