// Nothing outlives servebench when whoever started it goes away without passing a signal on: `npx servebench
// serve` given SIGTERM (npm ends alone, leaving `sh -c` and servebench), and a shell given SIGTERM while
// servebench runs under it. servebench notices its parent (or the wrapper's parent) is gone and stops
// everything it started: 0 processes left, 0 ports held.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../src/paths.js';
import { waitUntil } from '../src/processes/index.js';

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });

/** Start `command args` in its own process group, wait for serve's URL line, and return the pids and ports it printed. */
async function startServe(command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(command, args, { cwd: packageRoot, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (out += d));
  await waitUntil(() => /^http:\/\/127\.0\.0\.1:\d+\/score$/m.test(out), 90_000, `serve's URL (output so far: ${out.slice(-400)})`);
  const pids = [...out.matchAll(/\b([\w-]+)=(\d+)\b/g)].map((m) => Number(m[2]));
  const ports = [...out.matchAll(/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
  return { child, pids, ports, output: () => out };
}

async function expectNothingLeft(pids: number[], ports: number[], output: () => string): Promise<void> {
  await waitUntil(() => pids.every((p) => !alive(p)), 15_000, `every process to stop (left: ${pids.filter(alive).join(', ')}); ${output().slice(-300)}`);
  for (const port of ports) expect(await listening(port), `port ${port}`).toBe(false);
}

const serveArgs = ['serve', '--path', 'async', '--topology', 'cluster', '--workers', '2', '--store', 'memory'];

describe('servebench when its parent goes away', () => {
  it('stops everything when `npx servebench serve` gets SIGTERM (npm does not pass it on)', async () => {
    // ignore-scripts: npx must not rebuild the project while the tests run
    const s = await startServe('npx', ['--offline', 'servebench', ...serveArgs], { npm_config_ignore_scripts: 'true', npm_config_update_notifier: 'false' });
    expect(s.pids.length).toBeGreaterThanOrEqual(3);
    expect(s.pids.every(alive)).toBe(true);
    process.kill(s.child.pid!, 'SIGTERM');
    await expectNothingLeft(s.pids, s.ports, s.output);
    expect(s.output()).toMatch(/the process that started servebench is gone/);
  }, 120_000);

  it('stops everything when the shell it runs under gets SIGTERM', async () => {
    const cli = join(packageRoot, 'bin', 'servebench.js');
    const s = await startServe('sh', ['-c', `"${process.execPath}" "${cli}" ${serveArgs.join(' ')}; echo ended`]);
    process.kill(s.child.pid!, 'SIGTERM');
    await expectNothingLeft(s.pids, s.ports, s.output);
  }, 120_000);
});
