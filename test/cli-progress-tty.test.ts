// Progress on stderr: plain lines when stderr is not a terminal (no escape codes at all); on a terminal a live
// status line (suite k of N, elapsed, time left, the last step's figures) redrawn under the lines, in colour
// unless NO_COLOR is set.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../src/paths.js';
import { clearStatus, progress, setProgressSink, setStatus, statusText, warn } from '../src/progress.js';

const ESC = '\x1b[';
const out = mkdtempSync(join(tmpdir(), 'servebench-progress-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function fakeTerminal(isTTY: boolean) {
  const chunks: string[] = [];
  return { sink: { isTTY, columns: 200, write: (t: string) => chunks.push(t) }, text: () => chunks.join('') };
}

let restore: (() => void) | undefined;
const savedNoColor = process.env.NO_COLOR;
afterEach(() => {
  clearStatus();
  restore?.();
  if (savedNoColor === undefined) delete process.env.NO_COLOR;
  else process.env.NO_COLOR = savedNoColor;
});

describe('progress', () => {
  it('writes plain lines and no status line when stderr is not a terminal', () => {
    const t = fakeTerminal(false);
    restore = setProgressSink(t.sink);
    setStatus({ label: 'bench', suite: { index: 2, total: 6, name: 'kernels' } });
    progress('kernels', 'n=1e3 done');
    warn('load', 'a doubtful figure');
    expect(t.text()).toBe('[kernels] n=1e3 done\n[load] warning: a doubtful figure\n');
    expect(t.text()).not.toContain(ESC);
  });

  it('draws a status line under the lines on a terminal, in colour', () => {
    delete process.env.NO_COLOR;
    const t = fakeTerminal(true);
    restore = setProgressSink(t.sink);
    setStatus({ label: 'bench', suite: { index: 3, total: 6, name: 'capacity' }, etaMs: 125_000 });
    progress('capacity', 'typed n=2e7: ok');
    setStatus({ step: { label: 'async/single/io c=50', rps: 1054.2, p99Us: 53_000 } });
    const out = t.text();
    expect(out).toContain('suite 3 of 6 (capacity)');
    expect(out).toContain('about 2:05 left');
    expect(out).toContain('async/single/io c=50: 1054.2 rps, p99 53.0 ms');
    expect(out).toContain(`${ESC}36m[capacity]${ESC}0m typed n=2e7: ok\n`);
    // the status line is erased before a line is printed, then redrawn
    expect(out.indexOf('\r\x1b[2K')).toBeLessThan(out.indexOf('typed n=2e7'));
  });

  it('uses no colour with NO_COLOR, and cuts the status line to the terminal width', () => {
    process.env.NO_COLOR = '1';
    const t = fakeTerminal(true);
    restore = setProgressSink(t.sink);
    progress('load', 'step');
    expect(t.text()).toBe('[load] step\n');
    expect(statusText({ label: 'bench', step: { label: 'x'.repeat(200), rps: 1, p99Us: 1 } }, 61_000, 60).length).toBeLessThanOrEqual(59);
  });
});

describe('the CLI', () => {
  const cli = join(packageRoot, 'bin', 'servebench.js');
  const args = ['hw', '--no-bandwidth', '--noise-window', '100ms', '--out'];

  it('prints plain progress lines when stderr is a pipe', () => {
    const r = spawnSync(process.execPath, [cli, ...args, join(out, 'pipe')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^\[hw\] capturing the environment$/m);
    expect(r.stderr).not.toContain(ESC);
  });

  it('draws the status line and colour on a terminal (script(1) gives it one), none of the colour with NO_COLOR', () => {
    let n = 0;
    const run = (env: NodeJS.ProcessEnv) =>
      execFileSync('script', ['-qec', `"${process.execPath}" "${cli}" ${args.join(' ')} "${join(out, `tty${++n}`)}" >/dev/null`, '/dev/null'], {
        encoding: 'utf8',
        env: { ...process.env, TERM: 'xterm', ...env },
      });
    const coloured = run({ NO_COLOR: undefined });
    expect(coloured).toContain(`${ESC}36m[hw]`);
    expect(coloured).toContain('\r\x1b[2K');
    const plain = run({ NO_COLOR: '1' });
    expect(plain).not.toContain(`${ESC}36m`);
    expect(plain).toContain('[hw] capturing the environment');
  });
});
