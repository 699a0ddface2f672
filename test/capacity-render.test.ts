// The terminal and Markdown renderers read only CapacityData: max n with its units (values and MiB), the
// failure past it, bytes per value, the derived columns marked as derived, the probes, the server check.

import { describe, expect, it } from 'vitest';
import { resolveCapacitySettings } from '../src/capacity/settings.js';
import { summarizeKernel } from '../src/capacity/kernel-result.js';
import { renderCapacityMarkdown, renderCapacityTable } from '../src/report/capacity.js';
import { formatN as shortN } from '../src/report/format.js';
import type { CapacityData, CapacityProbe, ProbeOutcomeKind } from '../src/results/capacity.js';

const MiB = 1024 * 1024;
const budget = 512 * MiB;
const { quick, ...settings } = resolveCapacitySettings({ budgetBytes: budget, availableBytes: 20 * 1024 * MiB });

function probe(kernel: 'naive' | 'typed', n: number, outcome: ProbeOutcomeKind, detail: string = outcome): CapacityProbe {
  const ok = outcome === 'ok';
  return {
    kernel,
    n,
    step: 'grow',
    concurrency: 1,
    outcome,
    detail,
    stage: ok ? 'checked' : 'warmed',
    exit: ok ? { code: 0, signal: null } : { code: null, signal: 'SIGABRT' },
    pid: 1,
    durationMs: 100,
    buildMs: ok ? 50 : null,
    kernelMs: ok ? 5 : null,
    sampledPeakRssBytes: 100 * MiB,
    memory: ok
      ? {
          baselineRssBytes: 60 * MiB,
          baselineDataBytes: 90 * MiB,
          peakRssBytes: 60 * MiB + n * (kernel === 'naive' ? 23 : 8),
          growthRssBytes: n * (kernel === 'naive' ? 23 : 8),
          heapUsedBytes: 1,
          heapTotalBytes: 1,
          heapLimitBytes: 1,
          arrayBuffersBytes: 1,
          externalBytes: 1,
          vmDataBytes: 1,
        }
      : null,
  };
}

const naiveProbes = [
  probe('naive', 1e7, 'ok'),
  probe('naive', 2e7, 'js-heap-exhausted', "V8's heap limit reached: FATAL ERROR"),
  probe('naive', 1.88e7, 'ok'),
  probe('naive', 1.94e7, 'js-heap-exhausted', "V8's heap limit reached: FATAL ERROR"),
];
const typedProbes = [probe('typed', 5.53e7, 'ok'), probe('typed', 5.7e7, 'allocation-failed', 'RangeError: Array buffer allocation failed')];
const data: CapacityData = {
  quick,
  settings,
  mechanism: {
    kind: 'rlimit-data',
    tool: 'prlimit from util-linux 2.38.1',
    dataLimitBytes: budget,
    v8MaxOldSpaceMiB: 384,
    verified: true,
    verification: 'refused',
  },
  native: { available: false, reason: 'cargo not found at build time' },
  kernels: [
    summarizeKernel('naive', 'plain JS Array', naiveProbes, { lo: 1.88e7, hi: 1.94e7, converged: true }, budget, [1, 4]),
    summarizeKernel('typed', 'Float64Array', typedProbes, { lo: 5.53e7, hi: 5.7e7, converged: true }, budget, [1, 4]),
    { kernel: 'native', description: 'napi-rs', probes: [], state: 'unavailable', reason: 'native: unavailable (cargo not found at build time)' },
  ],
  serverCheck: {
    state: 'completed',
    concurrency: 4,
    notes: ['shared vector'],
    points: [
      {
        kernel: 'typed',
        label: 'past-capacity',
        purpose: 'p',
        path: 'sync',
        concurrency: 4,
        n: 8.55e7,
        nMax: 8.55e7,
        state: 'completed',
        responses: Array.from({ length: 4 }, () => ({
          n: 8.55e7,
          status: 500,
          code: 'internal',
          message: 'internal error: Array buffer allocation failed',
          latencyMs: 3,
        })),
        counts: { ok: 0, clientErrors: 0, serverErrors: 4, noAnswer: 0 },
        serverAliveAfter: true,
        serverExit: null,
        serverPeakRssBytes: 80 * MiB,
        durationMs: 500,
      },
      {
        kernel: 'naive',
        label: 'past-capacity',
        purpose: 'p',
        path: 'sync',
        concurrency: 4,
        n: 2.91e7,
        nMax: 2.91e7,
        state: 'completed',
        responses: Array.from({ length: 4 }, () => ({ n: 2.91e7, status: null, code: 'ECONNRESET', message: 'socket hang up', latencyMs: 900 })),
        counts: { ok: 0, clientErrors: 0, serverErrors: 0, noAnswer: 4 },
        serverAliveAfter: false,
        serverExit: 'model-a (pid 9) was killed by SIGABRT',
        serverPeakRssBytes: 420 * MiB,
        durationMs: 1500,
      },
    ],
  },
  flags: [],
  startedAt: '2026-11-22T00:00:00.000Z',
  durationMs: 1000,
  interrupted: false,
};

describe('capacity renderers', () => {
  it('renders max n in values and MiB, the failure past it, bytes per value and the derived columns', () => {
    const text = renderCapacityTable(JSON.parse(JSON.stringify(data)) as CapacityData);
    expect(text).toMatch(/under a 512 MiB memory budget/);
    expect(text).toMatch(/^limit: RLIMIT_DATA 512 MiB \(prlimit from util-linux 2\.38\.1\).*V8 --max-old-space-size=384 MiB.*verified/m);
    expect(text).toMatch(/^native: unavailable \(cargo not found at build time\)$/m);
    expect(text).toMatch(
      /^kernel\s+max n \(values\)\s+8n\s+first failing n\s+failure past it\s+B\/value RSS\s+B\/value budget\s+peak RSS\s+C=1\*\s+C=4\*\s+probes\s+note$/m,
    );
    expect(text).toMatch(/^naive\s+18,800,000\s+143 MiB\s+19,400,000\s+js-heap-exhausted\s+23\.0\s+/m);
    expect(text).toMatch(/^typed\s+55,300,000\s+422 MiB\s+57,000,000\s+allocation-failed\s+8\.0\s+/m);
    expect(text).toMatch(/^native\s+-.*native: unavailable \(cargo not found at build time\)$/m);
    expect(text).toMatch(/^ {2}naive: 1e7 ok · 2e7 heap · 1\.88e7 ok · 1\.94e7 heap$/m);
    expect(text).toMatch(/^typed\s+past-capacity\s+sync\s+8\.55e7\s+8\.55e7\s+4x 500 internal\s+alive/m);
    expect(text).toMatch(/^naive\s+past-capacity\s+sync.*4x no answer \(ECONNRESET\)\s+gone \(was killed by SIGABRT\)/m);
    expect(text).toMatch(/DERIVED \(not measured\)/);
  });

  it('renders the same content as Markdown', () => {
    const md = renderCapacityMarkdown(data);
    expect(md).toMatch(/^## Capacity under a 512 MiB memory budget$/m);
    expect(md).toMatch(/^\| kernel \| max n \(values\) \| 8n \|/m);
    expect(md).toMatch(/^\| typed \| 55,300,000 \| 422 MiB \| 57,000,000 \| allocation-failed \|/m);
    expect(md).toMatch(/^\| naive \| past-capacity \| sync \|/m);
  });

  it('writes n short and readable', () => {
    expect([shortN(999), shortN(1000), shortN(18_800_000), shortN(268_435_456)]).toEqual(['999', '1e3', '1.88e7', '2.68e8']);
  });
});
