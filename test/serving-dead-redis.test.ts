// A feature store that hangs gets a 504 within the configured timeout, one that is down a 503 naming
// Redis; the scoring process stays up. With restarts off, its /health answers 503 naming the feature store.
import { afterEach, describe, expect, it } from 'vitest';
import type { ErrorResponse } from '../src/results/serving.js';
import { startSystem } from '../src/serving/system.js';
import type { RunningSystem } from '../src/serving/types.js';

let sys: RunningSystem | undefined;
let paused: number | undefined;
afterEach(async () => {
  if (paused !== undefined) {
    try {
      process.kill(paused, 'SIGCONT');
    } catch {
      // gone already
    }
  }
  paused = undefined;
  await sys?.stop();
  sys = undefined;
});

async function score(url: string): Promise<{ status: number; json: ErrorResponse; ms: number }> {
  const t0 = Date.now();
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"entity":"e2"}' });
  return { status: r.status, json: (await r.json()) as ErrorResponse, ms: Date.now() - t0 };
}

describe.each(['sync', 'async'] as const)('a hanging or dead Redis on the %s path', (path) => {
  it('hanging: 504; dead: 503 naming the feature store', async () => {
    sys = await startSystem({
      path,
      topology: 'single',
      predict: 'io',
      store: 'redis',
      entities: 50,
      metricsIntervalMs: 0,
      timeoutsMs: { featureRead: 300 },
      restart: false,
    });
    expect(sys.store.kind).toBe('redis');
    const redis = sys.processes.find((p) => p.role === 'feature-store')!.pid;
    expect((await score(sys.scoringUrl)).status).toBe(200);

    process.kill(redis, 'SIGSTOP');
    paused = redis;
    const hung = await score(sys.scoringUrl);
    expect(hung.status).toBe(504);
    expect(hung.json.error.code).toBe('feature_store_timeout');
    expect(hung.json.error.message).toMatch(/feature store \(redis at redis:\/\/127\.0\.0\.1:\d+\) did not answer within 300 ms/);
    expect(hung.ms).toBeLessThan(10_000);

    process.kill(redis, 'SIGKILL');
    const dead = await score(sys.scoringUrl);
    expect(dead.status).toBe(503);
    expect(dead.json.error.code).toBe('feature_store_unavailable');
    expect(dead.json.error.message).toMatch(/feature store \(redis at redis:\/\/127\.0\.0\.1:\d+\) is unavailable/);
    const health = await fetch(`${sys.baseUrls.scoring}/health`);
    expect(health.status).toBe(503);
    expect(((await health.json()) as { dependencies: Record<string, string> }).dependencies.featureStore).toBe('down');
  });
});
