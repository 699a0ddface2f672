// The queue path needs a real Redis: none to be had makes it unavailable with the reason (data for the
// suites, an error for startSystem); an unreachable one fails the start clearly; a broker that dies
// under a running system (restarts off) turns requests into 503s naming the queue, fast, and the scoring process
// stays up, its /health naming the queue as down.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ServebenchError } from '../src/errors.js';
import { freePort } from '../src/processes/index.js';
import type { ErrorResponse } from '../src/results/serving.js';
import { queueAvailability } from '../src/serving/index.js';
import { startSystem } from '../src/serving/system.js';
import type { RunningSystem } from '../src/serving/types.js';

let sys: RunningSystem | undefined;
const savedPath = process.env.PATH;
const savedRedis = process.env.REDIS_URL;
afterEach(async () => {
  process.env.PATH = savedPath;
  if (savedRedis === undefined) delete process.env.REDIS_URL;
  else process.env.REDIS_URL = savedRedis;
  await sys?.stop();
  sys = undefined;
});

it('is unavailable, with the reason, when no Redis can be had', async () => {
  delete process.env.REDIS_URL;
  process.env.PATH = mkdtempSync(join(tmpdir(), 'servebench-empty-path-'));
  const a = await queueAvailability();
  expect(a.available).toBe(false);
  if (!a.available) expect(a.reason).toMatch(/the queue path needs a real Redis .* no redis-server is on PATH.*no embedded stand-in/);
  const err = await startSystem({ path: 'queue', topology: 'single', predict: 'io', store: 'memory' }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ServebenchError);
  expect((err as ServebenchError).code).toBe('SB_ERR_MISSING_TOOL');
});

it('fails to start, naming the Redis, when the one given cannot be reached', async () => {
  const url = `redis://127.0.0.1:${await freePort()}`;
  const err = await startSystem({ path: 'queue', topology: 'single', predict: 'io', store: 'memory', redisUrl: url }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ServebenchError);
  expect((err as Error).message).toContain(`cannot reach the Redis at ${url}`);
});

it('answers 503 naming the queue once its Redis is gone', async () => {
  sys = await startSystem({
    path: 'queue',
    topology: 'single',
    predict: 'io',
    store: 'memory',
    modelWorkers: 1,
    timeoutsMs: { queue: 10_000 },
    metricsIntervalMs: 0,
    restart: false,
  });
  const post = () => fetch(sys!.scoringUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"entity":"e1"}' });
  expect((await post()).status).toBe(200);
  const broker = sys.processes.find((p) => p.role === 'queue-broker')!;
  process.kill(broker.pid, 'SIGKILL');
  const t0 = Date.now();
  const r = await post();
  const body = (await r.json()) as ErrorResponse;
  expect(r.status).toBe(503);
  expect(body.error.code).toBe('queue_unavailable');
  expect(body.error.message).toMatch(/the model job queue \(list \S+ on redis at redis:\/\/127\.0\.0\.1:\d+\) is unavailable/);
  // Refused at once, not at the 10 s deadline.
  expect(Date.now() - t0).toBeLessThan(10_000);
  // The scoring process is up, and its /health names the queue's Redis as down.
  const health = await fetch(`${sys.baseUrls.scoring}/health`);
  expect(health.status).toBe(503);
  expect(((await health.json()) as { dependencies: Record<string, string> }).dependencies.queue).toBe('down');
});
