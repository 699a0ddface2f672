// The native engine's open loop is safe from coordinated omission: each latency runs from the request's
// scheduled send time, so when the server stalls for 1 s every request scheduled during the stall shows the
// wait (the first ones about the whole stall, the last ones little), as the JS open engine's test checks
// (test/load-open-loop-stall.test.ts). The bounds are relations to the stall and the rate, not timings.

import hdr from 'hdr-histogram-js';
import { afterAll, expect, it } from 'vitest';
import { nativeEngine } from '../src/load/engines/native.js';
import { Supervisor } from '../src/processes/index.js';
import { describeNative, openNative, runOptions } from './load-engine-native-fixtures.js';
import { startTestServer } from './load-fixtures.js';

const sup = new Supervisor();
afterAll(() => sup.stopAll());

describeNative('native engine: open loop against a server that stalls for 1 s', () => {
  it('times every request from its scheduled send, so the requests scheduled in the stall show the wait', async () => {
    const stallMs = 1000;
    const rate = 200;
    const binMs = 100;
    const server = await startTestServer(sup, 'stall', { stallAfterMs: 1000, stallMs });
    const r = await nativeEngine.run(runOptions(server.url, openNative(rate, { maxInFlight: 500 }), { durationMs: 3000, timeoutMs: 5000, binMs }));
    expect(r.failures.total).toBe(0);
    expect(r.open!.scheduled).toBeGreaterThan(rate * 2.5);
    // The worst request waited about the whole stall.
    expect(r.latencyUs.max).toBeGreaterThan(stallMs * 0.7 * 1000);
    expect(r.latencyUs.max).toBeLessThan(stallMs * 3 * 1000);

    // Every request scheduled in the stall's first half waited at least the second half: at `rate` a second,
    // that is rate x 0.5 s of them (less a margin for where exactly the stall began).
    // (At least `needed` values reach the bound exactly when the value at percentile 100 (1 - needed / n) does.)
    const h = hdr.decodeFromCompressedBase64(r.latencyHistogramUs!);
    const needed = rate * (stallMs / 2 / 1000) * 0.9;
    expect(h.getValueAtPercentile(100 * (1 - needed / h.totalCount))).toBeGreaterThanOrEqual((stallMs / 2) * 0.9 * 1000);

    // By scheduled time: the bins from the stall's start on show the wait, falling towards its end.
    const bins = r.latencySeries;
    const first = bins.find((b) => b.p50Us > (stallMs / 2) * 1000);
    expect(first).toBeDefined();
    const s = first!.startMs;
    const early = bins.filter((b) => b.startMs >= s && b.startMs < s + 400);
    const late = bins.filter((b) => b.startMs >= s + 700 && b.startMs < s + 900);
    expect(early.length).toBeGreaterThanOrEqual(3);
    for (const b of early) expect(b.p50Us).toBeGreaterThan(stallMs * 0.45 * 1000);
    const mean = (xs: typeof bins) => xs.reduce((a, b) => a + b.p50Us, 0) / Math.max(1, xs.length);
    expect(mean(late)).toBeLessThan(mean(early));
    // And it recovers once the stall is over.
    const after = bins.filter((b) => b.startMs >= s + stallMs + 500 && b.completed > 0);
    expect(after.length).toBeGreaterThan(0);
    for (const b of after) expect(b.p50Us).toBeLessThan((stallMs / 10) * 1000);
  });
});
