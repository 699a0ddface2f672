// The atomic writer: a results file is the old one or the new one, never half, even when the writer is
// killed with SIGKILL mid-write; and the temp files a killed writer leaves are removed by the next write.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compiledEntry } from '../src/paths.js';
import { removeStaleTempFiles, writeJsonAtomic } from '../src/results/write.js';

const dir = mkdtempSync(join(tmpdir(), 'servebench-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A pid that certainly ended: a process that has exited and been reaped. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('writeJsonAtomic', () => {
  it('removes the temp files of dead writers on the next write, and keeps a live writer’s', () => {
    const stale = join(dir, `.results.json.${deadPid()}.1700000000000.tmp`);
    const live = join(dir, `.results.json.${process.ppid}.1700000000001.tmp`);
    writeFileSync(stale, '{"half":');
    writeFileSync(live, '{"in progress":');
    writeJsonAtomic(join(dir, 'results.json'), { ok: true });
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'))).toEqual({ ok: true });
    rmSync(live);
    expect(removeStaleTempFiles(join(dir, 'missing'))).toEqual([]);
  });

  it('leaves a whole file (old or new) when the writer is killed with SIGKILL while writing', async () => {
    const target = join(dir, 'big.json');
    const writer = pathToFileURL(compiledEntry('src/results/write')).href;
    // A writer rewriting a 4 MB results file as fast as it can, killed at a random moment.
    const script = `import { writeJsonAtomic } from ${JSON.stringify(writer)};
      const rows = Array.from({ length: 40000 }, (_, i) => ({ i, text: 'x'.repeat(80) }));
      for (let k = 0; ; k++) writeJsonAtomic(${JSON.stringify(target)}, { k, rows });`;
    for (let round = 0; round < 3; round++) {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
      await new Promise((r) => setTimeout(r, 300 + round * 170));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      if (existsSync(target)) {
        const saved = JSON.parse(readFileSync(target, 'utf8')) as { rows: unknown[] };
        expect(saved.rows).toHaveLength(40000);
      }
    }
    writeJsonAtomic(target, { after: true });
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(JSON.parse(readFileSync(target, 'utf8'))).toEqual({ after: true });
  }, 30_000);
});
