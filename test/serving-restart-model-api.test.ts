// A model API whose primary process is killed (SIGKILL) during a steady trickle of requests comes back: it
// is restarted on the same port (the scoring handler keeps its URL), requests succeed again, and the system
// reports the exit and the restart (with the time it was down). The scoring handler's /health names the dead
// model while it is down. Single process (sync path) and cluster primary (async path, its workers with it).
import { afterEach, describe, expect, it } from 'vitest';
import { startSystem } from '../src/serving/system.js';
import type { RunningSystem } from '../src/serving/types.js';
import { eventOf, health, recordEvents, recovered, trickle } from './serving-fault-trickle.js';

let sys: RunningSystem | undefined;
afterEach(async () => {
  await sys?.stop();
  sys = undefined;
});

describe('a killed model API primary', () => {
  it.each([
    ['sync', 'single', 'model-a'],
    ['async', 'cluster', 'model-a-primary'],
  ] as const)('is restarted on the same port (%s path, %s topology)', async (path, topology, processName) => {
    sys = await startSystem({
      path,
      topology,
      ...(topology === 'cluster' ? { workers: 2 } : {}),
      predict: 'io',
      store: 'memory',
      metricsIntervalMs: 0,
      timeoutsMs: { model: 1000 },
      // A down window long enough to see from outside.
      restart: { initialDelayMs: 800 },
    });
    const events = recordEvents(sys);
    const modelUrl = sys.baseUrls.modelA;
    const before = sys.processes.find((p) => p.name === processName)!;
    const load = trickle(sys.scoringUrl);
    await recovered(load.answers, 0);

    const fault = await sys.faults.kill('model-a');
    expect(fault).toMatchObject({ action: 'kill', target: 'model-a', how: 'SIGKILL', processes: [{ name: processName, pid: before.pid }] });
    const exited = await eventOf(events, (e) => e.kind === 'exited' && e.process === processName);
    expect(exited).toMatchObject({ service: 'model-a', pid: before.pid, signal: 'SIGKILL', restartInMs: 800, restarts: 0 });
    // While it is down, the scoring handler's /health names it.
    const down = await health(sys.baseUrls.scoring);
    expect(down.status).toBe(503);
    expect(down.dependencies).toMatchObject({ modelA: 'down', modelB: 'ok', featureStore: 'ok' });

    const restarted = await eventOf(events, (e) => e.kind === 'restarted' && e.process === processName);
    expect(restarted).toMatchObject({ service: 'model-a', previousPid: before.pid, signal: 'SIGKILL', restarts: 1 });
    expect(restarted.pid).not.toBe(before.pid);
    expect(restarted.downMs).toBeGreaterThanOrEqual(800);
    expect(restarted.atMs).toBeGreaterThan(exited.atMs);
    await recovered(load.answers, restarted.atMs);
    const answers = await load.stop();

    // Every failure named the dead model (503) or its deadline (504); answers before and after were 200s.
    const failed = answers.filter((a) => a.status !== 200);
    expect(failed.length).toBeGreaterThan(0);
    for (const a of failed) expect(['model_unavailable', 'model_timeout']).toContain(a.code);
    expect(answers.filter((a) => a.at < fault.atMs).every((a) => a.status === 200)).toBe(true);
    // Same port: the URL the scoring handler calls answers, from the new process.
    expect(sys.baseUrls.modelA).toBe(modelUrl);
    const h = (await (await fetch(`${modelUrl}/health`)).json()) as { pid: number; modelLoaded: boolean };
    expect(h.modelLoaded).toBe(true);
    if (topology === 'single') expect(h.pid).toBe(restarted.pid);
    expect(sys.processes.find((p) => p.name === processName)!.pid).toBe(restarted.pid);
    expect((await health(sys.baseUrls.scoring)).status).toBe(200);
  });
});
