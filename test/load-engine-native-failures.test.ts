// The native engine counts every failed request by kind, in both loops, as the JS engines do
// (test/load-failure-counting.test.ts): 500 answers as non2xx with the status, resets and connections closed
// mid-request as resets, a server that never answers as timeouts, a refused port as errors; the kinds add up
// to the total. An open loop drops no arrival: each one of the window is answered or counted as failed.

import { afterAll, expect, it } from 'vitest';
import { nativeEngine } from '../src/load/engines/native.js';
import type { EngineResult } from '../src/load/engines/types.js';
import { Supervisor } from '../src/processes/index.js';
import type { LoadShape } from '../src/results/load.js';
import { closedNative, describeNative, openNative } from './load-engine-native-fixtures.js';
import { startTestServer, type TestServerMode } from './load-fixtures.js';

const sup = new Supervisor();
afterAll(() => sup.stopAll());

const loops: [string, LoadShape][] = [
  ['closed', closedNative(4)],
  ['open', openNative(100, { arrivals: 'poisson', maxInFlight: 50 })],
];

async function load(shape: LoadShape, mode: TestServerMode, failShare = 1, timeoutMs = 2000): Promise<EngineResult> {
  const server = await startTestServer(sup, mode, { failShare });
  try {
    return await nativeEngine.run({
      target: { url: server.url, method: 'POST', headers: { 'content-type': 'application/json' }, bodies: ['{"entity":"e1"}', '{"entity":"e2"}'] },
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
/** Open loop: every arrival of the window is either a success or a failure. */
const noneDropped = (r: EngineResult) => r.open === undefined || r.requests.successes + r.failures.total === r.open.scheduled;

for (const [loop, shape] of loops) {
  describeNative(`native engine, ${loop} loop: failures by kind`, () => {
    it('counts 500 answers as non2xx, with the status code', async () => {
      const r = await load(shape, 'error');
      expect(r.requests.successes).toBe(0);
      expect(r.failures.byKind.non2xx).toBeGreaterThan(5);
      expect(r.failures.total).toBe(sumKinds(r));
      expect(r.failureCodes['500']).toBe(r.failures.byKind.non2xx);
      expect(r.rps).toBe(0);
      expect(r.latencyHistogramUs).toBeUndefined();
      expect(noneDropped(r)).toBe(true);
    });

    it('counts connection resets, and connections closed mid-request, as resets', async () => {
      for (const mode of ['reset', 'close'] as const) {
        const r = await load(shape, mode);
        expect(r.requests.successes).toBe(0);
        expect(r.failures.byKind.resets).toBeGreaterThan(5);
        expect(r.failures.total).toBe(sumKinds(r));
        expect(noneDropped(r)).toBe(true);
      }
    });

    it('counts a server that never answers as timeouts', async () => {
      const r = await load(shape, 'hang', 1, 500);
      expect(r.requests.successes).toBe(0);
      expect(r.failures.byKind.timeouts).toBeGreaterThan(0);
      expect(r.failures.byKind.non2xx).toBe(0);
      expect(r.failures.total).toBe(sumKinds(r));
      expect(noneDropped(r)).toBe(true);
    });

    it('keeps successes and failures apart when only some requests fail', async () => {
      const r = await load(shape, 'error', 0.5);
      expect(r.requests.successes).toBeGreaterThan(5);
      expect(r.failures.byKind.non2xx).toBeGreaterThan(5);
      expect(r.latencyUs.p50).toBeGreaterThan(0);
      expect(noneDropped(r)).toBe(true);
    });

    it('counts a refused connection as an error', async () => {
      const server = await startTestServer(sup, 'ok');
      await server.stop();
      const r = await nativeEngine.run({
        target: { url: server.url, method: 'GET', headers: {}, bodies: [] },
        load: shape,
        warmupMs: 0,
        durationMs: 1000,
        timeoutMs: 1000,
      });
      expect(r.requests.successes).toBe(0);
      expect(r.failures.byKind.errors).toBeGreaterThan(0);
      expect(r.failureCodes.ECONNREFUSED).toBeGreaterThan(0);
      expect(noneDropped(r)).toBe(true);
    });
  });
}
