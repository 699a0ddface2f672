// Nothing measured is lost: each run keeps its whole latency histogram (HdrHistogram's compressed base64
// form), from which any percentile can be taken later and repeats merged.

import hdr from 'hdr-histogram-js';
import { afterAll, describe, expect, it } from 'vitest';
import { autocannonEngine } from '../src/load/engines/autocannon.js';
import { openLoopEngine } from '../src/load/engines/open-loop.js';
import { LatencyRecorder } from '../src/load/latency.js';
import { Supervisor } from '../src/processes/index.js';
import { startTestServer } from './load-fixtures.js';

const sup = new Supervisor();
afterAll(() => sup.stopAll());

const target = (url: string) => ({ url, method: 'GET' as const, headers: {}, bodies: [] });

describe('latency histogram in the results', () => {
  it('decodes to the same counts and percentiles as the summary', () => {
    const rec = new LatencyRecorder(1000);
    expect(rec.encoded()).toBeUndefined();
    for (let i = 1; i <= 10_000; i++) rec.record(i * 10, 0);
    const s = rec.summary();
    const h = hdr.decodeFromCompressedBase64(rec.encoded()!);
    expect(h.totalCount).toBe(10_000);
    expect(h.getValueAtPercentile(50)).toBe(s.p50);
    expect(h.getValueAtPercentile(99.9)).toBe(s.p999);
    // The encoding keeps values to 3 significant digits: the exact max is within a bucket's width.
    expect(Math.abs(h.maxValue - s.max) / s.max).toBeLessThan(0.001);
    rec.destroy();
  });

  it('comes with every run of both engines, one value per successful response', async () => {
    const server = await startTestServer(sup, 'ok', { delayMs: 5 });
    const open = await openLoopEngine.run({
      target: target(server.url),
      load: { kind: 'open', engine: 'open', rateRps: 100, arrivals: 'poisson', maxInFlight: 100, seed: 2 },
      warmupMs: 0,
      durationMs: 1000,
      timeoutMs: 5000,
    });
    const closed = await autocannonEngine.run({
      target: target(server.url),
      load: { kind: 'closed', engine: 'autocannon', connections: 4, pipelining: 1, workers: 0 },
      warmupMs: 0,
      durationMs: 1000,
      timeoutMs: 5000,
    });
    for (const r of [open, closed]) {
      expect(r.latencyHistogramUs).toBeTypeOf('string');
      const h = hdr.decodeFromCompressedBase64(r.latencyHistogramUs!);
      expect(h.totalCount).toBe(r.requests.successes);
      expect(h.getValueAtPercentile(99)).toBe(r.latencyUs.p99);
    }
  });
});
