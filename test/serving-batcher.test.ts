// The micro-batcher alone: a batch runs once it holds max-size, or when its oldest request has waited
// max-wait; max-wait 0 batches the requests of one event-loop turn; each request gets its own row (a row
// that is an Error fails that request alone); a runner that throws fails the whole batch.
import { describe, expect, it } from 'vitest';
import { MicroBatcher } from '../src/serving/batching/batcher.js';

const double = (xs: number[]) => xs.map((x) => x * 2);

describe('MicroBatcher', () => {
  it('runs full batches at once and the rest when max-wait is up', async () => {
    const sizes: number[] = [];
    const b = new MicroBatcher<number, number>({ maxSize: 2, maxWaitMs: 20 }, double, (size) => sizes.push(size));
    const out = await Promise.all([1, 2, 3, 4, 5].map((x) => b.add(x)));
    expect(out.map((o) => o.value)).toEqual([2, 4, 6, 8, 10]);
    expect(sizes).toEqual([2, 2, 1]);
    expect(out.map((o) => o.batchSize)).toEqual([2, 2, 2, 2, 1]);
    // The last one waited for the timer; the full batches did not wait for it.
    expect(out[4]!.batchWaitMs).toBeGreaterThanOrEqual(18);
    expect(out[0]!.batchWaitMs).toBeLessThan(out[4]!.batchWaitMs);
  });

  it('with max-wait 0 batches the requests of one turn', async () => {
    const sizes: number[] = [];
    const b = new MicroBatcher<number, number>({ maxSize: 64, maxWaitMs: 0 }, double, (size) => sizes.push(size));
    await Promise.all([1, 2, 3].map((x) => b.add(x)));
    await b.add(4);
    expect(sizes).toEqual([3, 1]);
  });

  it('fails a row alone, and the whole batch when the runner throws', async () => {
    const rows = new MicroBatcher<number, number>({ maxSize: 3, maxWaitMs: 5 }, (xs) => xs.map((x) => (x < 0 ? new Error(`bad ${x}`) : x)));
    const settled = await Promise.allSettled([1, -1, 2].map((x) => rows.add(x)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const broken = new MicroBatcher<number, number>({ maxSize: 2, maxWaitMs: 5 }, () => {
      throw new Error('down');
    });
    const all = await Promise.allSettled([1, 2].map((x) => broken.add(x)));
    expect(all.every((s) => s.status === 'rejected')).toBe(true);
  });
});
