// A cluster worker that dies is replaced: the system's process list follows, a notice says so, and the
// service keeps answering on the same port.
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../src/processes/index.js';
import type { SystemNotice } from '../src/serving/index.js';
import { startSystem } from '../src/serving/system.js';
import type { RunningSystem } from '../src/serving/types.js';

let sys: RunningSystem | undefined;
afterEach(async () => {
  await sys?.stop();
  sys = undefined;
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('cluster topology', () => {
  it.each(['sync', 'async'] as const)('replaces a killed scoring worker (%s path)', async (path) => {
    sys = await startSystem({ path, topology: 'cluster', workers: 2, predict: 'io', store: 'memory', metricsIntervalMs: 0 });
    const notices: SystemNotice[] = [];
    sys.onNotice((n) => notices.push(n));
    const workers = () => sys!.processes.filter((p) => p.role === 'scoring');
    const victim = workers()[0]!;
    process.kill(victim.pid, 'SIGKILL');
    await waitUntil(() => notices.some((n) => n.kind === 'worker-replaced'), 15_000, 'the worker to be replaced');
    const n = notices.find((x) => x.kind === 'worker-replaced')!;
    expect(n).toMatchObject({ service: 'scoring', name: victim.name, oldPid: victim.pid });
    expect(n.message).toMatch(/killed by SIGKILL; replaced by pid \d+/);
    const now = workers();
    expect(now).toHaveLength(2);
    expect(now.map((p) => p.pid)).not.toContain(victim.pid);
    expect(now.map((p) => p.name).sort()).toEqual(['scoring-w0', 'scoring-w1']);
    expect(now.every((p) => alive(p.pid))).toBe(true);
    // Several connections, so both workers (the new one among them) get requests.
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        fetch(sys!.scoringUrl, { method: 'POST', headers: { 'content-type': 'application/json', connection: 'close' }, body: '{"entity":"e4"}' }).then(
          async (r) => ({
            status: r.status,
            pid: ((await r.json()) as { served: { pid: number } }).served.pid,
          }),
        ),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(new Set(results.map((r) => r.pid)).size).toBe(2);
  });
});
