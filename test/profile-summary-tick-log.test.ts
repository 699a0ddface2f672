// Tick profiles (0x's preprocessed V8 log, clinic flame's samples) are summarised from their data: V8's VM
// state of each tick says blocked (Atomics.wait), idle, GC, compiling, or the profiler writing its own log;
// samples without VM states (clinic flame) cannot tell a wait from work and say so.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { groupFraction, summarize } from '../src/profile/summary.js';
import { flameSamplesToStacks, tickLogToStacks } from '../src/profile/tick-log.js';

const dir = mkdtempSync(join(tmpdir(), 'servebench-ticklog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const code = [
  { name: '/usr/lib/x86_64-linux-gnu/libc.so.6', type: 'SHARED_LIB' },
  { name: 'handler /srv/app.js:3:10', type: 'JS', kind: 'Opt' },
  { name: 'emit node:events:471:44', type: 'JS', kind: 'Opt' },
  { name: '__write@@GLIBC_2.2.5', type: 'CPP' },
  { name: 'epoll_pwait@@GLIBC_2.6', type: 'CPP' },
  { name: ' /srv/app.js:1:1', type: 'JS', kind: 'Unopt' },
];
// s: [code index, offset] pairs, leaf first
const tick = (vm: number, ...stack: number[]) => ({ tm: 0, vm, s: stack.flatMap((i) => [i, 0]) });

describe('tick log summaries', () => {
  it('0x: VM states decide blocked, idle, GC, compiler and profiler time', () => {
    const ticks = [
      ...Array.from({ length: 50 }, () => tick(7, 0, 1, 2)), // ATOMICS_WAIT in libc under handler
      ...Array.from({ length: 20 }, () => tick(0, 1, 2)), // JS running handler
      ...Array.from({ length: 10 }, () => tick(8, 4)), // IDLE
      ...Array.from({ length: 5 }, () => tick(1, 1)), // GC
      ...Array.from({ length: 10 }, () => tick(4, 3, 1)), // COMPILER writing (--print-opt-source / log)
      ...Array.from({ length: 5 }, () => tick(3, 5)), // BYTECODE_COMPILER
    ];
    const file = join(dir, 'isolate-0x1-123-123-v8.log.json');
    writeFileSync(file, JSON.stringify({ code, ticks }));
    const p = tickLogToStacks(file);
    expect(p.blockedDetection).toBe('vm-state');
    const s = summarize(p, { source: 'v8-tick-log', process: 'scoring pid 123', pids: [123] });
    expect(s.total).toBe(100);
    expect(groupFraction(s, 'blocked')).toBeCloseTo(0.5, 6);
    expect(groupFraction(s, 'app')).toBeCloseTo(0.2, 6);
    expect(groupFraction(s, 'idle')).toBeCloseTo(0.1, 6);
    expect(groupFraction(s, 'v8')).toBeCloseTo(0.1, 6); // GC + bytecode compiler
    expect(groupFraction(s, 'profiler')).toBeCloseTo(0.1, 6);
    expect(s.topFunctions[0]).toMatchObject({ name: '(blocked) Atomics.wait', location: '/srv/app.js:3', self: 50 });
    expect(s.topFunctions.find((f) => f.name === 'handler')).toMatchObject({ location: '/srv/app.js:3', group: 'app', self: 20 });
  });

  it('clinic flame samples: no VM states, so a wait cannot be told from work; epoll is idle', () => {
    const file = join(dir, '123.clinic-flame-samples');
    const frames = (...idx: number[]) => idx.map((i) => code[i]);
    writeFileSync(file, JSON.stringify([frames(2, 1, 0), frames(2, 1, 0), frames(2, 1), frames(4), []]));
    const p = flameSamplesToStacks(file);
    expect(p.blockedDetection).toBe('not-possible');
    const s = summarize(p, { source: 'clinic-flame-samples', process: 'scoring', pids: [] });
    expect(s.total).toBe(4);
    expect(groupFraction(s, 'system')).toBeCloseTo(0.5, 6);
    expect(groupFraction(s, 'app')).toBeCloseTo(0.25, 6);
    expect(groupFraction(s, 'idle')).toBeCloseTo(0.25, 6);
  });
});
