// The sync path really blocks: one process serves one request at a time, and its model API's io wait
// blocks the model process; the async path overlaps them. Lower bounds hold by construction (each
// request waits at least 2 x 40 ms); the async comparison is a relation with a wide margin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScoreResponse } from '../src/results/serving.js';
import { startModelApi, startSystem } from '../src/serving/system.js';
import type { RunningModelApi, RunningSystem } from '../src/serving/types.js';

async function burst(url: string, body: string, k: number): Promise<{ wallMs: number; bodies: unknown[] }> {
  const t0 = performance.now();
  const bodies = await Promise.all(
    Array.from({ length: k }, async () => {
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(r.status).toBe(200);
      return r.json();
    }),
  );
  return { wallMs: performance.now() - t0, bodies };
}

describe('blocking vs non-blocking', () => {
  let sync: RunningSystem;
  let async_: RunningSystem;
  let syncModel: RunningModelApi;
  beforeAll(async () => {
    [sync, async_, syncModel] = await Promise.all([
      startSystem({ path: 'sync', topology: 'single', predict: 'io', store: 'memory', metricsIntervalMs: 0 }),
      startSystem({ path: 'async', topology: 'single', predict: 'io', store: 'memory', metricsIntervalMs: 0 }),
      startModelApi({ path: 'sync', topology: 'single', predict: 'io', metricsIntervalMs: 0 }),
    ]);
    // Warm connections and JIT.
    await burst(sync.scoringUrl, '{"entity":"e1"}', 1);
    await burst(async_.scoringUrl, '{"entity":"e1"}', 4);
  });
  afterAll(async () => {
    await Promise.all([sync?.stop(), async_?.stop(), syncModel?.stop()]);
  });

  it('a sync model API serves one io predict at a time', async () => {
    const { wallMs } = await burst(syncModel.predictUrl, JSON.stringify({ features: [0, 0, 0, 0, 0, 0, 0, 0] }), 4);
    expect(wallMs).toBeGreaterThanOrEqual(4 * 40);
  });

  it('a sync scoring process serves one request at a time; async overlaps them', async () => {
    const k = 4;
    const s = await burst(sync.scoringUrl, '{"entity":"e1"}', k);
    expect(s.wallMs).toBeGreaterThanOrEqual(k * 80);
    // The sync handler waits for model A, then for model B.
    for (const b of s.bodies as ScoreResponse[]) expect(b.timing.totalMs).toBeGreaterThanOrEqual(b.timing.modelAMs + b.timing.modelBMs);
    const a = await burst(async_.scoringUrl, '{"entity":"e1"}', k);
    expect(a.wallMs).toBeLessThan(s.wallMs / 2);
    // The async handler calls both models at once: the total is about the slower one, not the sum.
    for (const b of a.bodies as ScoreResponse[]) expect(b.timing.totalMs).toBeLessThan(b.timing.modelAMs + b.timing.modelBMs);
  });
});
