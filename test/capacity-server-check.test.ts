// The measured check against a real model API (startModelApi) under a 256 MiB budget: past its capacity the
// typed predict answers a clear 500 (a caught RangeError) and the server lives on; the naive predict takes
// the server down (V8 aborts, clients get no answer); with --n-max at the capacity, both answer 400 first;
// two requests at distinct n that each fit alone both succeed (the model API drops the previous vector first).

import { describe, expect, it } from 'vitest';
import { findMemoryLimit } from '../src/capacity/limit.js';
import { planServerPoints, runServerCheck } from '../src/capacity/server-check.js';
import { summarizeKernel } from '../src/capacity/kernel-result.js';
import type { CapacityKernelResult, ServerCheckPoint } from '../src/results/capacity.js';

const MiB = 1024 * 1024;
const budget = 256 * MiB;

// Capacities as measured at 256 MiB on the development VM (only their order of size matters here).
const typed = summarizeKernel('typed', 'Float64Array', [], { lo: 2.2e7, hi: 2.3e7, converged: true }, budget, [1, 2]);
const naive = summarizeKernel('naive', 'plain Array', [], { lo: 6.5e6, hi: 6.75e6, converged: true }, budget, [1, 2]);

describe('capacity server check', () => {
  it('plans fits-derived, over-derived, past-capacity and guarded points', () => {
    const withDerived = { ...typed, derived: [{ concurrency: 2, maxN: 1.1e7, inputBytes: 8.8e7, derived: true as const }] } as CapacityKernelResult & {
      state: 'completed';
    };
    expect(planServerPoints(withDerived, 2).map((p) => [p.label, p.n, p.nMax])).toEqual([
      ['fits-derived', 8.8e6, 8.8e6],
      ['over-derived', 1.76e7, 1.76e7],
      ['distinct-n', 1.76e7 + 1, 1.76e7 + 1],
      ['past-capacity', 3.45e7, 3.45e7],
      ['guarded', 3.45e7, 2.2e7],
    ]);
  });

  it('typed answers 500 past capacity and lives; naive takes the server down; --n-max turns both into 400', async () => {
    const limit = await findMemoryLimit(budget);
    const points: ServerCheckPoint[] = [];
    const check = await runServerCheck({ limit, concurrency: 2, seed: 3, timeout: { baseMs: 20_000, perValueNs: 250 } }, [typed, naive], (p) => points.push(p));
    expect(check.state).toBe('completed');
    const at = (kernel: string, label: string) => points.find((p) => p.kernel === kernel && p.label === label)!;

    const typedPast = at('typed', 'past-capacity');
    expect(typedPast.state).toBe('completed');
    expect(typedPast.responses.map((r) => [r.status, r.code])).toEqual([
      [500, 'internal'],
      [500, 'internal'],
    ]);
    expect(typedPast.responses[0]!.message).toMatch(/Array buffer allocation failed/);
    expect(typedPast.serverAliveAfter).toBe(true);

    const naivePast = at('naive', 'past-capacity');
    expect(naivePast.counts.noAnswer).toBe(2);
    expect(naivePast.serverAliveAfter).toBe(false);
    expect(naivePast.serverExit).toMatch(/killed by SIGABRT/);

    for (const k of ['typed', 'naive']) {
      const g = at(k, 'guarded');
      expect(g.responses.every((r) => r.status === 400 && r.code === 'n_out_of_range')).toBe(true);
      expect(g.serverAliveAfter).toBe(true);
    }
    expect(at('typed', 'fits-derived').counts.ok).toBe(2);
    // each n fits alone, and the model API lets the first vector go before it builds the second
    const distinct = at('typed', 'distinct-n');
    expect(distinct.sequence).toEqual([1.76e7, 1.76e7 + 1]);
    expect(distinct.responses.map((r) => [r.n, r.status])).toEqual([
      [1.76e7, 200],
      [1.76e7 + 1, 200],
    ]);
    expect(distinct.serverAliveAfter).toBe(true);
    const naiveDistinct = at('naive', 'distinct-n');
    expect(naiveDistinct.responses.map((r) => r.status)).toEqual([200, 200]);
    expect(naiveDistinct.serverAliveAfter).toBe(true);
  });
});
