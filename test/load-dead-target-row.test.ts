// `servebench load --target URL` where nothing listens: not one request succeeds, so the command exits 1
// naming the failures, and the configuration's row says `failed` (with the failures), never `completed`.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { packageRoot } from '../src/paths.js';
import { freePort } from '../src/processes/index.js';
import { renderLoadTerminal } from '../src/report/load.js';
import type { LoadData } from '../src/results/load.js';

it('marks the configuration failed when every request failed, and exits 1', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'servebench-dead-target-'));
  const port = await freePort();
  const args = ['load', '--json', '--target', `http://127.0.0.1:${port}/`, '--scenario', 'response-time', '--warmup', '200ms', '--duration', '1s'];
  const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [join(packageRoot, 'bin', 'servebench.js'), ...args, '--out', join(dir, 'run')],
      { cwd: dir, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr }),
    );
  });
  rmSync(dir, { recursive: true, force: true });
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr).toMatch(/ECONNREFUSED/);
  const data = (JSON.parse(r.stdout) as { data: LoadData }).data;
  const c = data.configurations[0]!;
  expect(c.state).toBe('failed');
  expect(c.reason).toMatch(/every request failed: \d+ failures .*ECONNREFUSED/);
  expect(renderLoadTerminal(data)).toMatch(/target\S*\s+failed\s+every request failed/);
}, 90_000);
