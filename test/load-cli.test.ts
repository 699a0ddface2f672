// `servebench load` from the command line: --target loads any running service and starts nothing; the
// JSON has rps, latencyUs, failures and valid for each run; bad options fail with exit code 2 and a
// message naming the option.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nativeLoadRun } from '../src/kernels/native-binding.js';
import { Supervisor } from '../src/processes/index.js';
import { startTestServer } from './load-fixtures.js';

const sup = new Supervisor();
const out = mkdtempSync(join(tmpdir(), 'servebench-load-'));
afterAll(async () => {
  await sup.stopAll();
  rmSync(out, { recursive: true, force: true });
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/servebench.js', 'load', ...args], { timeout: 60_000, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('servebench load', () => {
  it('loads a --target with a closed loop and writes load.json', async () => {
    const server = await startTestServer(sup, 'ok', { delayMs: 5 });
    const r = await cli(['--target', server.url, '--connections', '4', '--duration', '1s', '--warmup', '200ms', '--json', '--out', join(out, 'closed')]);
    expect(r.code).toBe(0);
    const env = JSON.parse(r.stdout) as { kind: string; env: unknown; data: { runs: Record<string, unknown>[]; options: { scenarios: string[] } } };
    expect(env.kind).toBe('load');
    expect(env.env).toBeTruthy();
    expect(env.data.options.scenarios).toEqual(['response-time', 'sustained']);
    for (const run of env.data.runs) {
      expect(run).toMatchObject({
        state: 'completed',
        rps: expect.any(Number),
        latencyUs: { p50: expect.any(Number), p90: expect.any(Number), p99: expect.any(Number), p999: expect.any(Number), max: expect.any(Number) },
        failures: { total: 0, byKind: { errors: 0, timeouts: 0, non2xx: 0, resets: 0 } },
        valid: expect.any(Boolean),
        latencyResolution: { resolutionUs: 1 },
      });
    }
    const file = JSON.parse(readFileSync(join(out, 'closed', 'load.json'), 'utf8')) as { kind: string };
    expect(file.kind).toBe('load');
    expect(r.stderr).toMatch(/\[load\] target r1 sustained/);
  });

  it('loads a --target with an open loop when given --rate', async () => {
    const server = await startTestServer(sup, 'ok');
    const r = await cli(['--target', server.url, '--rate', '50', '--duration', '1s', '--warmup', '200ms', '--json', '--out', join(out, 'open')]);
    expect(r.code).toBe(0);
    const data = (JSON.parse(r.stdout) as { data: { options: { engine: string }; runs: { scenario: string; open?: { targetRps: number } }[] } }).data;
    // The native engine by default where the addon loads (issue 12), else the JS open loop.
    expect(data.options.engine).toBe(nativeLoadRun().available ? 'native' : 'open');
    expect(data.runs.find((x) => x.scenario === 'sustained')?.open?.targetRps).toBe(50);
  });

  it('ends each step after --amount requests', async () => {
    const server = await startTestServer(sup, 'ok');
    const r = await cli([
      '--target',
      server.url,
      '--connections',
      '2',
      '--scenario',
      'sustained',
      '--amount',
      '300',
      '--warmup',
      '200ms',
      '--json',
      '--out',
      join(out, 'amount'),
    ]);
    expect(r.code).toBe(0);
    const run = (JSON.parse(r.stdout) as { data: { runs: { requests: { completed: number } }[] } }).data.runs[0]!;
    // The window closes at the amount; a few requests in flight then may finish in it too.
    expect(run.requests.completed).toBeGreaterThanOrEqual(300);
    expect(run.requests.completed).toBeLessThan(340);
  });

  it('prints a table by default', async () => {
    const server = await startTestServer(sup, 'ok');
    const r = await cli([
      '--target',
      server.url,
      '--connections',
      '2',
      '--scenario',
      'sustained',
      '--duration',
      '1s',
      '--warmup',
      '200ms',
      '--out',
      join(out, 'table'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/configuration\s+scenario\s+step\s+rps\s+p50\s+p99/);
  });

  it.each([
    [['--target', 'http://127.0.0.1:1/', '--rate', '10', '--engine', 'autocannon'], /--rate: needs --engine open/],
    [['--target', 'ftp://example/'], /--target: expected an http or https URL/],
    [['--target', 'http://127.0.0.1:1/', '--connections', '5', '--rate', '5'], /--connections: give either/],
    [['--target', 'http://127.0.0.1:1/', '--path', 'sync'], /--path: configures the serving system/],
    [['--scenario', 'soak'], /--scenario: must be one of/],
    [['--duration', 'forever'], /--duration: expected a duration/],
    [['--pid', '12'], /--pid: applies only with --target/],
    [['--target', 'http://127.0.0.1:1/', '--connections', '0'], /--connections: must be between 1/],
  ])('rejects bad options: %j', async (args, message) => {
    const r = await cli([...args, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
