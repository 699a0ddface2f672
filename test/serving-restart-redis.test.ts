// A redis-server killed during a steady trickle of requests comes back on the same port with the same seeded
// data (it loads the snapshot taken after seeding): while it is down, requests get 503 naming the feature
// store and the scoring handler's /health answers 503 naming it; then both are back to 200, with the same
// scores as before. The system reports the exit and the restart.
import { afterEach, expect, it } from 'vitest';
import { waitUntil } from '../src/processes/index.js';
import type { ScoreResponse } from '../src/results/serving.js';
import { startSystem } from '../src/serving/system.js';
import type { RunningSystem } from '../src/serving/types.js';
import { eventOf, health, recordEvents, recovered, trickle } from './serving-fault-trickle.js';

let sys: RunningSystem | undefined;
afterEach(async () => {
  await sys?.stop();
  sys = undefined;
});

async function scoreOf(url: string, entity: string): Promise<number> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ entity }) });
  expect(r.status).toBe(200);
  return ((await r.json()) as ScoreResponse).score;
}

it('a killed redis-server is restarted on its port with its data; /health names it while it is down', async () => {
  sys = await startSystem({
    path: 'async',
    topology: 'single',
    predict: 'io',
    store: 'redis',
    entities: 200,
    metricsIntervalMs: 0,
    timeoutsMs: { featureRead: 500 },
    restart: { initialDelayMs: 1500 },
  });
  expect(sys.store.kind).toBe('redis');
  const events = recordEvents(sys);
  const scores = await Promise.all(['e0', 'e77', 'e199'].map((e) => scoreOf(sys!.scoringUrl, e)));
  const redis = sys.processes.find((p) => p.role === 'feature-store')!;
  const load = trickle(sys.scoringUrl, 'e77');
  await recovered(load.answers, 0);

  const fault = await sys.faults.kill('redis');
  expect(fault.processes).toEqual([{ name: 'redis-server', pid: redis.pid }]);
  const exited = await eventOf(events, (e) => e.kind === 'exited' && e.service === 'feature-store');
  expect(exited).toMatchObject({ process: 'redis-server', pid: redis.pid, signal: 'SIGKILL', restartInMs: 1500 });
  await waitUntil(async () => (await health(sys!.baseUrls.scoring)).status === 503, 10_000, '/health to say 503');
  const down = await health(sys.baseUrls.scoring);
  expect(down.dependencies).toMatchObject({ featureStore: 'down', modelA: 'ok', modelB: 'ok' });

  const restarted = await eventOf(events, (e) => e.kind === 'restarted' && e.service === 'feature-store');
  expect(restarted).toMatchObject({ process: 'redis-server', previousPid: redis.pid, restarts: 1 });
  expect(restarted.downMs).toBeGreaterThanOrEqual(1500);
  await waitUntil(async () => (await health(sys!.baseUrls.scoring)).status === 200, 15_000, '/health to say 200 again');
  await recovered(load.answers, restarted.atMs);
  const answers = await load.stop();

  const failed = answers.filter((a) => a.status !== 200);
  expect(failed.length).toBeGreaterThan(0);
  for (const a of failed) expect(['feature_store_unavailable', 'feature_store_timeout']).toContain(a.code);
  // Same port, same data: the process list names the new server, and every entity scores as before.
  expect(sys.processes.find((p) => p.role === 'feature-store')!.pid).toBe(restarted.pid);
  expect(await Promise.all(['e0', 'e77', 'e199'].map((e) => scoreOf(sys!.scoringUrl, e)))).toEqual(scores);
});
