// Runs are kept and gate CI: every measuring command writes a new run folder under the working folder's
// reports/ and never overwrites one; --save-baseline keeps a run under a name, --baseline compares the next
// run with it right after measuring (--fail-on-regression exits 4 on a significant regression), and
// --threshold exits 3 when crossed; a bad threshold expression exits 2 naming it. Results are written first.

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../src/paths.js';
import { Supervisor } from '../src/processes/index.js';
import { startTestServer, type TestServer } from './load-fixtures.js';

const cwd = mkdtempSync(join(tmpdir(), 'servebench-gates-'));
const sup = new Supervisor();
let fast: TestServer;
let slow: TestServer;
beforeAll(async () => {
  fast = await startTestServer(sup, 'ok', { delayMs: 1 });
  slow = await startTestServer(sup, 'ok', { delayMs: 15 });
});
afterAll(async () => {
  await sup.stopAll();
  rmSync(cwd, { recursive: true, force: true });
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(packageRoot, 'bin', 'servebench.js'), ...args], { cwd, timeout: 90_000, maxBuffer: 32 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
  });
}

const load = (url: string) => [
  'load',
  '--target',
  url,
  '--connections',
  '4',
  '--scenario',
  'sustained',
  '--duration',
  '1500ms',
  '--warmup',
  '200ms',
  '--repeats',
  '3',
];
const runFolders = () => readdirSync(join(cwd, 'reports')).filter((d) => d.startsWith('load-'));

describe('kept runs, baselines and thresholds', () => {
  it('writes each run in a new folder under the working folder, and saves a named baseline', async () => {
    const before = existsSync(join(packageRoot, 'reports')) ? readdirSync(join(packageRoot, 'reports')).length : 0;
    const a = await cli([...load(fast.url), '--save-baseline', 'fast']);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/baseline 'fast' saved/);
    const b = await cli(load(fast.url));
    expect(b.code, b.stderr).toBe(0);
    expect(runFolders()).toHaveLength(2);
    for (const d of runFolders()) expect(existsSync(join(cwd, 'reports', d, 'load.json'))).toBe(true);
    expect(existsSync(join(cwd, 'reports', 'baselines', 'fast', 'load.json'))).toBe(true);
    // nothing went into the package's own folder
    if (cwd !== packageRoot) expect(existsSync(join(packageRoot, 'reports')) ? readdirSync(join(packageRoot, 'reports')).length : 0).toBe(before);
  }, 120_000);

  it('never overwrites a run: --out naming a folder that holds one exits 2', async () => {
    const out = join(cwd, 'named');
    expect((await cli([...load(fast.url), '--out', out])).code).toBe(0);
    const again = await cli([...load(fast.url), '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds load\.json from an earlier run; servebench never overwrites a run/);
  }, 120_000);

  it('compares with the baseline right after measuring: a slower service exits 4 with --fail-on-regression', async () => {
    const r = await cli([...load(slow.url), '--baseline', 'fast', '--fail-on-regression', '5%']);
    expect(r.stdout).toMatch(/slower/);
    expect(r.code, r.stdout + r.stderr).toBe(4);
    // the run itself was written before the gate set the exit code
    expect(runFolders().length).toBeGreaterThanOrEqual(3);
  }, 120_000);

  it('exits 3 when a threshold is crossed, 0 when it holds, and 2 naming a bad expression', async () => {
    const crossed = await cli([...load(fast.url), '--threshold', 'p99<1us']);
    expect(crossed.code).toBe(3);
    expect(crossed.stdout).toMatch(/p99<1us/);
    const held = await cli([...load(fast.url), '--threshold', 'errors<50%']);
    expect(held.code, held.stdout).toBe(0);
    const bad = await cli([...load(fast.url), '--threshold', 'p99<<2ms']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--threshold.*p99<<2ms/);
  }, 120_000);

  it('lists the kept runs with servebench runs', async () => {
    const r = await cli(['runs', '--dir', join(cwd, 'reports')]);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/load/g)?.length ?? 0).toBeGreaterThanOrEqual(5);
  });
});
