// With the addon made unavailable (SERVEBENCH_NATIVE=off), `servebench capacity` reports each native kernel
// as unavailable with the reason, runs no probe for it (never a JS kernel in its place), still measures
// typed, and exits 0; the JSON envelope is kind 'capacity' and the file on disk is the same.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../src/paths.js';
import type { CapacityData } from '../src/results/capacity.js';
import type { ResultEnvelope } from '../src/results/index.js';

const out = mkdtempSync(join(tmpdir(), 'servebench-capacity-off-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const cli = join(packageRoot, 'bin', 'servebench.js');
const args = [
  'capacity',
  '--memory-budget',
  '256MiB',
  '--kernels',
  'typed,native,native-async',
  '--tolerance',
  '20%',
  '--no-server-check',
  '--concurrency',
  '1',
  '--out',
  out,
];
const env = { ...process.env, SERVEBENCH_NATIVE: 'off' };

describe('capacity with the addon unavailable', () => {
  it('reports the native kernels as unavailable, measures typed, and writes capacity.json', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [cli, ...args, '--json'], { env, maxBuffer: 64 << 20 });
    const result = JSON.parse(stdout) as ResultEnvelope<'capacity', CapacityData>;
    expect(result.kind).toBe('capacity');
    expect(result.data.native).toEqual({ available: false, reason: 'disabled by SERVEBENCH_NATIVE=off' });
    expect(result.data.mechanism).toMatchObject({ kind: 'rlimit-data', verified: true, dataLimitBytes: 256 * 1024 * 1024 });
    const byKernel = Object.fromEntries(result.data.kernels.map((k) => [k.kernel, k]));
    for (const k of ['native', 'native-async']) {
      expect(byKernel[k]).toMatchObject({ state: 'unavailable', reason: 'native: unavailable (disabled by SERVEBENCH_NATIVE=off)', probes: [] });
    }
    const typed = byKernel.typed!;
    expect(typed.state).toBe('completed');
    if (typed.state !== 'completed') return;
    expect(typed.maxN).toBeGreaterThan(1e6);
    expect(typed.failure).toBe('allocation-failed');
    expect(typed.probes.every((p) => p.kernel === 'typed')).toBe(true);
    expect(result.data.flags.some((f) => f.kind === 'unavailable' && f.subject === 'capacity:native')).toBe(true);
    const onDisk = JSON.parse(readFileSync(join(out, 'capacity.json'), 'utf8')) as ResultEnvelope<'capacity', CapacityData>;
    expect(onDisk.data.kernels).toEqual(result.data.kernels);
  });

  it('re-renders the saved file: the table says unavailable with the reason', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [cli, 'report', join(out, 'capacity.json')], { env });
    expect(stdout).toMatch(/^native: unavailable \(disabled by SERVEBENCH_NATIVE=off\)$/m);
    expect(stdout).toMatch(/^native\s+-\s+-\s+-\s+-.*native: unavailable \(disabled by SERVEBENCH_NATIVE=off\)$/m);
    expect(stdout).toMatch(/^typed\s+[\d,]+\s+[\d.]+ MiB\s+[\d,]+\s+allocation-failed/m);
  });
});
