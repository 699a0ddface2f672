// The terminal and Markdown renderers read only KernelsData: every main-table row, the native line, the
// goals and the flags appear; a saved kernels.json re-renders without measuring.

import { describe, expect, it } from 'vitest';
import { aggregateKernels, type ProcessOutcome } from '../src/kernels/aggregate.js';
import { resolveKernelsSettings } from '../src/kernels/settings.js';
import type { KernelTaskResult } from '../src/kernels/worker-protocol.js';
import { renderKernelsMarkdown, renderKernelsTable } from '../src/report/kernels.js';
import type { NativeStatus } from '../src/results/common.js';

const native: NativeStatus = { available: false, reason: 'cargo not found at build time' };
const settings = resolveKernelsSettings({ sizes: [1e3, 1e4], smallSizes: [], kernels: ['naive', 'typed', 'native'], processes: 2 });
const task = (kernel: 'naive' | 'typed', ns: number): KernelTaskResult => ({
  kernel,
  position: 0,
  state: 'completed',
  nsPerCall: ns,
  minNsPerCall: ns,
  rme: 1,
  medianRme: 0.5,
  samples: 10,
  callsPerSample: 4,
  result: 0,
  reference: 0,
});
const skipped: KernelTaskResult = { kernel: 'native', position: 2, state: 'skipped', reason: 'native: unavailable (cargo not found at build time)' };
const outcomes: ProcessOutcome[] = [1e3, 1e4, 1e3, 1e4].map((n, index) => ({
  record: { index, n, order: ['naive', 'typed', 'native'], pid: 10 + index, state: 'completed', durationMs: 5 },
  result: {
    type: 'kernels-result',
    pid: 10 + index,
    n,
    native,
    tasks: [task('naive', n * 1.1 + index), task('typed', n * 0.5), skipped],
    probes: [],
    setupMs: 1,
  },
}));
const data = JSON.parse(JSON.stringify(aggregateKernels(settings, outcomes, native, { startedAt: 'x', durationMs: 1, interrupted: false })));

describe('kernels renderers', () => {
  it('renders the terminal table with the native line, every row, goals and flags', () => {
    const text = renderKernelsTable(data);
    expect(text).toMatch(/^native: unavailable \(cargo not found at build time\)$/m);
    expect(text).toMatch(/^\s*n\s+kernel\s+ns\/call\s+min ns\s+GB\/s\s+of probe\s+rme %\s+±med %\s+spread %\s+samples\s+note$/m);
    expect(text).toMatch(/^1e3\s+naive\s+1,10\d/m);
    expect(text).toMatch(/^\s+native\s+-.*skipped: native: unavailable/m);
    expect(text).toMatch(/\[not measured\] native is at least 3x typed at n = 1e4/);
    expect(text).toMatch(/! native unavailable:/);
  });

  it('renders Markdown with the same rows', () => {
    const md = renderKernelsMarkdown(data);
    expect(md).toMatch(/^\| n \| kernel \| ns\/call \|/m);
    expect(md).toMatch(/^\| 1e4 \| naive \|/m);
    expect(md).toContain('`native: unavailable (cargo not found at build time)`');
  });
});
