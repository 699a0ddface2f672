// The flags a capacity run raises from its own data: a derived figure its probes contradict, a failure past
// max n that is not memory, a failure below max n (ignoring the derived check's probes of C inputs), an
// imprecise search, an unavailable kernel.

import { describe, expect, it } from 'vitest';
import { capacityFlags } from '../src/capacity/flags.js';
import { summarizeKernel } from '../src/capacity/kernel-result.js';
import type { CapacityKernelResult, CapacityProbe, ProbeOutcomeKind } from '../src/results/capacity.js';

const MiB = 1024 * 1024;
const budget = 512 * MiB;
const skipped = { state: 'skipped' as const, reason: 'x' };

function probe(n: number, outcome: ProbeOutcomeKind, concurrency = 1): CapacityProbe {
  return {
    kernel: 'typed',
    n,
    step: 'grow',
    concurrency,
    outcome,
    detail: outcome,
    stage: 'checked',
    exit: null,
    pid: 1,
    durationMs: 1,
    buildMs: null,
    kernelMs: null,
    memory: null,
    sampledPeakRssBytes: null,
  };
}

type Completed = CapacityKernelResult & { state: 'completed' };

describe('capacityFlags', () => {
  it('ignores the derived check probes when looking for failures below max n', () => {
    const r = summarizeKernel(
      'typed',
      'd',
      [probe(5e7, 'ok'), probe(6e7, 'allocation-failed'), probe(1.5e7, 'allocation-failed', 4)],
      { lo: 5e7, hi: 6e7, converged: true },
      budget,
      [1, 4],
    );
    expect(capacityFlags([r], skipped)).toEqual([]);
    const bad = summarizeKernel(
      'typed',
      'd',
      [probe(5e7, 'ok'), probe(4e7, 'allocation-failed'), probe(6e7, 'allocation-failed')],
      { lo: 5e7, hi: 6e7, converged: true },
      budget,
      [1],
    );
    expect(capacityFlags([bad], skipped).map((f) => f.kind)).toEqual(['non-monotonic']);
  });

  it('flags a failure that is not memory, a contradicted derived figure, an imprecise search, an unavailable kernel', () => {
    const lengthBound = summarizeKernel(
      'naive',
      'd',
      [probe(1.1e8, 'ok'), probe(1.13e8, 'array-length-limit')],
      { lo: 1.1e8, hi: 1.13e8, converged: true },
      budget,
      [1],
    );
    const derived = summarizeKernel('naive', 'd', [], { lo: 2e7, hi: 2.1e7, converged: true }, budget, [1, 4]) as Completed;
    derived.derivedCheck = { concurrency: 4, derivedMaxN: 5e6, below: { n: 4.6e6, outcome: 'ok' }, above: { n: 5.4e6, outcome: 'ok' }, agrees: false };
    const imprecise = summarizeKernel('typed', 'd', [], { lo: 1e7, hi: 2e7, converged: false }, budget, [1]);
    const unavailable: CapacityKernelResult = { kernel: 'native', description: 'd', probes: [], state: 'unavailable', reason: 'native: unavailable (x)' };
    const flags = capacityFlags([lengthBound, derived, imprecise, unavailable], skipped);
    expect(flags.map((f) => `${f.subject} ${f.kind}`)).toEqual([
      'capacity:naive not-memory-bound',
      'capacity:naive derived-check',
      'capacity:typed imprecise',
      'capacity:native unavailable',
    ]);
    expect(flags[1]!.message).toMatch(/derived max n 5e6 still fitted above it \(at 5\.4e6\): the derived figure is conservative/);
    expect(flags[2]!.message).toBe('known to 100.0% only (probe limit)');
  });
});
