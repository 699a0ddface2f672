// When servebench itself dies without stopping anything (kill -9), nothing it started keeps running:
// node services exit with their parent, and redis-server and nginx run under a guard that takes them
// down and removes nginx's temp folder.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../src/paths.js';
import { Supervisor, waitUntil } from '../src/processes/index.js';

const sup = new Supervisor();
afterAll(() => sup.stopAll());

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('servebench killed with SIGKILL', () => {
  it('leaves no server, redis-server or nginx behind', async () => {
    const proc = await sup.start({
      name: 'serve',
      command: process.execPath,
      args: [join(packageRoot, 'bin', 'servebench.js'), 'serve', '--path', 'sync', '--topology', 'nginx', '--workers', '1', '--store', 'redis'],
      ready: { kind: 'line', pattern: /^http:\/\/127\.0\.0\.1:\d+\/score$/ },
      readyTimeoutMs: 30_000,
    });
    const out = proc.output();
    const pids = [...out.matchAll(/\b([\w-]+)=(\d+)\b/g)].map((m) => ({ name: m[1]!, pid: Number(m[2]) }));
    expect(pids.map((p) => p.name)).toEqual(expect.arrayContaining(['redis-server', 'scoring-nginx', 'scoring-w0', 'model-a-nginx-worker0']));
    const dirs = pids
      .filter((p) => p.name.endsWith('-nginx'))
      .map((p) => /-p (\S+)/.exec(readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').replaceAll('\0', ' '))?.[1] ?? '');
    expect(dirs.every((d) => existsSync(d))).toBe(true);
    expect(pids.every((p) => alive(p.pid))).toBe(true);

    proc.signal('SIGKILL');
    await proc.waitForExit(5000);
    await waitUntil(
      () => pids.every((p) => !alive(p.pid)),
      15_000,
      `every process to go: ${pids
        .filter((p) => alive(p.pid))
        .map((p) => p.name)
        .join(', ')}`,
    );
    await waitUntil(() => dirs.every((d) => !existsSync(d)), 5000, 'the nginx temp folders to be removed');
  });
});
