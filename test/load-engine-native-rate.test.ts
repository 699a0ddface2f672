// The native engine delivers what it is asked: an open loop at a constant rate delivers that rate within 2%
// over the window (every arrival scheduled in it sent and answered), and a closed loop given an amount ends
// after exactly that many requests.

import { afterAll, expect, it } from 'vitest';
import { nativeEngine } from '../src/load/engines/native.js';
import { Supervisor } from '../src/processes/index.js';
import { closedNative, describeNative, openNative, runOptions } from './load-engine-native-fixtures.js';
import { startTestServer } from './load-fixtures.js';

const sup = new Supervisor();
afterAll(() => sup.stopAll());

describeNative('native engine: delivered load', () => {
  it('delivers a constant arrival rate within 2% of the target over the window', async () => {
    const server = await startTestServer(sup, 'ok');
    const rate = 400;
    const durationMs = 3000;
    // A warm-up long enough for the server's own: rps counts the answers completed in the window.
    const r = await nativeEngine.run(runOptions(server.url, openNative(rate, { maxInFlight: 64 }), { warmupMs: 1000, durationMs }));
    expect(r.failures.total).toBe(0);
    const expected = (rate * durationMs) / 1000;
    expect(Math.abs(r.open!.scheduled - expected)).toBeLessThanOrEqual(1);
    expect(r.requests.successes).toBe(r.open!.scheduled);
    expect(Math.abs(r.rps - rate)).toBeLessThanOrEqual(rate * 0.02);
    expect(r.rpsSeries).toHaveLength(durationMs / 1000);
    expect(Math.abs(r.rpsSeries.reduce((a, b) => a + b, 0) - expected)).toBeLessThanOrEqual(expected * 0.02);
    expect(r.open!.targetRps).toBe(rate);
    expect(r.generator).toMatchObject({ engine: 'native', pid: process.pid, threads: 1 });
    // The load runs on the engine's own thread: its CPU is counted, the JS event loop stays nearly idle.
    expect(r.generator.cpuCores).toBeGreaterThan(0);
    expect(r.generator.eventLoopUtilization).toBeLessThan(0.5);
    expect(r.latencyResolution.source).toMatch(/scheduled send time/);
  });

  it('ends a closed loop after exactly `amount` requests, and splits connections over its threads', async () => {
    const server = await startTestServer(sup, 'ok');
    const r = await nativeEngine.run(runOptions(server.url, closedNative(4, 2), { amount: 2000 }));
    expect(r.requests.completed + r.failures.total).toBe(2000);
    expect(r.generator.threads).toBe(2);
  });

  it('extends a closed-loop window until the minimum of requests is in, within its bound', async () => {
    const server = await startTestServer(sup, 'ok', { delayMs: 100 });
    // One connection to a 100 ms server: about 10 answers a second, so 20 need about 2 s of a 1 s window.
    const r = await nativeEngine.run(runOptions(server.url, closedNative(1), { durationMs: 1000, minRequests: 20, maxWindowMs: 6000 }));
    expect(r.requests.completed).toBeGreaterThanOrEqual(20);
    expect(r.windowMs).toBeGreaterThan(1000);
    expect(r.windowMs).toBeLessThan(6000);
  });
});
