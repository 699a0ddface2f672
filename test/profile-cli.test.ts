// `servebench profile` validates its options once, at the edge: a bad value exits 2 with a message naming
// the option and what is allowed; 0x and clinic on a cluster are refused with the tools that can.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../src/paths.js';

function cli(...args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(packageRoot, 'bin', 'servebench.js'), 'profile', ...args], { timeout: 30_000 }, (err, _stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stderr });
    });
  });
}

describe('servebench profile options', () => {
  it.each([
    [['--tool', 'gprof'], /--tool: must be one of 0x, doctor, flame, bubbleprof, heap, cpuprof, perf; got 'gprof'/],
    [['--path', 'sync,maybe'], /--path: must be one of sync, async; got 'maybe'/],
    [['--tool', '0x', '--topology', 'cluster'], /--tool: 0x cannot profile cluster workers .*use --tool cpuprof or perf/],
    [['--kernel', 'naive'], /--kernel: applies only to --predict cpu/],
    [['--duration', '2h'], /--duration: must be between 500 ms and 600000 ms/],
    [['--connections', '0'], /--connections: must be between 1 and 10000, got 0/],
    [['--workers', '2'], /--workers: applies to --topology cluster or nginx/],
  ])('%j exits 2 naming the option', async (args, message) => {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
