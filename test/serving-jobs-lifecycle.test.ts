// The jobs path (the asynchronous job pattern over the queue path's Redis list): POST /score answers 202
// with a job id at once; GET /jobs/<id> answers 202 while the job runs, 200 with the score the queue path
// gives once done, 404 for an id it never gave, 400 for a malformed one, and 410 once the record expired
// (the TTL, stated in every record as expiresAtMs).
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { startSystem } from '../src/serving/system.js';
import type { RunningSystem } from '../src/serving/types.js';
import { needTool } from './needs-tool.js';

const hasRedisServer = () => spawnSync('redis-server', ['--version']).status === 0;
const running: RunningSystem[] = [];
afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
});

interface JobRecord {
  id: string;
  status: string;
  location: string;
  submittedAtMs: number;
  expiresAtMs: number;
  result?: { entity: string; score: number };
}

const get = async (base: string, path: string) => {
  const r = await fetch(`${base}${path}`);
  return { status: r.status, json: (await r.json()) as JobRecord & { error?: { code: string; message: string } } };
};

describe('the jobs path', () => {
  it('answers 202 with a job id, then 202 while it runs, 200 with its score, 404, 400 and 410', async (ctx) => {
    needTool(ctx, 'redis-server', hasRedisServer(), 'Debian: apt-get install redis-server');
    const ttlMs = 1500;
    const sys = await startSystem({
      path: 'jobs',
      topology: 'single',
      predict: 'io',
      ioWaitMs: { min: 300, max: 300 },
      store: 'memory',
      metricsIntervalMs: 0,
      jobTtlMs: ttlMs,
    });
    running.push(sys);
    const base = sys.baseUrls.scoring;
    const r = await fetch(sys.scoringUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ entity: 'e3' }) });
    expect(r.status).toBe(202);
    const job = (await r.json()) as JobRecord;
    expect(job.status).toBe('pending');
    expect(r.headers.get('location')).toBe(`/jobs/${job.id}`);
    expect(job.expiresAtMs - job.submittedAtMs).toBe(ttlMs);

    // Two 300 ms model jobs on one worker: still running right after the submission.
    expect((await get(base, job.location)).status).toBe(202);
    let done: Awaited<ReturnType<typeof get>> | undefined;
    for (let i = 0; i < 100 && done === undefined; i++) {
      const g = await get(base, job.location);
      if (g.status === 200) done = g;
      else await new Promise((res) => setTimeout(res, 50));
    }
    expect(done?.json.status).toBe('done');
    expect(done?.json.result?.entity).toBe('e3');
    expect(done?.json.result?.score).toBeGreaterThan(0);

    const unknown = `${Date.now().toString(36)}-000000000000`;
    expect((await get(base, `/jobs/${unknown}`)).json.error?.code).toBe('unknown_job');
    expect((await get(base, `/jobs/${unknown}`)).status).toBe(404);
    const bad = await get(base, '/jobs/not-a-job');
    expect([bad.status, bad.json.error?.code]).toEqual([400, 'bad_job_id']);

    await new Promise((res) => setTimeout(res, Math.max(0, job.expiresAtMs - Date.now()) + 100));
    const gone = await get(base, job.location);
    expect([gone.status, gone.json.error?.code]).toEqual([410, 'job_expired']);
  }, 60_000);
});
