// The load suite on the real serving system: repeats are rounds that interleave the configurations
// (A B A B, not A A B B), each started fresh and stopped; the servers are sampled (CPU, RSS, their own
// metrics and timing breakdown) and each configuration is summarised with median and spread.

import { expect, it } from 'vitest';
import { scenarios } from '../benchmarks/scenarios/index.js';
import { defaultStoreChoice } from '../src/load/store-default.js';
import { runLoadSuite } from '../src/load/suite.js';
import { setQuiet } from '../src/progress.js';

const t = { warmupMs: 300, durationMs: 1000 };

it('interleaves repeats across configurations and samples the servers', async () => {
  setQuiet(true);
  const data = await runLoadSuite({
    paths: ['sync', 'async'],
    topologies: ['single'],
    predicts: ['io'],
    scenarios: ['response-time'],
    repeats: 2,
    definitions: { ...scenarios, 'response-time': { ...scenarios['response-time'], timing: { default: t, quick: t } } },
  });
  setQuiet(false);
  expect(data.runs.map((r) => `${r.configId} r${r.repeat}`)).toEqual(['sync/single/io r1', 'async/single/io r1', 'sync/single/io r2', 'async/single/io r2']);
  for (const c of data.configurations) {
    expect(c.state).toBe('completed');
    expect(c.startupMs).toHaveLength(2);
    // Redis by default wherever a redis-server can be started, else the embedded store.
    expect(c.store?.kind).toBe(defaultStoreChoice().store);
  }
  for (const r of data.runs) {
    expect(r.state).toBe('completed');
    if (r.state !== 'completed') continue;
    // io predict: two model calls of 40-50 ms each, one after the other (sync) or together (async).
    expect(r.latencyUs.p50).toBeGreaterThan(35_000);
    const scoring = r.servers.find((s) => s.role.startsWith('scoring'));
    expect(scoring?.cpuPercent).not.toBeNull();
    expect(scoring?.rssBytes?.max).toBeGreaterThan(1_000_000);
    expect(r.serverTimingUs?.modelA).toBeGreaterThan(35_000);
  }
  const [sync, async] = data.summaries;
  expect(sync!.repeats).toBe(2);
  expect(sync!.rps.repeats).toBeGreaterThanOrEqual(1);
  // With one connection, async serves about twice sync: its two model calls overlap.
  expect(async!.rps.median).toBeGreaterThan(sync!.rps.median * 1.3);
}, 120_000);
