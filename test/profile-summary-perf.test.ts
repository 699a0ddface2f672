// perf captures are summarised per process from `perf script` output: JavaScript frames named through
// node's perf map, Rust frames of the native addon by symbol, kernel frames; samples outside the load window
// left out.
import { describe, expect, it } from 'vitest';
import { PerfScriptReader } from '../src/profile/perf-script.js';
import { groupFraction, summarize } from '../src/profile/summary.js';

const script = `node 4242/4242   100.000100: 
\t    7f00000010 JS:*fixtureHotLoop /srv/app.js:12:20+0x52 (/tmp/perf-4242.map)
\t    7f00000020 JS:^handler /srv/app.js:3:10+0x10 (/tmp/perf-4242.map)
\t          2724a __libc_start_call_main+0x7a (/usr/lib/x86_64-linux-gnu/libc.so.6)

node 4242/4242   100.000200: 
\t    2a3f0 servebench_native::mean::x86::sum_avx512+0x40 (/srv/native/servebench-native.linux-x64-gnu.node)
\t    7f00000020 JS:^handler /srv/app.js:3:10+0x10 (/tmp/perf-4242.map)

node 4242/4243   100.000300: 
\tffffffff815ee9b5 do_epoll_wait+0x5 ([kernel.kallsyms])
\t          98109 epoll_wait+0x19 (/usr/lib/x86_64-linux-gnu/libc.so.6)

node 4242/4242   100.000400: 
\t         155e476 Builtins_CEntry_Return1_ArgvOnStack_NoBuiltinExit+0x36 (/usr/bin/node)
\t    7f00000020 JS:~handler node:internal/streams/readable:10:1+0x10 (/tmp/perf-4242.map)

node 5151/5151   100.000500: 
\t    7f00000010 JS:*fixtureHotLoop /srv/app.js:12:20+0x52 (/tmp/perf-5151.map)

node 4242/4242   900.000000: 
\t    7f00000010 JS:*fixtureHotLoop /srv/app.js:12:20+0x52 (/tmp/perf-4242.map)
`;

describe('perf script summaries', () => {
  it('names JIT and Rust frames, groups them, and keeps per-process samples inside the window', () => {
    const reader = new PerfScriptReader({ windowUs: { startUs: 100_000_000, endUs: 101_000_000 } });
    for (const line of script.split('\n')) reader.line(line);
    const procs = reader.finish(2004);
    expect(procs.map((p) => p.pid)).toEqual([4242, 5151]);
    const s = summarize(procs[0]!.profile, { source: 'perf-script', process: 'scoring', pids: [4242] });
    expect(s.total).toBe(4); // the sample at 900 s is outside the window
    expect(s.sampleIntervalUs).toBe(2004);
    expect(groupFraction(s, 'app')).toBeCloseTo(0.25, 6);
    expect(groupFraction(s, 'native-addon')).toBeCloseTo(0.25, 6);
    expect(groupFraction(s, 'system')).toBeCloseTo(0.25, 6);
    expect(groupFraction(s, 'v8')).toBeCloseTo(0.25, 6);
    expect(s.topFunctions.map((f) => f.name)).toEqual(expect.arrayContaining(['fixtureHotLoop', 'servebench_native::mean::x86::sum_avx512', 'do_epoll_wait']));
    const hot = s.topFunctions.find((f) => f.name === 'fixtureHotLoop')!;
    expect(hot.location).toBe('/srv/app.js:12');
    expect(hot).toMatchObject({ self: 1, inclusive: 1, group: 'app' });
    // a V8 builtin inside the node binary is charged to V8
    expect(s.topFunctions.find((f) => f.name.startsWith('Builtins_CEntry'))?.group).toBe('v8');
  });
});
