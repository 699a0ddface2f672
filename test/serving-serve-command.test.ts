// `servebench serve` prints the scoring URL on stdout, serves, and on SIGINT or SIGTERM stops everything
// it started; bad options exit 2 with a message naming the option.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../src/paths.js';
import { Supervisor, waitUntil } from '../src/processes/index.js';
import type { ScoreResponse } from '../src/results/serving.js';

const cli = join(packageRoot, 'bin', 'servebench.js');
const sup = new Supervisor();
afterAll(() => sup.stopAll());

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('servebench serve', () => {
  it.each([
    ['SIGINT', 'sync', 'cluster', 130],
    ['SIGTERM', 'async', 'nginx', 143],
  ] as const)('stops everything on %s (%s path, %s topology)', async (signal, path, topology, code) => {
    const proc = await sup.start({
      name: 'serve',
      command: process.execPath,
      args: [cli, 'serve', '--path', path, '--topology', topology, '--workers', '2', '--store', 'redis'],
      ready: { kind: 'line', pattern: /^http:\/\/127\.0\.0\.1:\d+\/score$/ },
      readyTimeoutMs: 30_000,
    });
    const out = proc.output();
    const url = /^(http:\/\/127\.0\.0\.1:\d+\/score)$/m.exec(out)![1]!;
    expect(out).toMatch(/\[serve\] feature store: redis-server .* started by servebench/);
    const pids = [...out.matchAll(/\b[\w-]+=(\d+)\b/g)].map((m) => Number(m[1]));
    expect(pids.length).toBeGreaterThanOrEqual(10);
    const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"entity":"e1"}' });
    expect(r.status).toBe(200);
    expect(((await r.json()) as ScoreResponse).served).toMatchObject({ path, topology, store: 'redis' });

    proc.signal(signal);
    const exit = await proc.waitForExit(20_000);
    expect(exit.code).toBe(code);
    expect(proc.output()).toMatch(new RegExp(`${signal} received, stopping everything`));
    await waitUntil(() => pids.every((p) => !alive(p)), 5000, 'every process serve started to exit');
    await expect(fetch(url, { method: 'POST', body: '{}' })).rejects.toThrow();
  });

  it.each([
    [['--predict', 'io', '--kernel', 'typed'], /--kernel: applies only to --predict cpu/],
    [['--topology', 'cluster', '--workers', '0'], /--workers: must be between 1 and 256, got 0/],
    [['--predict', 'cpu', '--n', '1e9'], /--n: must be between 1 and 20000000/],
    [['--path', 'fast'], /--path: must be one of sync, async; got 'fast'/],
  ])('rejects %j with exit code 2', async (args, message) => {
    const err = await promisify(execFile)(process.execPath, [cli, 'serve', ...args], { timeout: 20_000 }).then(
      () => undefined,
      (e: { code?: number; stderr?: string }) => e,
    );
    expect(err?.code).toBe(2);
    expect(err?.stderr).toMatch(message);
  });
});
