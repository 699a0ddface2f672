// `servebench load --target URL -- node app.js`: the user's server started first from its command (waited for
// on the URL's port), loaded with the request data given (here an NDJSON file and a header file), sampled
// (CPU and RSS from /proc; its event loop from a preloaded meter), and stopped after the run.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { packageRoot } from '../src/paths.js';
import { freePort } from '../src/processes/index.js';
import type { LoadData } from '../src/results/load.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

it('starts the command, samples its process, and stops it after', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'servebench-target-command-'));
  const bodies = join(dir, 'bodies.ndjson');
  writeFileSync(bodies, '{"features":[1,2,3]}\n{"features":[4,5,6]}\n');
  const headers = join(dir, 'headers.txt');
  writeFileSync(headers, 'x-own: from-file\n');
  const port = await freePort();
  const args = [
    ...['load', '--json', '--target', `http://127.0.0.1:${port}/`, '--bodies', bodies, '--header', `@${headers}`],
    ...['--scenario', 'response-time', '--warmup', '700ms', '--duration', '1500ms', '--out', dir],
    ...['--', 'node', join('test', 'fixtures', 'own-server.mjs'), '--port', String(port)],
  ];
  const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [join(packageRoot, 'bin', 'servebench.js'), ...args], { cwd: packageRoot, timeout: 100_000 }, (err, stdout, stderr) =>
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr }),
    );
  });
  expect(r.code, r.stderr).toBe(0);
  const data = (JSON.parse(r.stdout) as { data: LoadData }).data;
  const c = data.configurations[0]!;
  expect(c.state).toBe('completed');
  expect(c.command).toEqual(['node', join('test', 'fixtures', 'own-server.mjs'), '--port', String(port)]);
  expect(data.options.requestData).toEqual({ bodies: 2, files: [bodies], order: 'turn', headerFiles: [headers] });
  const run = data.runs[0]!;
  expect(run.state).toBe('completed');
  if (run.state !== 'completed') return;
  expect(run.requests.successes).toBeGreaterThan(0);
  const server = run.servers.find((s) => s.role === 'target');
  expect(server?.cpuPercent?.mean).toBeGreaterThan(0);
  expect(server?.rssBytes?.max).toBeGreaterThan(1_000_000);
  // The preloaded meter: the server's own event loop, and its responses counted.
  expect(server?.eventLoopUtilization?.mean).toBeGreaterThan(0);
  expect(server?.requests).toBeGreaterThan(0);
  expect(alive(server!.pid)).toBe(false);
}, 120_000);
