// `servebench merge` puts the shards on one wall-clock time line: the per-second series are added at the
// shards' whole-second offsets (by startedAt + warm-up), the latency bins at the nearest bin; a shard
// without a start time is aligned on its window's start, and the merged run says so.

import { describe, expect, it } from 'vitest';
import { summarise } from '../src/load/aggregate.js';
import { mergeLoadResults } from '../src/results/merge.js';
import { latencySamples, makeShard } from './merge-fixtures.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const merge = (shards: ReturnType<typeof makeShard>[]) =>
  mergeLoadResults(
    shards.map((result, i) => ({ file: `s${i}.json`, result })),
    { summarise },
  ).data;

describe('merge: alignment by wall clock', () => {
  it('adds the per-second series at each shard offset', () => {
    const a = makeShard({ samples: latencySamples(30, 1), startMs: T0, shard: { index: 0, count: 2 }, seed: 1, rpsSeries: [10, 10, 10] });
    const b = makeShard({ samples: latencySamples(30, 2), startMs: T0 + 1000, shard: { index: 1, count: 2 }, seed: 2, rpsSeries: [5, 5, 5] });
    const run = merge([a, b]).runs[0]!;
    if (run.state !== 'completed') throw new Error(run.state);
    expect(run.rpsSeries).toEqual([10, 15, 15, 5]);
    expect(run.shards.map((s) => s.offsetMs)).toEqual([0, 1000]);
    // The bins shift the same way (1 s bins): the second shard's first bin lands in the first shard's second.
    expect(run.latencySeries.map((b) => [b.startMs, b.completed])).toEqual([
      [0, 15],
      [1000, 30],
      [2000, 15],
    ]);
    expect(run.windowMs).toBe(3000);
    expect(run.startedAt).toBe(new Date(T0).toISOString());
  });

  it('aligns shards without a start time on their windows, and says so', () => {
    const a = makeShard({ samples: latencySamples(30, 1), startMs: T0, shard: { index: 0, count: 2 }, seed: 1, rpsSeries: [10, 10] });
    const b = makeShard({ samples: latencySamples(30, 2), shard: { index: 1, count: 2 }, seed: 2, rpsSeries: [5, 5] });
    const run = merge([a, b]).runs[0]!;
    if (run.state !== 'completed') throw new Error(run.state);
    expect(run.rpsSeries).toEqual([15, 15]);
    expect(run.notes.join(' ')).toMatch(/no start time/);
  });

  it('takes the base seed and the summed connections of a closed loop', () => {
    const shards = [0, 1, 2].map((i) =>
      makeShard({ samples: latencySamples(50, i + 1), startMs: T0, shard: { index: i, count: 3 }, connections: i === 0 ? 4 : 3, seed: 40 + i }),
    );
    const data = merge(shards);
    expect(data.options.connections).toBe(10);
    expect(data.options.seed).toBe(40);
    expect(data.runs[0]!.step).toMatchObject({ load: 10, label: 'held c=10' });
    expect(data.runs[0]!.load).toMatchObject({ kind: 'closed', connections: 10 });
  });
});
