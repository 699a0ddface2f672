// `servebench hw` end to end (compiled CLI): writes hardware.json (the envelope), hardware.md and
// hardware.html into --out, prints the JSON with --json, and rejects a bad option with exit code 2.

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ResultEnvelope } from '../src/results/index.js';
import type { HardwareData } from '../src/results/hardware.js';
import { ENV_BLOCK_VERSION } from '../src/results/env.js';

const bin = join(import.meta.dirname, '..', 'bin', 'servebench.js');
const out = mkdtempSync(join(tmpdir(), 'servebench-hw-cli-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
  });
}

describe('servebench hw', () => {
  it('writes hardware.json, hardware.md and hardware.html and prints the envelope with --json', async () => {
    const r = await run(['hw', '--json', '--out', out, '--no-bandwidth', '--noise-window', '100ms']);
    expect(r.stderr).toContain('[hw]');
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout) as ResultEnvelope<'hardware', HardwareData>;
    const saved = JSON.parse(readFileSync(join(out, 'hardware.json'), 'utf8')) as ResultEnvelope<'hardware', HardwareData>;
    expect(saved).toEqual(printed);
    expect(saved.kind).toBe('hardware');
    expect(saved.env.envVersion).toBe(ENV_BLOCK_VERSION);
    expect(saved.data.noise.windowMs).toBeGreaterThanOrEqual(90);
    expect(saved.data.bandwidth).toEqual({ unknown: true, reason: 'not measured (bandwidth probe turned off)' });
    expect(saved.data.timers).toHaveLength(3);
    const md = readFileSync(join(out, 'hardware.md'), 'utf8');
    for (const h of ['# Hardware report: ', '## CPU', '## Memory', '## Limits (cgroup)', '## Tools', '## Noise check', '## Unknown facts'])
      expect(md).toContain(h);
    expect(existsSync(join(out, 'hardware.html'))).toBe(true);
  });

  it('prints a short summary without --json', async () => {
    const r = await run(['hw', '--out', join(out, 'summary'), '--no-bandwidth', '--noise-window', '100ms']);
    expect(r.code).toBe(0);
    for (const k of ['host', 'cpu', 'caches', 'memory', 'limits', 'runtime', 'native', 'tools', 'clocks', 'bandwidth', 'noise']) {
      expect(r.stdout).toMatch(new RegExp(`^${k}\\s`, 'm'));
    }
  });

  it('rejects a bad option naming it and its range, with exit code 2', async () => {
    const r = await run(['hw', '--noise-window', '5ms', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--noise-window: must be between 100 ms and 60000 ms/);
    const r2 = await run(['hw', '--repeats', '0', '--out', out]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/--repeats: must be between 1 and 50/);
  });
});
