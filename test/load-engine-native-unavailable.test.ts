// With the native addon made unavailable (SERVEBENCH_NATIVE=off, in a child process), `servebench load` runs
// the JS engines instead (autocannon for a closed loop, the open engine for a rate) and says which ran and
// why, in the JSON and in the table's header; asking for --engine native then is refused with the reason.
// With the addon, the same command runs the native engine and says it is the default.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../src/paths.js';
import { Supervisor } from '../src/processes/index.js';
import type { LoadData } from '../src/results/load.js';
import { describeNative } from './load-engine-native-fixtures.js';
import { startTestServer, type TestServer } from './load-fixtures.js';

const sup = new Supervisor();
const out = mkdtempSync(join(tmpdir(), 'servebench-native-off-'));
afterAll(async () => {
  await sup.stopAll();
  rmSync(out, { recursive: true, force: true });
});

const OFF = 'fallback: native addon unavailable: disabled by SERVEBENCH_NATIVE=off';

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  const bin = join(packageRoot, 'bin', 'servebench.js');
  // Each run gets its own folder: servebench never writes a run over an earlier one.
  const step = ['--scenario', 'sustained', '--duration', '1s', '--warmup', '200ms', '--out', mkdtempSync(join(out, 'run-'))];
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, 'load', ...args, ...step], { env, timeout: 60_000, maxBuffer: 32 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
  });
}

let server: TestServer | undefined;
async function url(): Promise<string> {
  server ??= await startTestServer(sup, 'ok');
  return server.url;
}

const off = { ...process.env, SERVEBENCH_NATIVE: 'off' };
const dataOf = (stdout: string) => (JSON.parse(stdout) as { data: LoadData }).data;

describe('servebench load with the native addon unavailable', () => {
  it.each([
    ['closed loop', ['--connections', '2'], 'autocannon'],
    ['open loop', ['--rate', '50'], 'open'],
  ] as const)('%s: the JS engine runs, and the JSON says why', async (_loop, load, engine) => {
    const r = await cli(['--target', await url(), ...load, '--json'], off);
    expect(r.code).toBe(0);
    const data = dataOf(r.stdout);
    expect(data.options.engine).toBe(engine);
    expect(data.options.engineChoice).toEqual({ reason: OFF, loop: engine === 'open' ? 'open' : 'closed' });
    const held = data.runs.find((x) => x.scenario === 'sustained');
    expect(held?.state).toBe('completed');
    expect(held?.load.engine).toBe(engine);
    if (held?.state === 'completed') expect(held.generator.engine).toBe(engine);
    expect(r.stderr).toContain(`engine: ${engine} (${OFF})`);
  });

  it('says which engine ran and why in the table header', async () => {
    const r = await cli(['--target', await url(), '--rate', '50'], off);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^load: .* · engine open \(fallback: native addon unavailable: disabled by SERVEBENCH_NATIVE=off\) · /m);
  });

  it('refuses --engine native, naming the reason', async () => {
    const r = await cli(['--target', await url(), '--connections', '2', '--engine', 'native'], off);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--engine: native: native addon unavailable: disabled by SERVEBENCH_NATIVE=off/);
  });
});

describeNative('servebench load with the native addon', () => {
  it('runs the native engine by default and says so', async () => {
    const r = await cli(['--target', await url(), '--connections', '2', '--generator-threads', '1', '--json'], process.env);
    expect(r.code).toBe(0);
    const data = dataOf(r.stdout);
    expect(data.options).toMatchObject({ engine: 'native', engineChoice: { reason: 'default', loop: 'closed', generatorThreads: 1 } });
    expect(data.runs.every((x) => x.load.engine === 'native')).toBe(true);
    const md = await cli(['--target', await url(), '--rate', '50', '--markdown'], process.env);
    expect(md.stdout).toMatch(/^Engine native \(default\) with \d+ load threads?, /m);
  });
});
