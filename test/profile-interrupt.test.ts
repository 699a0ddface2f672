// Ctrl-C during `servebench profile` keeps what finished: profile.json holds the cases done before the
// interrupt (the one under way may finish too), marked interrupted, the command exits 130 and the cases
// after it never start.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../src/paths.js';
import { Supervisor } from '../src/processes/index.js';
import type { ResultEnvelope } from '../src/results/index.js';
import type { ProfileData } from '../src/results/profile.js';

const out = mkdtempSync(join(tmpdir(), 'servebench-profile-int-'));
const sup = new Supervisor();
afterAll(async () => {
  await sup.stopAll();
  rmSync(out, { recursive: true, force: true });
});

describe('interrupting the profile suite', () => {
  it('writes the finished cases, marked interrupted, and exits 130', async () => {
    const cli = await sup.start({
      name: 'servebench-profile',
      command: process.execPath,
      args: [
        join(packageRoot, 'bin', 'servebench.js'),
        'profile',
        '--tool',
        'cpuprof,0x',
        '--path',
        'sync,async',
        '--duration',
        '1s',
        '--connections',
        '2',
        '--out',
        out,
      ],
      // ready once the first case has finished
      ready: { kind: 'line', pattern: /sync-io-cpuprof: done/ },
      readyTimeoutMs: 90_000,
    });
    cli.signal('SIGINT');
    const exit = await cli.waitForExit(60_000);
    expect(exit.code).toBe(130);
    const file = join(out, 'profile.json');
    expect(existsSync(file)).toBe(true);
    const result = JSON.parse(readFileSync(file, 'utf8')) as ResultEnvelope<'profile', ProfileData>;
    expect(result.kind).toBe('profile');
    expect(result.data.interrupted).toBe(true);
    expect(result.data.cases[0]).toMatchObject({ id: 'sync-io-cpuprof', state: 'completed' });
    // Four cases were planned; the interrupt came after the first, so the last ones never ran.
    expect(result.data.cases.length).toBeLessThan(4);
  });
});
