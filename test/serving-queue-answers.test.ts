// The queue path answers like the other paths, with one and with two model workers: each request gets its
// own answer (its entity, its two job ids, the scores the async path gives for the same entities), no job
// is lost or answered twice (the workers count exactly two jobs a request), and the jobs list is empty after.
import { afterAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../src/processes/index.js';
import type { ProcessMetrics, ScoreResponse } from '../src/results/serving.js';
import { startSystem } from '../src/serving/system.js';
import type { RunningSystem } from '../src/serving/types.js';

const running: RunningSystem[] = [];
afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
});

const N = 24;
const entities = Array.from({ length: N }, (_, i) => `e${i * 7}`);

async function score(url: string, entity: string): Promise<{ status: number; body: ScoreResponse }> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ entity }) });
  return { status: r.status, body: (await r.json()) as ScoreResponse };
}

let reference: Map<string, number> | undefined;
async function referenceScores(): Promise<Map<string, number>> {
  if (reference !== undefined) return reference;
  const sys = await startSystem({ path: 'async', topology: 'single', predict: 'io', store: 'memory', metricsIntervalMs: 0 });
  running.push(sys);
  const out = await Promise.all(entities.map((e) => score(sys.scoringUrl, e)));
  await sys.stop();
  reference = new Map(out.map((r) => [r.body.entity, r.body.score]));
  return reference;
}

describe.each([1, 2])('the queue path with %i model worker(s)', (modelWorkers) => {
  it('gives every request its own answer, each job answered once', async () => {
    const ref = await referenceScores();
    const sys = await startSystem({ path: 'queue', topology: 'single', predict: 'io', store: 'redis', modelWorkers, metricsIntervalMs: 100 });
    running.push(sys);
    const latest = new Map<number, ProcessMetrics>();
    sys.onMetrics((m) => latest.set(m.pid, m));
    const d = sys.describe();
    expect(d.path).toBe('queue');
    expect(d.modelWorkers).toBe(modelWorkers);
    expect(d.queue?.broker).toMatch(/redis-server .* started by servebench/);
    const workers = sys.queue!.workers();
    expect(workers).toHaveLength(modelWorkers);
    expect(sys.processes.filter((p) => p.role === 'model-worker')).toHaveLength(modelWorkers);

    const answers = await Promise.all(entities.map((e) => score(sys.scoringUrl, e)));
    const jobIds: string[] = [];
    for (let i = 0; i < N; i++) {
      const { status, body } = answers[i]!;
      expect(status).toBe(200);
      expect(body.entity).toBe(entities[i]);
      expect(body.served).toMatchObject({ service: 'scoring', path: 'queue' });
      // The same score as the model APIs give (same weights, same rule): the answer is this entity's.
      expect(body.score).toBeCloseTo(ref.get(entities[i]!)!, 12);
      expect(workers.map((w) => w.pid)).toContain(body.models.a.pid);
      // Each job waited on the list, then a worker's 40-50 ms io predict.
      expect(body.models.a.timing.predictMs).toBeGreaterThanOrEqual(39);
      expect(body.models.b.timing.queueMs).toBeGreaterThanOrEqual(0);
      expect(body.timing.modelAMs).toBeGreaterThanOrEqual(body.models.a.timing.predictMs);
      jobIds.push(body.models.a.jobId!, body.models.b.jobId!);
    }
    expect(new Set(jobIds).size).toBe(2 * N);
    if (modelWorkers === 2) expect(new Set(answers.flatMap((a) => [a.body.models.a.pid, a.body.models.b.pid])).size).toBe(2);

    // The workers' own counts: exactly 2N jobs answered, none twice, none dropped.
    const workerJobs = () => workers.reduce((s, w) => s + (latest.get(w.pid)?.requests ?? 0), 0);
    await waitUntil(() => workerJobs() >= 2 * N, 10_000, 'the workers to report their jobs');
    expect(workerJobs()).toBe(2 * N);
    expect(workers.reduce((s, w) => s + (latest.get(w.pid)?.expiredJobs ?? 0), 0)).toBe(0);
    expect(await sys.queue!.depth()).toBe(0);
    await sys.stop();
  });
});
