// A clustered service gets flame graphs too: 0x and clinic refuse node:cluster, so --cpu-prof profiles every
// worker, and servebench draws a flame graph and a summary per worker plus one of all workers merged.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runProfileSuite } from '../src/profile/suite.js';
import { resolveProfileOptions } from '../src/profile/options.js';
import { setQuiet } from '../src/progress.js';
import { OptionError } from '../src/errors.js';
import type { FunctionShare } from '../src/results/profile.js';
import { fixtureTarget } from './profile-fixtures.js';

setQuiet(true);
const out = mkdtempSync(join(tmpdir(), 'servebench-profile-cluster-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('cluster workers', () => {
  it('--cpu-prof profiles each worker; each and all of them get a flame graph naming the hot function', async () => {
    const data = await runProfileSuite({
      tools: ['cpuprof'],
      paths: ['sync'],
      predict: 'cpu',
      topology: 'cluster',
      workers: 2,
      durationMs: 1500,
      connections: 4,
      outDir: out,
      // About 20 ms of hot loop a request and two requests in flight per worker: each worker always has the
      // next one waiting, so its samples are the hot loop, not idle time, even with the host's cores busy.
      startTarget: fixtureTarget({ workers: 2, hotLoopN: 2_000_000 }),
    });
    const c = data.cases[0]!;
    if (c.state !== 'completed') throw new Error(c.state === 'errored' ? c.error.message : c.reason);
    expect(c.id).toBe('sync-cpu-cluster-cpuprof');
    const workers = c.summaries.filter((s) => s.process.startsWith('fixture-worker'));
    expect(workers).toHaveLength(2);
    // The hottest function that ran: the profile is wall-clock, so on a busy host the time a worker waited
    // (its start and stop, slower then) may outweigh it as '(idle)'; what it ran is still the hot loop.
    const hottest = (fs: readonly FunctionShare[]) => fs.find((f) => f.group !== 'idle')?.name;
    for (const s of workers) expect(hottest(s.topFunctions)).toBe('fixtureHotLoop');
    const all = c.summaries.find((s) => s.process === 'all 2 workers');
    expect(all?.pids).toHaveLength(2);
    expect(hottest(all!.topFunctions)).toBe('fixtureHotLoop');
    const graphs = c.artefacts.filter((a) => a.kind === 'flamegraph');
    // primary + 2 workers + all workers
    expect(graphs.length).toBeGreaterThanOrEqual(4);
    expect(readFileSync(join(out, graphs.find((g) => g.path.endsWith('flamegraph-all-workers.html'))!.path), 'utf8')).toContain('fixtureHotLoop');
  });

  it('0x and clinic are refused on a cluster with a message naming the tools that can', () => {
    expect(() => resolveProfileOptions({ tools: ['0x', 'cpuprof'], topology: 'cluster' })).toThrow(OptionError);
    expect(() => resolveProfileOptions({ tools: ['doctor'], topology: 'cluster' })).toThrow(/cannot profile cluster workers.*use --tool cpuprof or perf/);
  });
});
