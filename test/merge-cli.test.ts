// `servebench merge` from the command line: writes the merged load result (or prints it), and refuses, with
// exit 2 and a message naming the file and the difference, shards of another target or other settings, the
// same shard twice, and a file that is not a load result.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { latencySamples, makeShard } from './merge-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'servebench-merge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.parse('2026-03-01T10:00:00.000Z');

function write(name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/servebench.js', 'merge', ...args], { timeout: 60_000, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

const shard = (i: number, over: Partial<Parameters<typeof makeShard>[0]> = {}) =>
  makeShard({ samples: latencySamples(200, i + 1), startMs: T0, shard: { index: i, count: 2 }, rateRps: 50, seed: 1 + i, ...over });

describe('servebench merge', () => {
  it('prints the merged load result as JSON without --out, and writes it with --out', async () => {
    const a = write('a.json', shard(0));
    const b = write('b.json', shard(1));
    const r = await cli([a, b]);
    expect(r.code).toBe(0);
    const merged = JSON.parse(r.stdout) as { kind: string; data: { runs: { requests: { successes: number } }[]; merged: { valid: boolean } } };
    expect(merged.kind).toBe('load');
    expect(merged.data.runs[0]!.requests.successes).toBe(400);
    expect(merged.data.merged.valid).toBe(true);
    expect(r.stderr).toMatch(/the whole is valid/);

    const out = join(dir, 'merged.json');
    const w = await cli([a, b, '--out', out]);
    expect(w.code).toBe(0);
    expect(w.stdout).toMatch(/held 100\/s/);
    expect((JSON.parse(readFileSync(out, 'utf8')) as { kind: string }).kind).toBe('load');
  });

  it('--strict exits 1 when the whole is not valid; the merge is still printed', async () => {
    const a = write('s0.json', shard(0));
    const b = write('s1-invalid.json', shard(1, { valid: false }));
    const r = await cli([a, b, '--strict']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/s1-invalid\.json/);
    expect((JSON.parse(r.stdout) as { data: { merged: { valid: boolean } } }).data.merged.valid).toBe(false);
  });

  it('refuses a shard of another target, naming the file and the difference', async () => {
    const a = write('t0.json', shard(0));
    const b = write('t1-other-target.json', shard(1, { target: 'http://elsewhere:8080/score' }));
    const r = await cli([a, b]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/t1-other-target\.json loaded another target: "http:\/\/elsewhere:8080\/score" here/);
  });

  it('refuses a shard with other settings, naming the setting', async () => {
    const a = write('d0.json', shard(0));
    const b = write('d1-longer.json', shard(1, { durationMs: 5000 }));
    const r = await cli([a, b]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/d1-longer\.json ran with other settings: durationMs is 5000 here and 2000/);
  });

  it('refuses an open-loop shard beside a closed-loop one, and the same shard twice', async () => {
    const a = write('o0.json', shard(0));
    const closed = write('o1-closed.json', shard(1, { connections: 4 }));
    const r = await cli([a, closed]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/o1-closed\.json ran a closed loop/);
    const again = write('o0-again.json', shard(0, { seed: 9 }));
    const twice = await cli([a, again]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/o0-again\.json is shard 0\/2 again \(as .*o0\.json\)/);
  });

  it('refuses a file that is not a load result, naming it', async () => {
    const a = write('n0.json', shard(0));
    const kernels = write('kernels.json', { ...shard(1), kind: 'kernels' });
    const r = await cli([a, kernels]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/kernels\.json is a kernels result, not a load result/);

    const notResults = write('package.json', { name: 'x' });
    const r2 = await cli([a, notResults]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/package\.json is not a servebench results file/);

    const broken = write('no-runs.json', { ...shard(1), data: { options: shard(1).data.options, configurations: [] } });
    const r3 = await cli([a, broken]);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toMatch(/no-runs\.json is not a load result: it has no data\.runs list/);

    const missing = await cli([a, join(dir, 'absent.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*absent\.json/);
  });
});
