// Server-side sampling: CPU % and RSS of any pid from /proc, and the processes' own metrics differenced
// over the window (requests, event-loop figures, the scoring timing breakdown).

import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { Supervisor, sleep } from '../src/processes/index.js';
import { ServerSampler, type MetricsSource } from '../src/load/sampler.js';
import { descendantsOf, readProcStat } from '../src/load/proc.js';
import type { ProcessMetrics } from '../src/results/serving.js';

const sup = new Supervisor();
afterAll(() => sup.stopAll());

describe('server sampler', () => {
  it('measures the CPU share each process got (as /proc counts it): a spinner far above a sleeper', async () => {
    const busy = await sup.start({
      name: 'spinner',
      command: process.execPath,
      args: ['-e', "console.log('up'); for(;;){}"],
      ready: { kind: 'line', pattern: /up/ },
    });
    const idle = await sup.start({
      name: 'sleeper',
      command: process.execPath,
      args: ['-e', "console.log('up'); setInterval(() => {}, 1000)"],
      ready: { kind: 'line', pattern: /up/ },
    });
    const sampler = new ServerSampler(
      [
        { role: 'busy', pid: busy.pid, name: 'spinner' },
        { role: 'idle', pid: idle.pid, name: 'sleeper' },
      ],
      undefined,
      100,
    );
    // The share each really got over the window, from its CPU time in /proc: on a busy host the spinner gets
    // less than a core, so the sampler is checked against what happened, not against a fixed share.
    const cpuAt = () => [readProcStat(busy.pid)!.cpuSeconds, readProcStat(idle.pid)!.cpuSeconds, performance.now()] as const;
    const before = cpuAt();
    sampler.startWindow();
    await sleep(1200);
    const [b, i] = sampler.endWindow();
    const after = cpuAt();
    sampler.close();
    await busy.stop();
    await idle.stop();
    const wallS = (after[2] - before[2]) / 1000;
    const truth = { busy: ((after[0] - before[0]) / wallS) * 100, idle: ((after[1] - before[1]) / wallS) * 100 };
    expect(b!.samples).toBeGreaterThan(5);
    // The sampler's mean is the share the process got (within /proc's 10 ms ticks and the window's edges) ...
    expect(Math.abs(b!.cpuPercent!.mean - truth.busy)).toBeLessThan(15);
    expect(Math.abs(i!.cpuPercent!.mean - truth.idle)).toBeLessThan(15);
    // ... and the spinner, whatever share of a core it got, shows far above the sleeper.
    expect(b!.cpuPercent!.mean).toBeGreaterThan(3 * i!.cpuPercent!.mean + 5);
    expect(b!.rssBytes!.max).toBeGreaterThan(1_000_000);
    expect(b!.eventLoopUtilization).toBeNull();
    expect(b!.requests).toBeNull();
  });

  it('notes a process that exits during the window', async () => {
    const p = await sup.start({
      name: 'short',
      command: process.execPath,
      args: ['-e', "console.log('up'); setTimeout(() => {}, 300)"],
      ready: { kind: 'line', pattern: /up/ },
    });
    const sampler = new ServerSampler([{ role: 'short', pid: p.pid, name: 'short' }], undefined, 50);
    sampler.startWindow();
    await p.waitForExit(5000);
    await sleep(100);
    const [s] = sampler.endWindow();
    sampler.close();
    expect(s!.notes.join(' ')).toMatch(/exited/);
  });

  it('follows a child that starts during the window (a replaced worker), and says so', async () => {
    // The parent starts one child at once and a second after 1.2 s; both just sleep.
    const script = [
      "const { spawn } = require('node:child_process');",
      "const child = () => spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });",
      'const kids = [child()];',
      "console.log('up');",
      'setTimeout(() => kids.push(child()), 1200);',
      "process.on('SIGTERM', () => { for (const k of kids) k.kill(); process.exit(0); });",
      'setInterval(() => {}, 1000);',
    ].join('\n');
    const parent = await sup.start({ name: 'parent', command: process.execPath, args: ['-e', script], ready: { kind: 'line', pattern: /up/ } });
    await sleep(300);
    const sampler = new ServerSampler([{ role: 'parent', pid: parent.pid, name: 'parent' }], undefined, 100);
    sampler.startWindow();
    await sleep(2600);
    const summaries = sampler.endWindow();
    sampler.close();
    await parent.stop();
    const children = summaries.filter((s) => s.role === 'parent-child');
    expect(children).toHaveLength(2);
    const [first, second] = children;
    expect(first!.notes.join(' ')).not.toMatch(/started during the window/);
    expect(second!.notes.join(' ')).toMatch(/started during the window/);
    expect(second!.samples).toBeGreaterThan(0);
  });

  it('differences the metrics over the window, from the last sample before it', () => {
    const listeners: ((m: ProcessMetrics) => void)[] = [];
    const source: MetricsSource = (l) => {
      listeners.push(l);
      return () => undefined;
    };
    const m = (requests: number, elu: number, sums: number): ProcessMetrics => ({
      role: 'scoring',
      pid: process.pid,
      atMs: Date.now(),
      cpuUserUs: 0,
      cpuSystemUs: 0,
      rssBytes: 1,
      eventLoopUtilization: elu,
      eventLoopDelayP99Ms: 2,
      requests,
      timingSumsMs: { featureRead: sums, modelA: sums * 10, modelB: sums * 10, total: sums * 21, queue: 0 },
    });
    const sampler = new ServerSampler([{ role: 'scoring', pid: process.pid, name: 'self' }], source, 1000, false);
    const emit = (x: ProcessMetrics) => listeners.forEach((l) => l(x));
    emit(m(100, 0.1, 100));
    sampler.startWindow();
    emit(m(150, 0.5, 150));
    emit(m(200, 0.7, 200));
    const [s] = sampler.endWindow();
    const timing = sampler.serverTiming();
    sampler.close();
    expect(s!.requests).toBe(100);
    expect(s!.eventLoopUtilization).toEqual({ mean: 0.6, max: 0.7 });
    expect(s!.eventLoopDelayP99Us).toEqual({ mean: 2000, max: 2000 });
    // 100 requests, 100 ms of feature reads in all: 1 ms = 1000 us each.
    expect(timing).toEqual({ requests: 100, featureRead: 1000, modelA: 10_000, modelB: 10_000, total: 21_000, queue: 0 });
  });

  it('reads /proc for this process and finds child processes', async () => {
    const me = readProcStat(process.pid);
    expect(me?.cpuSeconds).toBeGreaterThan(0);
    expect(me?.rssBytes).toBeGreaterThan(1_000_000);
    const child = await sup.start({
      name: 'kid',
      command: process.execPath,
      args: ['-e', "console.log('up'); setInterval(() => {}, 1000)"],
      ready: { kind: 'line', pattern: /up/ },
    });
    expect(descendantsOf([process.pid]).map((d) => d.pid)).toContain(child.pid);
    await child.stop();
    expect(readProcStat(child.pid)).toBeUndefined();
  });
});
