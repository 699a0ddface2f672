// A queue model worker killed during a steady trickle of requests is replaced (restarted, same name): the
// system reports the exit and the restart, the process list follows, and requests are served again.
import { afterEach, expect, it } from 'vitest';
import { startSystem } from '../src/serving/system.js';
import type { RunningSystem } from '../src/serving/types.js';
import { eventOf, recordEvents, recovered, trickle } from './serving-fault-trickle.js';

let sys: RunningSystem | undefined;
afterEach(async () => {
  await sys?.stop();
  sys = undefined;
});

it('a killed model worker is restarted and takes jobs again', async () => {
  sys = await startSystem({
    path: 'queue',
    topology: 'single',
    predict: 'io',
    store: 'memory',
    modelWorkers: 1,
    timeoutsMs: { queue: 1500 },
    metricsIntervalMs: 0,
  });
  const events = recordEvents(sys);
  const [worker] = sys.queue!.workers();
  const load = trickle(sys.scoringUrl);
  await recovered(load.answers, 0);

  const fault = await sys.faults.kill('model-worker');
  expect(fault.processes).toEqual([{ name: 'model-worker-w0', pid: worker!.pid }]);
  const exited = await eventOf(events, (e) => e.kind === 'exited' && e.process === 'model-worker-w0');
  expect(exited).toMatchObject({ service: 'model-worker', pid: worker!.pid, signal: 'SIGKILL' });
  const restarted = await eventOf(events, (e) => e.kind === 'restarted' && e.process === 'model-worker-w0');
  expect(restarted).toMatchObject({ service: 'model-worker', previousPid: worker!.pid, restarts: 1 });
  expect(restarted.downMs).toBeGreaterThan(0);
  await recovered(load.answers, restarted.atMs);
  await load.stop();
  expect(sys.queue!.workers()).toEqual([{ role: 'model-worker', pid: restarted.pid, name: 'model-worker-w0', service: 'model-worker' }]);
});
