// Ctrl-C during `servebench bench` keeps every suite that finished and marks the one under way: with
// `--suites hardware,kernels,capacity --quick` interrupted mid-kernels, the command exits 130 and results.json
// (written once after the interrupt) holds hardware completed, kernels interrupted (its partial data marked
// so) and capacity skipped ('interrupted'), never completed.

import { mkdtempSync, readFileSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../src/paths.js';
import { Supervisor } from '../src/processes/index.js';
import type { BenchData, ResultEnvelope } from '../src/results/index.js';

const sup = new Supervisor();
const out = mkdtempSync(join(tmpdir(), 'servebench-bench-int-'));
afterAll(async () => {
  await sup.stopAll();
  rmSync(out, { recursive: true, force: true });
});

describe('interrupting servebench bench', () => {
  it('SIGINT mid-kernels: exit 130, results.json written once: hardware completed, kernels interrupted, capacity skipped', async () => {
    const dir = join(out, 'run');
    const cli = await sup.start({
      name: 'servebench-bench',
      command: process.execPath,
      args: [join(packageRoot, 'bin', 'servebench.js'), 'bench', '--suites', 'hardware,kernels,capacity', '--quick', '--out', dir],
      // ready once the kernels suite has finished its first benchmark process (hardware is done by then)
      ready: { kind: 'line', pattern: /done in [\d.]+ s:/ },
      readyTimeoutMs: 120_000,
    });
    // results.json appears under its own name each time the atomic writer renames a temp file onto it.
    const writes: string[] = [];
    const watcher = watch(dir, (_event, name) => {
      if (name === 'results.json') writes.push(name);
    });
    cli.signal('SIGINT');
    const exit = await cli.waitForExit(30_000);
    await new Promise((r) => setTimeout(r, 200));
    watcher.close();
    expect(exit.code).toBe(130);
    expect(writes).toEqual(['results.json']);
    const result = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultEnvelope<'bench', BenchData>;
    expect(result.data.suites.map((s) => [s.suite, s.state])).toEqual([
      ['hardware', 'completed'],
      ['kernels', 'interrupted'],
      ['capacity', 'skipped'],
    ]);
    expect(result.data.suites[2]).toMatchObject({ reason: 'interrupted', durationMs: 0 });
    expect(result.data.sections.capacity).toBeUndefined();
    expect(result.data.sections.hardware).toBeDefined();
    const kernels = result.data.sections.kernels!;
    expect(kernels.interrupted).toBe(true);
    expect(kernels.entries.some((e) => e.state === 'completed')).toBe(true);
  });
});
