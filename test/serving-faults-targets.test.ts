// What each fault target means on each topology (src/serving/faults.ts), checked on stand-in processes
// (`sleep`), no serving system: kill hits the service's front (a single process, a cluster primary, every
// nginx backend), pause stops the target and its descendants and resumes them after the time, and a target
// the system does not have is an error naming it.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../src/processes/index.js';
import type { SystemProcess } from '../src/results/serving.js';
import { FAULT_TARGETS, systemFaults, type FaultTarget } from '../src/serving/faults.js';

const started: ChildProcess[] = [];
afterEach(() => {
  for (const c of started.splice(0)) c.kill('SIGKILL');
});

function standIn(): number {
  const c = spawn('sleep', ['30'], { stdio: 'ignore' });
  started.push(c);
  return c.pid!;
}

function state(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]!;
  } catch {
    return 'gone';
  }
}

const gone = (pid: number) => state(pid) === 'gone' || state(pid) === 'Z';

describe('fault targets', () => {
  it('kill hits the front of a service on each topology', async () => {
    const p = (role: string, name: string, service: SystemProcess['service']): SystemProcess => ({ role, pid: standIn(), name, service });
    const procs = [
      p('model-a', 'model-a', 'model-a'),
      p('model-b-primary', 'model-b-primary', 'model-b'),
      p('model-b', 'model-b-w0', 'model-b'),
      p('scoring', 'scoring-w1', 'scoring'),
      p('scoring', 'scoring-w0', 'scoring'),
      p('nginx', 'scoring-nginx', 'scoring'),
      p('feature-store', 'redis-server', undefined),
    ];
    const faults = systemFaults({ processes: () => procs, services: {}, redisUrls: [] });
    const names = async (t: FaultTarget) => (await faults.kill(t)).processes.map((x) => x.name);
    expect(await names('model-a')).toEqual(['model-a']);
    expect(await names('model-b')).toEqual(['model-b-primary']);
    expect(await names('scoring-worker')).toEqual(['scoring-w0']);
    expect(await names('scoring')).toEqual(['scoring-w1', 'scoring-w0']);
    expect(await names('nginx')).toEqual(['scoring-nginx']);
    expect(await names('redis')).toEqual(['redis-server']);
    await waitUntil(() => procs.filter((x) => x.name !== 'model-b-w0').every((x) => gone(x.pid)), 5000, 'the killed stand-ins to be gone');
    expect(gone(procs[2]!.pid)).toBe(false);
    await expect(faults.kill('model-worker')).rejects.toThrow(/fault target model-worker: no such process running in this system/);
  });

  it('pause stops the target and resumes it after the time; release() resumes it at once', async () => {
    const pid = standIn();
    const faults = systemFaults({ processes: () => [{ role: 'model-a', pid, name: 'model-a', service: 'model-a' }], services: {}, redisUrls: [] });
    const applied = await faults.pause('model-a', 300);
    expect(applied).toMatchObject({ action: 'pause', target: 'model-a', processes: [{ name: 'model-a', pid }] });
    expect(applied.untilMs! - applied.atMs).toBe(300);
    await waitUntil(() => state(pid) === 'T', 2000, 'the stand-in to be stopped');
    await waitUntil(() => state(pid) === 'S', 5000, 'the stand-in to run again');
    await faults.pause('model-a', 60_000);
    await waitUntil(() => state(pid) === 'T', 2000, 'the stand-in to be stopped');
    faults.release();
    await waitUntil(() => state(pid) === 'S', 2000, 'the stand-in to run again after release()');
  });

  it('names every target a system does not have', async () => {
    const faults = systemFaults({ processes: () => [], services: {}, redisUrls: [] });
    for (const t of FAULT_TARGETS) await expect(faults.kill(t)).rejects.toThrow(new RegExp(`fault target ${t}: no such process`));
  });
});
