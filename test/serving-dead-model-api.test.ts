// A model API that is down gets a 503 naming it; one that hangs gets a 504 within the configured
// timeout. The scoring process stays up and serves again once the model is back. With restarts off (the
// dead part stays dead), the scoring handler's /health answers 503 naming the dead model.
import { afterEach, describe, expect, it } from 'vitest';
import type { ErrorResponse } from '../src/results/serving.js';
import { startSystem } from '../src/serving/system.js';
import type { RunningSystem } from '../src/serving/types.js';

let sys: RunningSystem | undefined;
const stopped: number[] = [];
afterEach(async () => {
  for (const pid of stopped.splice(0)) {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // gone already
    }
  }
  await sys?.stop();
  sys = undefined;
});

async function score(url: string): Promise<{ status: number; json: ErrorResponse; ms: number }> {
  const t0 = Date.now();
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"entity":"e1"}' });
  return { status: r.status, json: (await r.json()) as ErrorResponse, ms: Date.now() - t0 };
}

describe.each(['sync', 'async'] as const)('a dead or hanging model API on the %s path', (path) => {
  it('hanging: 504 naming the model within the timeout; dead: 503 naming it', async () => {
    sys = await startSystem({ path, topology: 'single', predict: 'io', store: 'memory', metricsIntervalMs: 0, timeoutsMs: { model: 400 }, restart: false });
    const pidOf = (role: string) => sys!.processes.find((p) => p.role === role)!.pid;
    expect((await score(sys.scoringUrl)).status).toBe(200);

    const b = pidOf('model-b');
    process.kill(b, 'SIGSTOP');
    stopped.push(b);
    const hung = await score(sys.scoringUrl);
    expect(hung.status).toBe(504);
    expect(hung.json.error.code).toBe('model_timeout');
    expect(hung.json.error.message).toMatch(/model API model-b at http:\/\/127\.0\.0\.1:\d+ did not answer within 400 ms/);
    // Bounded by the timeout (400 ms each call), with a wide margin for a busy machine.
    expect(hung.ms).toBeLessThan(10_000);
    process.kill(b, 'SIGCONT');
    expect((await score(sys.scoringUrl)).status).toBe(200);

    process.kill(pidOf('model-a'), 'SIGKILL');
    const dead = await score(sys.scoringUrl);
    expect(dead.status).toBe(503);
    expect(dead.json.error.code).toBe('model_unavailable');
    expect(dead.json.error.message).toMatch(/model API model-a at http:\/\/127\.0\.0\.1:\d+ is unavailable: .*(ECONNREFUSED|ECONNRESET|closed)/);
    // The scoring process survived both, and its /health names the dead model.
    const health = await fetch(`${sys.baseUrls.scoring}/health`);
    expect(health.status).toBe(503);
    expect(((await health.json()) as { dependencies: Record<string, string> }).dependencies).toMatchObject({ modelA: 'down', modelB: 'ok' });
  });
});

describe('behind nginx', () => {
  it('all workers of a model dead: 503 naming the model', async () => {
    sys = await startSystem({
      path: 'async',
      topology: 'nginx',
      workers: 1,
      predict: 'io',
      store: 'memory',
      metricsIntervalMs: 0,
      timeoutsMs: { model: 400 },
      restart: false,
    });
    for (const p of sys.processes.filter((x) => x.role === 'model-a')) process.kill(p.pid, 'SIGKILL');
    const dead = await score(sys.scoringUrl);
    expect(dead.status).toBe(503);
    expect(dead.json.error.message).toMatch(/model API model-a .* is unavailable: it answered 502/);
  });
});
