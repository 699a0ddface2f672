// `servebench bench`: suites become sections of one results.json in a run folder, rendered as results.md
// and results.html; `servebench report` re-renders the saved file; Ctrl-C keeps what finished, marks the suite
// under way interrupted and those it kept from starting skipped, and writes results.json once after it.

import { existsSync, mkdtempSync, readFileSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../src/paths.js';
import { Supervisor } from '../src/processes/index.js';
import type { BenchResults } from '../src/report/run-report.js';

const out = mkdtempSync(join(tmpdir(), 'servebench-bench-'));
const sup = new Supervisor();
afterAll(async () => {
  await sup.stopAll();
  rmSync(out, { recursive: true, force: true });
});

const cli = (name: string, args: string[], ready?: RegExp) =>
  sup.start({
    name,
    command: process.execPath,
    args: [join(packageRoot, 'bin', 'servebench.js'), ...args],
    ...(ready === undefined ? {} : { ready: { kind: 'line' as const, pattern: ready }, readyTimeoutMs: 90_000 }),
  });

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as BenchResults;

describe('servebench bench', () => {
  it('writes one results.json with a section per suite, results.md and results.html, and report re-renders it', async () => {
    const dir = join(out, 'hw');
    const p = await cli('bench-hw', ['bench', '--suites', 'hardware', '--quick', '--out', dir]);
    const exit = await p.waitForExit(90_000);
    expect(exit.code, p.output()).toBe(0);
    const r = read(join(dir, 'results.json'));
    expect(r.schema).toBe('servebench');
    expect(r.kind).toBe('bench');
    expect(r.data.suites.map((s) => [s.suite, s.state])).toEqual([['hardware', 'completed']]);
    expect(r.data.sections.hardware?.timers.length).toBeGreaterThan(0);
    expect(r.env.cpu.logicalCores).toBeGreaterThan(0);
    const md = readFileSync(join(dir, 'results.md'), 'utf8');
    expect(md).toMatch(/^# servebench run/m);
    expect(md).toMatch(/^## Environment/m);
    expect(md).toMatch(/^## Doubtful figures/m);
    expect(readFileSync(join(dir, 'results.html'), 'utf8')).toMatch(/<h2[^>]*>Environment and hardware<\/h2>/);
    expect(existsSync(join(dir, 'hardware.html'))).toBe(true);
    // The terminal summary goes to stdout, and names the results files.
    expect(p.output()).toMatch(/results: .*results\.json/);

    const rep = await cli('report-md', ['report', join(dir, 'results.json'), '--format', 'md']);
    expect((await rep.waitForExit(30_000)).code).toBe(0);
    expect(rep.output()).toMatch(/^# servebench run/m);
  });

  it('keeps the finished suites and the partial one when interrupted, lists those not reached as skipped, and exits 130', async () => {
    const dir = join(out, 'int');
    // ready once the kernels suite has finished its first benchmark process
    const p = await cli('bench-int', ['bench', '--suites', 'hardware,kernels,capacity', '--quick', '--out', dir], /\[kernels\] .*done in/);
    // results.json appears under its own name each time the atomic writer renames a temp file onto it.
    const writes: string[] = [];
    const watcher = watch(dir, (_event, name) => {
      if (name === 'results.json') writes.push(name);
    });
    p.signal('SIGINT');
    const exit = await p.waitForExit(30_000);
    await new Promise((r) => setTimeout(r, 200));
    watcher.close();
    expect(exit.code, p.output()).toBe(130);
    expect(writes).toEqual(['results.json']);
    const r = read(join(dir, 'results.json'));
    expect(r.data.suites.map((s) => [s.suite, s.state])).toEqual([
      ['hardware', 'completed'],
      ['kernels', 'interrupted'],
      ['capacity', 'skipped'],
    ]);
    expect(r.data.suites[2]).toMatchObject({ reason: 'interrupted', durationMs: 0 });
    expect(r.data.sections.hardware).toBeDefined();
    expect(r.data.sections.kernels?.interrupted).toBe(true);
    expect(r.data.sections.kernels?.entries.some((e) => e.state === 'completed')).toBe(true);
    expect(r.data.sections.capacity).toBeUndefined();
  });

  it('rejects an unknown suite, naming the option and the allowed values', async () => {
    const p = await cli('bench-bad', ['bench', '--suites', 'hardware,gpu']);
    expect((await p.waitForExit(30_000)).code).toBe(2);
    expect(p.output()).toMatch(/--suites: must be one of hardware, kernels, capacity, load, experiments, profile, concurrency; got 'gpu'/);
  });
});
