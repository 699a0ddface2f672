// Ctrl-C during `servebench bench` keeps every suite that finished and marks the one under way: with
// `--suites hardware,kernels --quick` interrupted mid-kernels, the command exits 130 and results.json holds
// hardware completed and kernels interrupted (its partial data marked so).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
  it('SIGINT mid-kernels: exit 130, hardware completed and kernels interrupted in results.json', async () => {
    const dir = join(out, 'run');
    const cli = await sup.start({
      name: 'servebench-bench',
      command: process.execPath,
      args: [join(packageRoot, 'bin', 'servebench.js'), 'bench', '--suites', 'hardware,kernels', '--quick', '--out', dir],
      // ready once the kernels suite has finished its first benchmark process (hardware is done by then)
      ready: { kind: 'line', pattern: /done in [\d.]+ s:/ },
      readyTimeoutMs: 120_000,
    });
    cli.signal('SIGINT');
    const exit = await cli.waitForExit(30_000);
    expect(exit.code).toBe(130);
    const result = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultEnvelope<'bench', BenchData>;
    expect(result.data.suites.map((s) => [s.suite, s.state])).toEqual([
      ['hardware', 'completed'],
      ['kernels', 'interrupted'],
    ]);
    expect(result.data.sections.hardware).toBeDefined();
    const kernels = result.data.sections.kernels!;
    expect(kernels.interrupted).toBe(true);
    expect(kernels.entries.some((e) => e.state === 'completed')).toBe(true);
  });
});
