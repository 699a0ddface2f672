// The open-loop scheduler is safe from coordinated omission: when the server stalls for 1 s, every request
// scheduled during the stall shows the wait (about 1 s for the first ones), not just one per connection.

import { afterAll, describe, expect, it } from 'vitest';
import { Supervisor } from '../src/processes/index.js';
import { autocannonEngine } from '../src/load/engines/autocannon.js';
import { openLoopEngine } from '../src/load/engines/open-loop.js';
import type { RequestSample } from '../src/load/engines/types.js';
import { startTestServer } from './load-fixtures.js';

const sup = new Supervisor();
afterAll(() => sup.stopAll());

const STALL_MS = 1000;
const target = (url: string) => ({ url, method: 'GET' as const, headers: {}, bodies: [] });

describe('open loop against a server that stalls for 1 s', () => {
  it('times every request from its scheduled send, so the requests scheduled in the stall show the wait', async () => {
    const server = await startTestServer(sup, 'stall', { stallAfterMs: 1000, stallMs: STALL_MS });
    const samples: RequestSample[] = [];
    const r = await openLoopEngine.run({
      target: target(server.url),
      load: { kind: 'open', engine: 'open', rateRps: 100, arrivals: 'constant', maxInFlight: 500, seed: 1 },
      warmupMs: 0,
      durationMs: 3000,
      timeoutMs: 5000,
      onSample: (s) => samples.push(s),
    });
    expect(r.failures.total).toBe(0);
    expect(r.open?.scheduled).toBeGreaterThan(250);
    const ok = samples.filter((s) => s.outcome === 'success').sort((a, b) => a.sentAtMs - b.sentAtMs);
    // The worst request waited about the whole stall: at least most of it (the server blocks that long, and a
    // busy host only adds to it), and it was one scheduled as the stall began, not a request timed from the
    // run's start: it ended about when the stall did, like the requests scheduled right after it.
    expect(r.latencyUs.max).toBeGreaterThan(STALL_MS * 0.7 * 1000);
    const worst = ok.reduce((a, s) => (s.latencyUs > a.latencyUs ? s : a));
    const endOf = (s: RequestSample) => s.sentAtMs + s.latencyUs / 1000;
    const next = ok.filter((s) => s.sentAtMs > worst.sentAtMs).slice(0, 5);
    expect(next.length).toBeGreaterThan(0);
    for (const s of next) expect(Math.abs(endOf(s) - endOf(worst))).toBeLessThan(STALL_MS * 0.5);
    // The stall starts at the first slow request; the ones scheduled in its first 400 ms waited >= ~0.5 s.
    const first = ok.find((s) => s.latencyUs > 500_000);
    expect(first).toBeDefined();
    const early = ok.filter((s) => s.sentAtMs >= first!.sentAtMs && s.sentAtMs < first!.sentAtMs + 400);
    expect(early.length).toBeGreaterThan(20);
    expect(early.filter((s) => s.latencyUs > 450_000).length).toBeGreaterThan(early.length * 0.8);
    // Many requests saw more than half a second (about 50 at 100/s), far more than one per connection.
    expect(ok.filter((s) => s.latencyUs > 500_000).length).toBeGreaterThan(25);
    // Latency falls as the scheduled time nears the stall's end: late-stall requests waited less.
    const late = ok.filter((s) => s.sentAtMs >= first!.sentAtMs + 700 && s.sentAtMs < first!.sentAtMs + 900);
    const mean = (xs: RequestSample[]) => xs.reduce((a, s) => a + s.latencyUs, 0) / Math.max(1, xs.length);
    expect(mean(late)).toBeLessThan(mean(early));
  });

  it('contrast: a closed loop with 10 connections records only a few slow requests in the same stall', async () => {
    const server = await startTestServer(sup, 'stall', { stallAfterMs: 1000, stallMs: 1000, delayMs: 90 });
    const samples: RequestSample[] = [];
    await autocannonEngine.run({
      target: target(server.url),
      load: { kind: 'closed', engine: 'autocannon', connections: 10, pipelining: 1, workers: 0 },
      warmupMs: 0,
      durationMs: 3000,
      timeoutMs: 5000,
      onSample: (s) => samples.push(s),
    });
    const slow = samples.filter((s) => s.outcome === 'success' && s.latencyUs > 500_000).length;
    expect(slow).toBeGreaterThan(0);
    // At most a couple per connection: the waiting of everyone who would have arrived is omitted.
    expect(slow).toBeLessThanOrEqual(20);
  });
});
