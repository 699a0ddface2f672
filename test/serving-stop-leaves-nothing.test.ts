// stop() ends every process the system started (cluster workers, nginx workers, redis-server included),
// frees the ports, and removes nginx's temp folder.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tcpOpen } from '../src/processes/index.js';
import { startSystem } from '../src/serving/system.js';

/** Alive and not a zombie. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function nginxDirs(pids: number[]): string[] {
  const dirs: string[] = [];
  for (const pid of pids) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
      const i = cmd.indexOf('-p');
      if (i >= 0 && cmd[i + 1] !== undefined) dirs.push(cmd[i + 1]!);
    } catch {
      // not there
    }
  }
  return dirs;
}

describe('stop()', () => {
  it.each([
    { path: 'sync', topology: 'nginx' },
    { path: 'async', topology: 'cluster' },
  ] as const)('leaves nothing running: $path path, $topology topology, redis store', async ({ path, topology }) => {
    const sys = await startSystem({ path, topology, workers: 2, predict: 'io', store: 'redis' });
    onTestFinished(() => sys.stop());
    const procs = sys.processes;
    const pids = procs.map((p) => p.pid);
    expect(pids.length).toBeGreaterThanOrEqual(topology === 'nginx' ? 13 : 10);
    expect(pids.every(alive)).toBe(true);
    const dirs = nginxDirs(procs.filter((p) => p.role === 'nginx').map((p) => p.pid));
    if (topology === 'nginx') expect(dirs).toHaveLength(3);
    const ports = Object.values(sys.baseUrls).map((u) => Number(new URL(u).port));
    expect((await fetch(sys.scoringUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"entity":"e1"}' })).status).toBe(200);

    await sys.stop();
    expect(pids.filter(alive)).toEqual([]);
    for (const port of ports) expect(await tcpOpen('127.0.0.1', port)).toBe(false);
    for (const d of dirs) expect(existsSync(d)).toBe(false);
    // Twice is harmless.
    await sys.stop();
  });
});
