// Restarts have bounds: with restarts off a killed part stays dead (an event says so, no restart follows);
// with a bound of N restarts in a window, the (N+1)th failure leaves it down, with a 'gave-up' event.
import { afterEach, expect, it } from 'vitest';
import { sleep } from '../src/processes/index.js';
import { startModelApi, startSystem } from '../src/serving/system.js';
import type { RunningModelApi, RunningSystem, ServiceEvent } from '../src/serving/types.js';
import { eventOf, health, recordEvents } from './serving-fault-trickle.js';

let sys: RunningSystem | undefined;
let api: RunningModelApi | undefined;
afterEach(async () => {
  await Promise.all([sys?.stop(), api?.stop()]);
  sys = undefined;
  api = undefined;
});

it('restart: false leaves a killed model API dead', async () => {
  sys = await startSystem({ path: 'async', topology: 'single', predict: 'io', store: 'memory', metricsIntervalMs: 0, restart: false });
  const events = recordEvents(sys);
  const victim = sys.processes.find((p) => p.name === 'model-b')!;
  await sys.faults.kill('model-b');
  const exited = await eventOf(events, (e) => e.kind === 'exited');
  expect(exited).toMatchObject({ process: 'model-b', pid: victim.pid, signal: 'SIGKILL' });
  expect(exited.message).toMatch(/not restarted \(restarts are off\)/);
  expect(exited.restartInMs).toBeUndefined();
  // Well past the default back-off: still dead.
  await sleep(1500);
  expect(events.map((e) => e.kind)).toEqual(['exited']);
  expect(sys.processes.some((p) => p.name === 'model-b')).toBe(false);
  const r = await fetch(sys.scoringUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"entity":"e1"}' });
  expect(r.status).toBe(503);
  expect((await health(sys.baseUrls.scoring)).dependencies).toMatchObject({ modelB: 'down' });
});

it('gives up after the bound of restarts in the window, and says so', async () => {
  api = await startModelApi({ path: 'async', topology: 'single', predict: 'io', metricsIntervalMs: 0, restart: { maxRestarts: 2, initialDelayMs: 50 } });
  const events: ServiceEvent[] = [];
  api.onEvent((e) => events.push(e));
  for (let i = 1; i <= 2; i++) {
    process.kill(api.processes[0]!.pid, 'SIGKILL');
    await eventOf(events, (e) => e.kind === 'restarted' && e.restarts === i);
  }
  const last = api.processes[0]!.pid;
  process.kill(last, 'SIGKILL');
  const gaveUp = await eventOf(events, (e) => e.kind === 'gave-up');
  expect(gaveUp).toMatchObject({ process: 'model-a', pid: last, restarts: 2 });
  expect(gaveUp.message).toMatch(/gave up after 2 restarts within 60000 ms: it stays down/);
  expect(events.map((e) => e.kind)).toEqual(['exited', 'restarted', 'exited', 'restarted', 'exited', 'gave-up']);
  // The back-off doubled between the two restarts.
  const delays = events.filter((e) => e.restartInMs !== undefined).map((e) => e.restartInMs);
  expect(delays).toEqual([50, 100]);
  await sleep(500);
  expect(api.processes).toEqual([]);
  expect(events).toHaveLength(6);
});
