// The scoring processes' queueing time (X-Request-Start, as nginx's $msec sets it) is averaged over the
// requests it was measured on. Before the fix, the timing sums took in every handled request, including
// those whose client had already gone (nginx resetting connections at 10,000 users), while the count
// took only the responses delivered, and error responses too: at 10k connections behind nginx that
// reported "queued 31.00 s" in a 7 s run. Here a client stamps requests 30 s in the past and abandons
// them; the window's mean must only cover the requests actually answered.
import { request } from 'node:http';
import { afterEach, expect, it } from 'vitest';
import { ServerSampler } from '../src/load/sampler.js';
import { sleep, waitUntil } from '../src/processes/index.js';
import type { ProcessMetrics, ScoreResponse } from '../src/results/serving.js';
import { startSystem } from '../src/serving/system.js';
import type { RunningSystem } from '../src/serving/types.js';

let sys: RunningSystem | undefined;
afterEach(async () => {
  await sys?.stop();
  sys = undefined;
});

/** POST /score with an X-Request-Start stamp (seconds with a fraction, as nginx's $msec); abandon it after `abortAfterMs`. */
function post(url: string, entity: string, stampEpochMs: number, abortAfterMs?: number): Promise<{ status: number; body?: ScoreResponse }> {
  return new Promise((resolve) => {
    const body = JSON.stringify({ entity });
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-request-start': `t=${(stampEpochMs / 1000).toFixed(3)}` },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: res.statusCode === 200 ? (JSON.parse(text) as ScoreResponse) : undefined }));
      },
    );
    req.on('error', () => resolve({ status: 0 }));
    req.end(body);
    if (abortAfterMs !== undefined) setTimeout(() => req.destroy(), abortAfterMs);
  });
}

it('averages queueing and timing over the responses delivered, not over abandoned requests', async () => {
  sys = await startSystem({ path: 'async', topology: 'single', predict: 'io', store: 'memory', metricsIntervalMs: 100 });
  const latest = new Map<number, ProcessMetrics>();
  sys.onMetrics((m) => latest.set(m.pid, m));
  const scoringPid = sys.processes.find((p) => p.role === 'scoring')!.pid;
  const sampler = new ServerSampler(
    sys.processes.map((p) => ({ role: p.role, pid: p.pid, name: p.name })),
    (l) => sys!.onMetrics(l),
    100,
  );
  await waitUntil(() => latest.has(scoringPid), 10_000, 'a first metrics sample');
  sampler.startWindow();

  // Five requests stamped 30 s ago whose client leaves before the models answer (each waits >= 40 ms).
  const abandoned = await Promise.all(Array.from({ length: 5 }, (_, i) => post(sys!.scoringUrl, `e${i}`, Date.now() - 30_000, 10)));
  expect(abandoned.every((r) => r.status === 0)).toBe(true);
  await sleep(300);
  // Five answered ones stamped now, and one error response (no timing at all).
  const answered = await Promise.all(Array.from({ length: 5 }, (_, i) => post(sys!.scoringUrl, `e${10 + i}`, Date.now())));
  expect(answered.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
  expect((await post(sys.scoringUrl, 'nope', Date.now())).status).toBe(404);
  await waitUntil(() => (latest.get(scoringPid)?.requests ?? 0) >= 6, 10_000, 'the metrics to count the answered requests');
  await sleep(250);
  sampler.endWindow();
  const timing = sampler.serverTiming();
  sampler.close();

  expect(timing).toBeDefined();
  // The mean covers the five delivered answers only ...
  expect(timing!.requests).toBe(5);
  const deliveredQueueUs = answered.map((r) => (r.body!.timing.queueMs ?? 0) * 1000);
  const deliveredTotalUs = answered.map((r) => r.body!.timing.totalMs * 1000);
  // ... so it lies within what those answers carried (the abandoned ones were stamped 30 s earlier).
  expect(timing!.queue).toBeLessThanOrEqual(Math.max(...deliveredQueueUs) + 5000);
  expect(timing!.total).toBeLessThanOrEqual(Math.max(...deliveredTotalUs) + 1000);
  expect(timing!.total).toBeGreaterThanOrEqual(Math.min(...deliveredTotalUs) - 1000);
});
