// Heap profiles (clinic heap-profiler's sampling profile) are summarised in bytes: the functions whose
// sampled allocations are still live, grouped like CPU time.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { heapProfileToStacks } from '../src/profile/heap-profile.js';
import { groupFraction, summarize } from '../src/profile/summary.js';

const dir = mkdtempSync(join(tmpdir(), 'servebench-heap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const node = (functionName: string, url: string, selfSize: number, children: unknown[] = []) => ({
  callFrame: { functionName, url, lineNumber: 4, columnNumber: 0, scriptId: '1' },
  selfSize,
  children,
});

describe('heap profile summaries', () => {
  it('weighs functions by live sampled bytes', () => {
    const file = join(dir, '77.clinic-heapprofiler');
    const head = node('(root)', '', 0, [
      node('loadVectors', 'file:///srv/app.js', 3000, [node('readFileSync', 'node:fs', 1000)]),
      node('parse', '/srv/node_modules/x/index.js', 1000),
    ]);
    writeFileSync(file, JSON.stringify({ head, samples: [] }));
    const s = summarize(heapProfileToStacks(file), { source: 'v8-heap-profile', process: 'scoring', pids: [77] });
    expect(s.unit).toBe('bytes');
    expect(s.total).toBe(5000);
    expect(s.topFunctions[0]).toMatchObject({ name: 'loadVectors', location: '/srv/app.js:5', self: 3000, inclusive: 4000 });
    expect(groupFraction(s, 'app')).toBeCloseTo(0.6, 6);
    expect(groupFraction(s, 'node')).toBeCloseTo(0.2, 6);
    expect(groupFraction(s, 'dependencies')).toBeCloseTo(0.2, 6);
  });
});
