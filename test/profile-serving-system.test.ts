// The profile suite on the real serving system: under the io predict the scoring handler's sync path spends
// its samples blocked waiting and its async path idle (the theory of seed 004), and under the cpu predict a
// model API's profile names the naive kernel as its hot function.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compiledEntry } from '../src/paths.js';
import { runProfileSuite } from '../src/profile/suite.js';
import { groupFraction } from '../src/profile/summary.js';
import { setQuiet } from '../src/progress.js';
import type { ProfileCase } from '../src/results/profile.js';

setQuiet(true);
const out = mkdtempSync(join(tmpdir(), 'servebench-profile-system-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function done(c: ProfileCase | undefined): Extract<ProfileCase, { state: 'completed' }> {
  if (c?.state !== 'completed') throw new Error(`not completed: ${JSON.stringify(c)}`);
  return c;
}

/** The line of the naive kernel's function in the compiled kernels module (what V8 reports). */
function naiveMeanLine(): number {
  const lines = readFileSync(compiledEntry('src/kernels/js'), 'utf8').split('\n');
  return lines.findIndex((l) => /^function naiveMean\(/.test(l)) + 1;
}

describe('profiling the serving system', () => {
  it('io predict: the sync scoring handler is blocked waiting, the async one idle (--cpu-prof)', async () => {
    const data = await runProfileSuite({
      tools: ['cpuprof'],
      paths: ['sync', 'async'],
      predict: 'io',
      durationMs: 2500,
      connections: 10,
      outDir: join(out, 'io'),
    });
    const sync = done(data.cases.find((c) => c.path === 'sync')).summaries.find((s) => s.process.startsWith('scoring pid'))!;
    const async = done(data.cases.find((c) => c.path === 'async')).summaries.find((s) => s.process.startsWith('scoring pid'))!;
    expect(groupFraction(sync, 'blocked')).toBeGreaterThan(0.5);
    expect(groupFraction(async, 'blocked')).toBeLessThan(0.05);
    expect(groupFraction(async, 'idle')).toBeGreaterThan(groupFraction(async, 'blocked') + 0.2);
  });

  it('cpu predict: the model API profile names the naive kernel as its hot function', async () => {
    const data = await runProfileSuite({
      tools: ['cpuprof'],
      service: 'model',
      paths: ['sync'],
      predict: 'cpu',
      kernel: 'naive',
      n: 300_000,
      durationMs: 2000,
      connections: 4,
      outDir: join(out, 'cpu'),
    });
    const c = done(data.cases[0]);
    expect(c.id).toBe('sync-cpu-naive-model-cpuprof');
    const s = c.summaries.find((x) => x.process.startsWith('model-a pid'))!;
    const kernel = s.topFunctions.find((f) => f.name === 'naiveMean' && /kernels\/js\.js:\d+$/.test(f.location));
    expect(kernel, JSON.stringify(s.topFunctions.slice(0, 5))).toBeDefined();
    expect(kernel!.location.endsWith(`:${naiveMeanLine()}`)).toBe(true);
    expect(kernel!.group).toBe('app');
    expect(kernel!.selfFraction).toBeGreaterThan(0.1);
  });
});
