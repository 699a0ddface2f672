// Each request path with each topology: the system starts on free ports, answers /score with the same
// scores whatever the layout, carries its timing breakdown, lists its processes, and stops cleanly.
import { afterEach, describe, expect, it } from 'vitest';
import type { ScoreResponse } from '../src/results/serving.js';
import { startSystem } from '../src/serving/system.js';
import type { RunningSystem } from '../src/serving/types.js';

let running: RunningSystem | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function score(url: string, entity: string): Promise<{ status: number; body: ScoreResponse }> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ entity }) });
  return { status: r.status, body: (await r.json()) as ScoreResponse };
}

// Scores of e3 and e7 from the first system, to compare every other one against.
const reference = new Map<string, number>();

const cases = [
  { path: 'sync', topology: 'single', store: 'redis' },
  { path: 'async', topology: 'single', store: 'redis' },
  { path: 'sync', topology: 'cluster', store: 'memory' },
  { path: 'async', topology: 'cluster', store: 'redis' },
  { path: 'sync', topology: 'nginx', store: 'redis' },
  { path: 'async', topology: 'nginx', store: 'memory' },
] as const;

describe('every path with every topology', () => {
  it.each(cases)('$path path, $topology topology, $store store', async ({ path, topology, store }) => {
    const workers = topology === 'single' ? undefined : 2;
    running = await startSystem({ path, topology, store, predict: 'io', ...(workers === undefined ? {} : { workers }), metricsIntervalMs: 0 });
    const sys = running;
    expect(sys.scoringUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/score$/);
    expect(sys.store.kind).toBe(store);
    if (store === 'redis') expect(sys.store.detail).toMatch(/redis-server .* started by servebench on 127\.0\.0\.1:\d+/);

    // Processes: per service one (single), a primary and W workers (cluster), W backends and nginx (nginx).
    const serving = sys.processes.filter((p) => p.role === 'scoring' || p.role === 'model-a' || p.role === 'model-b');
    expect(serving).toHaveLength(3 * (workers ?? 1));
    if (topology === 'cluster') expect(sys.processes.filter((p) => p.role.endsWith('-primary'))).toHaveLength(3);
    if (topology === 'nginx') {
      expect(sys.processes.filter((p) => p.role === 'nginx')).toHaveLength(3);
      expect(sys.versions.nginx).toMatch(/^\d+\.\d+/);
    }
    expect(sys.processes.filter((p) => p.role === 'feature-store')).toHaveLength(store === 'redis' ? 1 : 0);

    for (const entity of ['e3', 'e7']) {
      const { status, body } = await score(sys.scoringUrl, entity);
      expect(status).toBe(200);
      expect(body.entity).toBe(entity);
      expect(body.served).toMatchObject({ service: 'scoring', path, topology, store });
      expect(serving.map((p) => p.pid)).toContain(body.served.pid);
      const t = body.timing;
      for (const v of [t.featureReadMs, t.modelAMs, t.modelBMs, t.totalMs]) expect(v).toBeGreaterThanOrEqual(0);
      // The io predict waits at least 40 ms in each model.
      expect(body.models.a.timing.predictMs).toBeGreaterThanOrEqual(39);
      expect(t.modelAMs).toBeGreaterThanOrEqual(body.models.a.timing.predictMs);
      if (path === 'sync') expect(t.totalMs).toBeGreaterThanOrEqual(t.modelAMs + t.modelBMs);
      // nginx passes X-Request-Start, so the queueing time is known there.
      if (topology === 'nginx') expect(t.queueMs).toBeGreaterThanOrEqual(0);
      const ref = reference.get(entity);
      if (ref === undefined) reference.set(entity, body.score);
      else expect(body.score).toBe(ref);
    }
  });
});
