// The budget really bounds the child: the run's own check (an ArrayBuffer just over the budget is refused)
// passes, the same request passes without the limit, and a probe that fits never holds more than the
// budget (its data segment and its peak RSS stay under it).

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { findMemoryLimit, limitedNode, verifyLimit } from '../src/capacity/limit.js';
import { runProbe } from '../src/capacity/probe.js';
import { compiledEntry } from '../src/paths.js';
import { Supervisor } from '../src/processes/index.js';

const MiB = 1024 * 1024;
const budget = 256 * MiB;
const sup = new Supervisor();

describe('the memory budget', () => {
  it('is verified: a child under it is refused an ArrayBuffer of budget + 64 MiB', async () => {
    const limit = await findMemoryLimit(budget);
    const m = await verifyLimit(sup, limit);
    expect(m).toMatchObject({ kind: 'rlimit-data', verified: true, dataLimitBytes: budget, v8MaxOldSpaceMiB: 192 });
    expect(m.verification).toMatch(/was refused an ArrayBuffer of 320 MiB: RangeError: Array buffer allocation failed/);
    expect(limitedNode(limit, ['x.js'], '/usr/bin/node')).toEqual({
      command: 'prlimit',
      args: [`--data=${budget}`, '--', '/usr/bin/node', '--max-old-space-size=192', 'x.js'],
    });
  });

  it('is what refuses: without the limit the same (untouched) ArrayBuffer is granted', async () => {
    const job = JSON.stringify({ mode: 'verify', bytes: budget + 64 * MiB });
    const { stdout } = await promisify(execFile)(process.execPath, [compiledEntry('src/capacity/probe-main'), job], {
      env: { ...process.env, SERVEBENCH_SUPERVISED: '0' },
    });
    const report = JSON.parse(stdout.trim().split('\n').pop()!) as { outcome: string };
    expect(report.outcome).toBe('ok');
  });

  it('bounds a fitting probe: data segment and peak RSS stay under the budget', async () => {
    const limit = await findMemoryLimit(budget);
    // 20e6 doubles = 153 MiB: fits, with the runtime, under 256 MiB.
    const p = await runProbe(sup, limit, { kernel: 'typed', n: 20_000_000, step: 'grow', seed: 3, timeoutMs: 30_000 });
    expect(p.outcome).toBe('ok');
    expect(p.memory!.vmDataBytes!).toBeLessThanOrEqual(budget);
    expect(p.memory!.peakRssBytes).toBeLessThanOrEqual(budget);
    expect(p.memory!.arrayBuffersBytes).toBeGreaterThanOrEqual(8 * 20_000_000);
  });
});
