// Ctrl-C during `servebench kernels` keeps what was measured: kernels.json holds the finished figures,
// marked interrupted, the command exits 130 and leaves no benchmark process behind.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../src/paths.js';
import { Supervisor } from '../src/processes/index.js';
import type { ResultEnvelope } from '../src/results/index.js';
import type { KernelsData } from '../src/results/kernels.js';

const out = mkdtempSync(join(tmpdir(), 'servebench-kernels-int-'));
const sup = new Supervisor();
afterAll(async () => {
  await sup.stopAll();
  rmSync(out, { recursive: true, force: true });
});

describe('interrupting the kernels benchmark', () => {
  it('writes the finished figures, marked interrupted, and exits 130', async () => {
    const cli = await sup.start({
      name: 'servebench-kernels',
      command: process.execPath,
      args: [
        join(packageRoot, 'bin', 'servebench.js'),
        'kernels',
        '--sizes',
        '1e3,1e4',
        '--small-sizes',
        'none',
        '--kernels',
        'typed,native',
        '--processes',
        '5',
        '--time',
        '50',
        '--out',
        out,
      ],
      // ready once the first benchmark process has finished
      ready: { kind: 'line', pattern: /done in/ },
      readyTimeoutMs: 60_000,
    });
    cli.signal('SIGINT');
    const exit = await cli.waitForExit(20_000);
    expect(exit.code).toBe(130);
    const file = join(out, 'kernels.json');
    expect(existsSync(file)).toBe(true);
    const result = JSON.parse(readFileSync(file, 'utf8')) as ResultEnvelope<'kernels', KernelsData>;
    expect(result.data.interrupted).toBe(true);
    expect(result.data.entries.some((e) => e.state === 'completed')).toBe(true);
    expect(result.data.processes.length).toBeLessThan(10);
  });
});
