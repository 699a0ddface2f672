// Every server process (cluster workers included, relayed by their primary) sends ProcessMetrics at the
// configured interval; scoring processes include their cumulative timing sums.
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../src/processes/index.js';
import type { ProcessMetrics } from '../src/results/serving.js';
import { startSystem } from '../src/serving/system.js';
import type { RunningSystem } from '../src/serving/types.js';

let sys: RunningSystem | undefined;
afterEach(async () => {
  await sys?.stop();
  sys = undefined;
});

describe('process metrics', () => {
  it('arrive from every node process of a cluster, with request counts and timing sums', async () => {
    sys = await startSystem({ path: 'async', topology: 'cluster', workers: 2, predict: 'io', store: 'memory', metricsIntervalMs: 100 });
    const seen = new Map<number, ProcessMetrics>();
    sys.onMetrics((m) => seen.set(m.pid, m));
    for (let i = 0; i < 4; i++) {
      const r = await fetch(sys.scoringUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"entity":"e${i}"}` });
      expect(r.status).toBe(200);
    }
    const nodePids = sys.processes.filter((p) => p.role !== 'feature-store').map((p) => p.pid);
    expect(nodePids).toHaveLength(9);
    const scoringRequests = () => [...seen.values()].filter((m) => m.role === 'scoring').reduce((s, m) => s + m.requests, 0);
    // Each process samples on its own clock: wait until the scoring processes have timed all four answers
    // and the model-a processes have timed all four predicts (a sample may lag the other by one interval).
    const timed = (role: string) => [...seen.values()].filter((m) => m.role === role).reduce((s, m) => s + (m.timedRequests ?? 0), 0);
    await waitUntil(
      () => nodePids.every((p) => seen.has(p)) && scoringRequests() === 4 && timed('scoring') === 4 && timed('model-a') === 4,
      10_000,
      'metrics from every process, covering all four requests',
    );
    for (const m of seen.values()) {
      expect(m.eventLoopUtilization).toBeGreaterThanOrEqual(0);
      expect(m.eventLoopUtilization).toBeLessThanOrEqual(1);
      expect(m.eventLoopDelayP99Ms).toBeGreaterThanOrEqual(0);
      expect(m.rssBytes).toBeGreaterThan(1e6);
      expect(m.cpuUserUs).toBeGreaterThan(0);
      expect(m.intervalMs).toBe(100);
    }
    const scoring = [...seen.values()].filter((m) => m.role === 'scoring');
    const sums = scoring.reduce((s, m) => s + (m.timingSumsMs?.modelA ?? 0), 0);
    // Four requests, each waiting at least 40 ms in model A.
    expect(sums).toBeGreaterThanOrEqual(4 * 40);
    expect([...seen.values()].filter((m) => m.role === 'scoring-primary')).toHaveLength(1);
    const models = [...seen.values()].filter((m) => m.role === 'model-a');
    expect(models.reduce((s, m) => s + (m.predictSumsMs?.predict ?? 0), 0)).toBeGreaterThanOrEqual(4 * 40);
  });
});
