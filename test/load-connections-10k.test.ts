// The generator holds 10,000 connections without crashing (the open-file limit is checked, and raised
// with prlimit when it is too low), against a trivial server in its own process.

import { afterAll, expect, it } from 'vitest';
import { Supervisor } from '../src/processes/index.js';
import { autocannonEngine } from '../src/load/engines/autocannon.js';
import { ensureFdLimit, fdsNeeded } from '../src/load/fd-limit.js';
import { startTestServer } from './load-fixtures.js';

const sup = new Supervisor();
afterAll(() => sup.stopAll());

it('opens 10,000 connections to a local server and measures', async () => {
  const limit = await ensureFdLimit(fdsNeeded(10_000));
  expect(limit.soft === 'unlimited' || Number(limit.soft) >= 10_000).toBe(true);
  const server = await startTestServer(sup, 'ok');
  const r = await autocannonEngine.run({
    target: { url: server.url, method: 'GET', headers: {}, bodies: [] },
    load: { kind: 'closed', engine: 'autocannon', connections: 10_000, pipelining: 1, workers: 0 },
    warmupMs: 1000,
    durationMs: 1500,
    timeoutMs: 10_000,
  });
  expect(r.requests.successes).toBeGreaterThan(1000);
  // Connections the server could not accept in time may fail, but most requests must succeed.
  expect(r.failures.total).toBeLessThan(r.requests.successes);
  expect(server.proc.exited).toBe(false);
}, 120_000);
