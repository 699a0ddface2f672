// Summaries of V8 CPU profiles are extracted from the data alone: self time per function and its share,
// frames grouped (app, node internals, V8/GC, native addon, idle), a line that calls Atomics.wait charged
// to "blocked waiting" (idle on a worker thread), the addon's time split out of its JavaScript wrapper, and
// only the samples inside the load window counted when one is given.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cpuProfileToStacks, type CpuProfile } from '../src/profile/cpuprofile.js';
import { groupFraction, summarize } from '../src/profile/summary.js';

const dir = mkdtempSync(join(tmpdir(), 'servebench-cpuprofile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// app.js: line 2 waits, line 3 computes; wrapper.js: line 2 calls the addon.
const app = join(dir, 'app.js');
writeFileSync(app, ['function handler() {', '  Atomics.wait(view, 0, 0, 50);', '  return compute();', '}'].join('\n'));
const wrapper = join(dir, 'native.js');
writeFileSync(wrapper, ['export function mean(arg) {', "  return binding('native').mean(arg);", '}'].join('\n'));

const cf = (functionName: string, url: string, lineNumber = 0) => ({ functionName, url, lineNumber, columnNumber: 0, scriptId: '1' });

function profile(): CpuProfile {
  // ids: 1 root, 2 (idle), 3 (garbage collector), 4 handler (app), 5 writev under node's writevGeneric (6),
  // 7 compute (app), 8 mean (wrapper)
  const nodes = [
    { id: 1, callFrame: cf('(root)', ''), children: [2, 3, 4, 6, 8] },
    { id: 2, callFrame: cf('(idle)', '') },
    { id: 3, callFrame: cf('(garbage collector)', '') },
    {
      id: 4,
      callFrame: cf('handler', pathToFileURL(app).href, 0),
      children: [7],
      positionTicks: [
        { line: 2, ticks: 60 },
        { line: 3, ticks: 0 },
      ],
    },
    { id: 6, callFrame: cf('writevGeneric', 'node:internal/stream_base_commons', 122), children: [5] },
    { id: 5, callFrame: cf('writev', '') },
    { id: 7, callFrame: cf('compute', pathToFileURL(app).href, 5), positionTicks: [{ line: 6, ticks: 20 }] },
    { id: 8, callFrame: cf('mean', pathToFileURL(wrapper).href, 0), positionTicks: [{ line: 2, ticks: 10 }] },
  ];
  // 60 samples in handler (all on the Atomics.wait line), 20 in compute, 10 idle, 5 GC, 5 writev, 10 in the
  // addon's wrapper: 110 samples 1 ms apart, in this order.
  const order: [number, number][] = [
    [4, 60],
    [7, 20],
    [2, 10],
    [3, 5],
    [5, 5],
    [8, 10],
  ];
  const samples = order.flatMap(([id, n]) => Array<number>(n).fill(id));
  return { nodes, startTime: 1_000_000, endTime: 1_000_000 + 110_000, samples, timeDeltas: samples.map(() => 1000) };
}

describe('V8 CPU profile summaries', () => {
  it('groups frames, charges the Atomics.wait line to blocked waiting and the addon call to the addon', () => {
    const stacks = cpuProfileToStacks(profile(), { addonFunctions: new Set(['mean']), addonWrappers: [wrapper] });
    const s = summarize(stacks, { source: 'v8-cpuprofile', process: 'test', pids: [1] });
    expect(s.total).toBe(110);
    expect(groupFraction(s, 'blocked')).toBeCloseTo(60 / 110, 6);
    expect(groupFraction(s, 'app')).toBeCloseTo(20 / 110, 6);
    expect(groupFraction(s, 'idle')).toBeCloseTo(10 / 110, 6);
    expect(groupFraction(s, 'v8')).toBeCloseTo(5 / 110, 6);
    expect(groupFraction(s, 'node')).toBeCloseTo(5 / 110, 6);
    expect(groupFraction(s, 'native-addon')).toBeCloseTo(10 / 110, 6);
    expect(s.groups[0]!.group).toBe('blocked');
    const top = s.topFunctions[0]!;
    expect(top).toMatchObject({ name: '(blocked) Atomics.wait', location: `${app}:2`, group: 'blocked', self: 60 });
    // handler is on the stack of its own wait and of compute
    expect(s.topFunctions.find((f) => f.name === 'compute')).toMatchObject({ self: 20, group: 'app' });
    expect(s.topFunctions.find((f) => f.name === '(native) mean')).toMatchObject({ self: 10, group: 'native-addon' });
    expect(s.topFunctions.find((f) => f.name === 'writev')).toMatchObject({ group: 'node' });
    const handlerInclusive = summarize(stacks, { source: 'v8-cpuprofile', process: 'test', pids: [1], top: 20 }).topFunctions;
    expect(handlerInclusive.find((f) => f.name === 'compute')!.inclusiveFraction).toBeCloseTo(20 / 110, 6);
  });

  it('on a worker thread, Atomics.wait is a pool worker waiting for work: idle', () => {
    const s = summarize(cpuProfileToStacks(profile(), { atomicsWait: 'idle' }), { source: 'v8-cpuprofile', process: 'worker', pids: [1] });
    expect(groupFraction(s, 'blocked')).toBe(0);
    expect(groupFraction(s, 'idle')).toBeCloseTo(70 / 110, 6);
  });

  it('counts only the samples inside the load window', () => {
    // The window covers the first 80 samples: the 60 waiting and the 20 computing.
    const stacks = cpuProfileToStacks(profile(), { windowUs: { startUs: 1_000_000, endUs: 1_000_000 + 80_500 } });
    const s = summarize(stacks, { source: 'v8-cpuprofile', process: 'test', pids: [1] });
    expect(s.total).toBe(80);
    expect(s.window).toBe('load');
    expect(groupFraction(s, 'idle')).toBe(0);
    expect(groupFraction(s, 'blocked')).toBeCloseTo(60 / 80, 6);
  });
});
