// Each profiler that works on Node 20 profiles the fixture service under load (its cpu mode, with the
// obvious hot function fixtureHotLoop): the artefact exists, and the summaries extracted from the profile
// data name the hot function. A tool that is not usable here is reported with its error, never hidden.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { setQuiet } from '../src/progress.js';
import { runSuiteToFile } from '../src/run/run-suite.js';
import { profileSuite } from '../src/run/suites/profile.js';
import { perfInfo } from '../src/profile/tools/installed.js';
import type { ProfileCase, ProfileToolName } from '../src/results/profile.js';
import { fixtureTarget } from './profile-fixtures.js';
import { needTool } from './needs-tool.js';

setQuiet(true);
const out = mkdtempSync(join(tmpdir(), 'servebench-profile-tools-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

async function profile(tool: ProfileToolName): Promise<ProfileCase> {
  const run = await runSuiteToFile(
    profileSuite,
    {
      tools: [tool],
      paths: ['sync'],
      predict: 'cpu',
      durationMs: 1500,
      connections: 4,
      outDir: join(out, tool),
      startTarget: fixtureTarget(),
    },
    { outDir: join(out, tool) },
  );
  const data = run.result.data;
  expect(existsSync(join(out, tool, 'profile.json'))).toBe(true);
  expect(data.cases).toHaveLength(1);
  return data.cases[0]!;
}

function completed(c: ProfileCase): Extract<ProfileCase, { state: 'completed' }> {
  if (c.state !== 'completed') throw new Error(`${c.id} did not complete: ${c.state === 'errored' ? c.error.message : c.reason}`);
  return c;
}

function artefact(c: Extract<ProfileCase, { state: 'completed' }>, pattern: RegExp, tool: string): string {
  const a = c.artefacts.find((x) => pattern.test(x.path));
  expect(a, `${tool}: an artefact matching ${pattern}; got ${c.artefacts.map((x) => x.path).join(', ')}`).toBeDefined();
  expect(a!.bytes).toBeGreaterThan(1000);
  return join(out, tool, a!.path);
}

function topNames(c: Extract<ProfileCase, { state: 'completed' }>): string[] {
  return c.summaries.flatMap((s) => s.topFunctions.slice(0, 5).map((f) => f.name));
}

describe('profilers on the fixture service', () => {
  it('0x: a flame graph, and a tick-log summary naming the hot function', async () => {
    const c = completed(await profile('0x'));
    const html = artefact(c, /0x\/flamegraph\.html$/, '0x');
    expect(readFileSync(html, 'utf8')).toContain('fixtureHotLoop');
    expect(c.summaries[0]!.source).toBe('v8-tick-log');
    expect(topNames(c)).toContain('fixtureHotLoop');
  });

  it('clinic doctor: a report, and its detected category in the results', async () => {
    const c = completed(await profile('doctor'));
    artefact(c, /\.clinic-doctor\.html$/, 'doctor');
    expect(['event-loop', 'io', 'gc', 'none', 'data', 'unknown']).toContain(c.doctor?.category);
    expect(c.doctor?.title).toMatch(/issue/);
  });

  it('clinic flame: a flame graph, and a summary naming the hot function', async () => {
    const c = completed(await profile('flame'));
    artefact(c, /\.clinic-flame\.html$/, 'flame');
    expect(c.summaries[0]!.source).toBe('clinic-flame-samples');
    expect(topNames(c)).toContain('fixtureHotLoop');
  });

  it('clinic bubbleprof: a report', async () => {
    const c = completed(await profile('bubbleprof'));
    artefact(c, /\.clinic-bubbleprof\.html$/, 'bubbleprof');
  });

  it('clinic heap-profiler: a report, and a summary of sampled bytes', async () => {
    const c = completed(await profile('heap'));
    artefact(c, /\.clinic-heapprofiler\.html$/, 'heap');
    expect(c.summaries[0]).toMatchObject({ source: 'v8-heap-profile', unit: 'bytes' });
    expect(c.summaries[0]!.total).toBeGreaterThan(0);
  });

  it('--cpu-prof: a flame graph drawn from the .cpuprofile, and a summary naming the hot function', async () => {
    const c = completed(await profile('cpuprof'));
    const html = artefact(c, /flamegraph-CPU\..*\.html$/, 'cpuprof');
    expect(readFileSync(html, 'utf8')).toContain('fixtureHotLoop');
    artefact(c, /\.cpuprofile$/, 'cpuprof');
    const s = c.summaries[0]!;
    expect(s).toMatchObject({ source: 'v8-cpuprofile', window: 'load', blockedDetection: 'source-line' });
    expect(s.topFunctions[0]!.name).toBe('fixtureHotLoop');
    expect(s.groups[0]!.group).toBe('app');
  });

  it('perf: JIT frames by name', async (ctx) => {
    const info = await perfInfo('perf');
    needTool(ctx, 'perf', info.available, `Debian: apt-get install linux-perf; here: ${info.note ?? 'unavailable'}`);
    const done = completed(await profile('perf'));
    const html = artefact(done, /flamegraph-perf-\d+\.html$/, 'perf');
    expect(readFileSync(html, 'utf8')).toContain('fixtureHotLoop');
    expect(done.summaries[0]!.source).toBe('perf-script');
    expect(topNames(done)).toContain('fixtureHotLoop');
  });
});
