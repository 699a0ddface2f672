// The cpu predict: the sync path runs the kernel inline, the async path off the event loop (native-async
// or a worker pool, and says which); both compute the same mean over the same seeded n values.
import { afterEach, describe, expect, it } from 'vitest';
import { getKernel } from '../src/kernels/index.js';
import type { PredictResponse, ScoreResponse } from '../src/results/serving.js';
import { randomVector } from '../src/stats/random.js';
import { vectorSeed } from '../src/serving/predict.js';
import { startModelApi, startSystem } from '../src/serving/system.js';
import type { RunningModelApi, RunningSystem } from '../src/serving/types.js';

const running: (RunningSystem | RunningModelApi)[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

describe('cpu predict', () => {
  it('gives the same mean on both paths, inline on sync and off the event loop on async', async () => {
    const seed = 5;
    const n = 20_000;
    const [sync, async_] = await Promise.all([
      startSystem({ path: 'sync', topology: 'single', predict: 'cpu', n: 1000, seed, store: 'memory', metricsIntervalMs: 0 }),
      startSystem({ path: 'async', topology: 'single', predict: 'cpu', n: 1000, seed, store: 'memory', metricsIntervalMs: 0, poolThreads: 1 }),
    ]);
    running.push(sync, async_);
    expect(sync.describe()).toMatchObject({ kernel: 'typed', placement: 'inline', n: 1000 });
    const placement = async_.describe().placement;
    expect(['native-async', 'worker-pool']).toContain(placement);
    if (placement === 'worker-pool') expect(async_.notes.join(' ')).toMatch(/worker-thread pool/);

    const expected = getKernel('typed').mean(randomVector(n, vectorSeed(seed))) as number;
    const scores: number[] = [];
    for (const sys of [sync, async_]) {
      const r = await fetch(sys.scoringUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ entity: 'e9', n }) });
      expect(r.status).toBe(200);
      const body = (await r.json()) as ScoreResponse;
      scores.push(body.score);
      const direct = await fetch(`${sys.baseUrls.modelA}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ features: [0, 0, 0, 0, 0, 0, 0, 0], n }),
      });
      const p = (await direct.json()) as PredictResponse;
      expect(p.n).toBe(n);
      expect(p.mean).toBeCloseTo(expected, 12);
      expect(p.placement).toBe(sys === sync ? 'inline' : placement);
      expect(p.timing.predictMs).toBeGreaterThanOrEqual(0);
    }
    expect(scores[0]).toBeCloseTo(scores[1]!, 12);
  });

  it('a model API alone, behind nginx, with the naive kernel on the worker pool', async () => {
    const m = await startModelApi({
      path: 'async',
      topology: 'nginx',
      workers: 2,
      predict: 'cpu',
      kernel: 'naive',
      n: 5000,
      poolThreads: 1,
      metricsIntervalMs: 0,
    });
    running.push(m);
    expect(m.predictUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/predict$/);
    expect(m.versions.nginx).toBeDefined();
    const r = await fetch(m.predictUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ features: [1, 1, 1, 1, 1, 1, 1, 1] }),
    });
    const p = (await r.json()) as PredictResponse;
    expect(r.status).toBe(200);
    expect(p).toMatchObject({ kernel: 'naive', placement: 'worker-pool', n: 5000 });
    expect(p.timing.queueMs).toBeGreaterThanOrEqual(0);
  });
});
