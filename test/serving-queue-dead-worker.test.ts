// A model worker killed with jobs in hand: the requests whose jobs it held get a 504 naming the queue at
// their deadline (data, not a hang), the others are served by the worker left, and the system says which
// worker went. Restarts are off here (the dead worker stays dead); serving-restart-* has them on.
import { afterEach, expect, it } from 'vitest';
import { sleep, waitUntil } from '../src/processes/index.js';
import type { ErrorResponse, ScoreResponse } from '../src/results/serving.js';
import type { SystemNotice } from '../src/serving/index.js';
import { startSystem } from '../src/serving/system.js';
import type { RunningSystem } from '../src/serving/types.js';

let sys: RunningSystem | undefined;
afterEach(async () => {
  await sys?.stop();
  sys = undefined;
});

async function score(url: string, entity: string): Promise<{ status: number; body: ScoreResponse & ErrorResponse }> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ entity }) });
  return { status: r.status, body: (await r.json()) as ScoreResponse & ErrorResponse };
}

it("answers a dead worker's jobs with 504s at the deadline, the rest from the worker left", async () => {
  // Each job takes 300 ms, so both workers are surely holding one 150 ms after the burst.
  sys = await startSystem({
    path: 'queue',
    topology: 'single',
    predict: 'io',
    store: 'memory',
    modelWorkers: 2,
    ioWaitMs: { min: 300, max: 300 },
    timeoutsMs: { queue: 4000 },
    metricsIntervalMs: 0,
    restart: false,
  });
  const notices: SystemNotice[] = [];
  sys.onNotice((n) => notices.push(n));
  const [w0, w1] = sys.queue!.workers();
  const pending = Array.from({ length: 4 }, (_, i) => score(sys!.scoringUrl, `e${i}`));
  await sleep(150);
  process.kill(w0!.pid, 'SIGKILL');
  const answers = await Promise.all(pending);

  const timedOut = answers.filter((a) => a.status === 504);
  const served = answers.filter((a) => a.status === 200);
  expect(timedOut.length + served.length).toBe(4);
  expect(timedOut.length).toBeGreaterThanOrEqual(1);
  expect(timedOut.length).toBeLessThanOrEqual(2);
  expect(served.length).toBeGreaterThanOrEqual(2);
  for (const t of timedOut) {
    expect(t.body.error.code).toBe('queue_timeout');
    expect(t.body.error.message).toMatch(
      /the model job queue \(list servebench:queue:\S+:jobs on redis at redis:\/\/127\.0\.0\.1:\d+\): no model worker answered job \S+ \(model-[ab]\) within 4000 ms/,
    );
  }
  for (const s of served) expect([s.body.models.a.pid, s.body.models.b.pid]).toEqual([w1!.pid, w1!.pid]);
  await waitUntil(() => notices.some((n) => n.pid === w0!.pid), 5000, 'a notice about the killed worker');
  expect(notices.find((n) => n.pid === w0!.pid)!.message).toMatch(
    new RegExp(`${w0!.name} \\(pid ${w0!.pid}\\) was killed by SIGKILL; the jobs it held are lost`),
  );
  expect(sys.queue!.workers().map((w) => w.pid)).toEqual([w1!.pid]);
  expect((await fetch(`${sys.baseUrls.scoring}/health`)).status).toBe(200);
});

it('with no worker left, every request gets its 504 and the jobs stay listed', async () => {
  sys = await startSystem({
    path: 'queue',
    topology: 'single',
    predict: 'io',
    store: 'memory',
    modelWorkers: 1,
    timeoutsMs: { queue: 800 },
    metricsIntervalMs: 0,
    restart: false,
  });
  process.kill(sys.queue!.workers()[0]!.pid, 'SIGKILL');
  await waitUntil(() => sys!.queue!.workers().length === 0, 5000, 'the worker to be gone');
  const answers = await Promise.all(Array.from({ length: 3 }, (_, i) => score(sys!.scoringUrl, `e${i}`)));
  expect(answers.map((a) => a.status)).toEqual([504, 504, 504]);
  expect(await sys.queue!.depth()).toBe(6);
});
