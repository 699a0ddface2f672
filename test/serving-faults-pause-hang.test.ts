// The fault hooks that make a part stop answering for a while, during a steady trickle of requests: a model
// API paused (SIGSTOP, then SIGCONT) or hung (it holds its requests), and Redis hung (CLIENT PAUSE): the
// requests meanwhile time out (504 naming the part), then the system recovers by itself, with no restart.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSystem } from '../src/serving/system.js';
import type { RunningSystem } from '../src/serving/types.js';
import { recordEvents, recovered, trickle } from './serving-fault-trickle.js';

let sys: RunningSystem;
beforeAll(async () => {
  sys = await startSystem({
    path: 'async',
    topology: 'single',
    predict: 'io',
    store: 'redis',
    entities: 50,
    metricsIntervalMs: 0,
    timeoutsMs: { model: 400, featureRead: 300 },
  });
});
afterAll(async () => {
  await sys?.stop();
});

it.each([
  ['pause', 'model-b', 'model_timeout', /SIGSTOP of 1 process\(es\), SIGCONT after 2000 ms/],
  ['hang', 'model-a', 'model_timeout', /requests held in the process \(IPC\)/],
  ['hang', 'redis', 'feature_store_timeout', /CLIENT PAUSE 2000 ALL/],
] as const)('%s %s for 2 s: requests time out, then recover', async (action, target, code, how) => {
  const events = recordEvents(sys);
  const pids = sys.processes.map((p) => p.pid).sort();
  const load = trickle(sys.scoringUrl);
  await recovered(load.answers, 0);
  const fault = action === 'pause' ? await sys.faults.pause(target, 2000) : await sys.faults.hang(target, 2000);
  expect(fault.how).toMatch(how);
  expect(fault.untilMs! - fault.atMs).toBe(2000);
  await recovered(load.answers, fault.untilMs!);
  const answers = await load.stop();
  const during = answers.filter((a) => a.at >= fault.atMs && a.at < fault.untilMs! - 500);
  expect(during.some((a) => a.code === code)).toBe(true);
  for (const a of answers.filter((x) => x.status !== 200)) expect(a.code).toBe(code);
  // Nothing died, nothing was restarted.
  expect(events).toEqual([]);
  expect(sys.processes.map((p) => p.pid).sort()).toEqual(pids);
});
