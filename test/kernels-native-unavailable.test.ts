// With the addon made unavailable (SERVEBENCH_NATIVE=off, in a child process), `servebench kernels`
// still runs the JS kernels, skips the native ones with the reason, exits 0 and says
// "native: unavailable (<reason>)" in the table and the JSON.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../src/paths.js';
import type { KernelsData } from '../src/results/kernels.js';
import type { ResultEnvelope } from '../src/results/index.js';

const out = mkdtempSync(join(tmpdir(), 'servebench-kernels-off-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const cli = join(packageRoot, 'bin', 'servebench.js');
const args = ['kernels', '--sizes', '1e3', '--small-sizes', 'none', '--kernels', 'naive,typed,native,native-async', '--processes', '2', '--time', '10'];
const env = { ...process.env, SERVEBENCH_NATIVE: 'off' };

describe('kernels with the addon unavailable', () => {
  it('measures the JS kernels, skips the native ones with the reason, and says so in the JSON', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [cli, ...args, '--json', '--out', join(out, 'json')], { env, maxBuffer: 64 << 20 });
    const result = JSON.parse(stdout) as ResultEnvelope<'kernels', KernelsData>;
    expect(result.kind).toBe('kernels');
    expect(result.data.native).toEqual({ available: false, reason: 'disabled by SERVEBENCH_NATIVE=off' });
    const byKernel = Object.fromEntries(result.data.entries.map((e) => [e.kernel, e]));
    expect(byKernel.naive?.state).toBe('completed');
    expect(byKernel.typed?.state).toBe('completed');
    for (const k of ['native', 'native-async']) {
      expect(byKernel[k]).toMatchObject({ state: 'skipped', reason: 'native: unavailable (disabled by SERVEBENCH_NATIVE=off)' });
    }
    expect(result.data.probes.every((p) => p.state === 'skipped')).toBe(true);
    expect(result.data.flags.some((f) => f.kind === 'unavailable')).toBe(true);
    // the file on disk is the same envelope
    const onDisk = JSON.parse(readFileSync(join(out, 'json', 'kernels.json'), 'utf8')) as ResultEnvelope<'kernels', KernelsData>;
    expect(onDisk.data.entries).toEqual(result.data.entries);
  });

  it('prints "native: unavailable (<reason>)" with the table and exits 0', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [cli, ...args, '--out', join(out, 'table')], { env });
    expect(stdout).toMatch(/^native: unavailable \(disabled by SERVEBENCH_NATIVE=off\)$/m);
    expect(stdout).toMatch(/typed\s+[\d,.]+/);
    expect(stdout).toMatch(/native\s+-.*skipped: native: unavailable/);
  });
});
