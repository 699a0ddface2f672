// Failure counting: servers that answer 500, reset connections, close them mid-request or never answer are
// counted by kind (non2xx, resets, timeouts), by both engines, and the kinds add up to the total.

import { afterAll, describe, expect, it } from 'vitest';
import { Supervisor } from '../src/processes/index.js';
import { autocannonEngine } from '../src/load/engines/autocannon.js';
import { openLoopEngine } from '../src/load/engines/open-loop.js';
import type { EngineResult, LoadEngine } from '../src/load/engines/types.js';
import type { LoadShape } from '../src/results/load.js';
import { startTestServer, type TestServerMode } from './load-fixtures.js';

const sup = new Supervisor();
afterAll(() => sup.stopAll());

const engines: [string, LoadEngine, LoadShape][] = [
  ['autocannon', autocannonEngine, { kind: 'closed', engine: 'autocannon', connections: 4, pipelining: 1, workers: 0 }],
  ['open', openLoopEngine, { kind: 'open', engine: 'open', rateRps: 100, arrivals: 'poisson', maxInFlight: 50, seed: 3 }],
];

async function load(engine: LoadEngine, shape: LoadShape, mode: TestServerMode, failShare = 1, timeoutMs = 2000): Promise<EngineResult> {
  const server = await startTestServer(sup, mode, { failShare });
  try {
    return await engine.run({
      target: { url: server.url, method: 'POST', headers: { 'content-type': 'application/json' }, bodies: ['{"entity":"e1"}'] },
      load: shape,
      warmupMs: 100,
      durationMs: 1500,
      timeoutMs,
    });
  } finally {
    await server.stop();
  }
}

const sumKinds = (r: EngineResult) => Object.values(r.failures.byKind).reduce((a, b) => a + b, 0);

describe.each(engines)('failure counting, %s engine', (_name, engine, shape) => {
  it('counts 500 answers as non2xx, with the status code', async () => {
    const r = await load(engine, shape, 'error');
    expect(r.requests.successes).toBe(0);
    expect(r.failures.byKind.non2xx).toBeGreaterThan(5);
    expect(r.failures.total).toBe(sumKinds(r));
    expect(r.failureCodes['500']).toBe(r.failures.byKind.non2xx);
    expect(r.rps).toBe(0);
  });

  it('counts connection resets as resets', async () => {
    const r = await load(engine, shape, 'reset');
    expect(r.requests.successes).toBe(0);
    expect(r.failures.byKind.resets).toBeGreaterThan(5);
    expect(r.failures.total).toBe(sumKinds(r));
  });

  it('counts connections closed mid-request as resets', async () => {
    const r = await load(engine, shape, 'close');
    expect(r.requests.successes).toBe(0);
    expect(r.failures.byKind.resets).toBeGreaterThan(5);
  });

  it('counts a server that never answers as timeouts', async () => {
    const r = await load(engine, shape, 'hang', 1, 1000);
    expect(r.requests.successes).toBe(0);
    expect(r.failures.byKind.timeouts).toBeGreaterThan(0);
    expect(r.failures.byKind.non2xx).toBe(0);
    expect(r.failures.total).toBe(sumKinds(r));
  });

  it('keeps successes and failures apart when only some requests fail', async () => {
    const r = await load(engine, shape, 'error', 0.5);
    expect(r.requests.successes).toBeGreaterThan(5);
    expect(r.failures.byKind.non2xx).toBeGreaterThan(5);
    expect(r.latencyUs.p50).toBeGreaterThan(0);
  });

  it('counts a refused connection as an error', async () => {
    const server = await startTestServer(sup, 'ok');
    await server.stop();
    const r = await engine.run({
      target: { url: server.url, method: 'GET', headers: {}, bodies: [] },
      load: shape,
      warmupMs: 0,
      durationMs: 1000,
      timeoutMs: 1000,
    });
    expect(r.requests.successes).toBe(0);
    expect(r.failures.byKind.errors).toBeGreaterThan(0);
    expect(r.failureCodes.ECONNREFUSED).toBeGreaterThan(0);
  });
});
