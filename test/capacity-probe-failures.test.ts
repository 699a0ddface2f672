// Real probes under a tiny budget (256 MiB), so they fail fast: the naive kernel (a plain Array on V8's
// heap) dies with the JS heap exhausted, the typed kernel (a Float64Array outside the heap) gets a caught
// RangeError, and a small n fits and reports its memory.

import { beforeAll, describe, expect, it } from 'vitest';
import { findMemoryLimit, type MemoryLimit } from '../src/capacity/limit.js';
import { runProbe } from '../src/capacity/probe.js';
import { Supervisor } from '../src/processes/index.js';

const MiB = 1024 * 1024;
const sup = new Supervisor();
let limit: MemoryLimit;

beforeAll(async () => {
  limit = await findMemoryLimit(256 * MiB);
});

const probe = (kernel: 'naive' | 'typed', n: number) => runProbe(sup, limit, { kernel, n, step: 'grow', seed: 3, timeoutMs: 30_000 });

describe('capacity probes at 256 MiB', () => {
  it('naive past its capacity: V8 aborts with the JS heap exhausted while building the input', async () => {
    const p = await probe('naive', 12_000_000);
    expect(p.outcome).toBe('js-heap-exhausted');
    expect(p.detail).toMatch(/JavaScript heap out of memory/);
    expect(p.exit?.signal).toBe('SIGABRT');
    expect(p.stage).toBe('warmed');
    expect(p.memory).toBeNull();
    expect(p.sampledPeakRssBytes).toBeGreaterThan(0);
  });

  it('typed past its capacity: a caught RangeError, the process reports and exits', async () => {
    const p = await probe('typed', 40_000_000);
    expect(p.outcome).toBe('allocation-failed');
    expect(p.detail).toMatch(/^RangeError: Array buffer allocation failed/);
    expect(p.exit).toEqual({ code: 3, signal: null });
    // nothing of the refused buffer was allocated (what is left is the warm-up's small inputs)
    expect(p.memory!.arrayBuffersBytes).toBeLessThan(1024 * 1024);
  });

  it('a small n fits: the result agrees with the reference and the memory is reported', async () => {
    const p = await probe('typed', 2_000_000);
    expect(p.outcome).toBe('ok');
    expect(p.mean).toBeCloseTo(p.reference!, 12);
    expect(p.stage).toBe('checked');
    // 8 bytes a value at least, resident, once built
    expect(p.memory!.growthRssBytes).toBeGreaterThan(8 * 2_000_000 * 0.9);
    expect(p.memory!.peakRssBytes).toBeGreaterThan(p.memory!.baselineRssBytes);
  });
});
