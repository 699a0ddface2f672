// The native engine hands back its latencies as the other engines do: an HdrHistogram in microseconds,
// compressed base64, that hdr-histogram-js decodes to one value per successful response, and that merges
// with the autocannon engine's (the counts add), so repeats and shards from any engine pool exactly.

import hdr from 'hdr-histogram-js';
import { afterAll, expect, it } from 'vitest';
import { autocannonEngine } from '../src/load/engines/autocannon.js';
import { nativeEngine } from '../src/load/engines/native.js';
import { Supervisor } from '../src/processes/index.js';
import { mergeHistograms, pooledLatency } from '../src/results/histogram.js';
import { closedNative, describeNative, getTarget, openNative, runOptions } from './load-engine-native-fixtures.js';
import { startTestServer } from './load-fixtures.js';

const sup = new Supervisor();
afterAll(() => sup.stopAll());

describeNative('native engine: latency histogram', () => {
  it('decodes with hdr-histogram-js and merges with the autocannon engine: counts add', async () => {
    const server = await startTestServer(sup, 'ok', { delayMs: 2 });
    const closed = await nativeEngine.run(runOptions(server.url, closedNative(4)));
    const open = await nativeEngine.run(runOptions(server.url, openNative(200, { arrivals: 'poisson' })));
    const ac = await autocannonEngine.run({
      target: getTarget(server.url),
      load: { kind: 'closed', engine: 'autocannon', connections: 4, pipelining: 1, workers: 0 },
      warmupMs: 0,
      durationMs: 1000,
      timeoutMs: 5000,
    });
    const runs = [closed, open, ac];
    for (const r of runs) {
      const h = hdr.decodeFromCompressedBase64(r.latencyHistogramUs!);
      expect(h.totalCount).toBe(r.requests.successes);
      expect(r.requests.successes).toBeGreaterThan(0);
    }
    for (const r of [closed, open]) {
      const h = hdr.decodeFromCompressedBase64(r.latencyHistogramUs!);
      // The summary comes from the same histogram (the max is exact, the histogram keeps 3 digits).
      expect(h.getValueAtPercentile(50)).toBe(r.latencyUs.p50);
      expect(h.getValueAtPercentile(99)).toBe(r.latencyUs.p99);
      expect(Math.abs(h.maxValue - r.latencyUs.max)).toBeLessThanOrEqual(r.latencyUs.max * 0.001);
    }
    const total = runs.reduce((a, r) => a + r.requests.successes, 0);
    // Merged by hdr-histogram-js itself, and by servebench's results layer.
    const merged = hdr.build({ autoResize: true, lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
    for (const r of runs) merged.add(hdr.decodeFromCompressedBase64(r.latencyHistogramUs!));
    expect(merged.totalCount).toBe(total);
    const encoded = runs.map((r) => r.latencyHistogramUs!);
    expect(pooledLatency(encoded)?.count).toBe(total);
    expect(hdr.decodeFromCompressedBase64(mergeHistograms(encoded)!).totalCount).toBe(total);
  });
});
