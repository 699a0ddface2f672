// The noise check: busy and stolen CPU time over the window from /proc/stat, the busiest processes from
// /proc/<pid>/stat, the load average; a busy host is flagged (quiet: false) with a warning that says why.

import { afterEach, describe, expect, it } from 'vitest';
import { checkNoise } from '../src/env/noise.js';
import { createHostSources, type HostSources } from '../src/env/sources.js';
import { fakeHost, type FakeHost } from './hw-fixtures.js';

let host: FakeHost | undefined;
afterEach(() => host?.remove());

/** /proc/stat text: user nice system idle iowait irq softirq steal, over 2 CPUs. */
const stat = (user: number, idle: number, steal = 0) => `cpu  ${user} 0 0 ${idle} 0 0 0 ${steal} 0 0\ncpu0 0 0 0 0 0 0 0 0 0 0\ncpu1 0 0 0 0 0 0 0 0 0 0\n`;

/** A host whose /proc/stat and one process's stat advance between the two readings. */
function sequenced(base: HostSources, stats: string[], procTicks: number[]): HostSources {
  let s = 0;
  let p = 0;
  return {
    ...base,
    readText(path) {
      if (path === '/proc/stat') return stats[Math.min(s++, stats.length - 1)];
      if (path === '/proc/4242/stat') return `4242 (busy loop) R 1 ${'0 '.repeat(9)}${procTicks[Math.min(p++, procTicks.length - 1)]} 0 0 0`;
      return base.readText(path);
    },
    list(path) {
      return path === '/proc' ? ['4242', 'self'] : base.list(path);
    },
  };
}

describe('noise check', () => {
  it('calls a host quiet when little else runs', async () => {
    host = fakeHost(
      { '/proc/loadavg': '0.10 0.20 0.30 1/100 999\n' },
      { os: { cpus: () => [...Array(2)].map(() => ({ model: 'x', speed: 0, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } })) } },
    );
    const check = await checkNoise(sequenced(host.sources, [stat(100, 1000), stat(110, 1190)], [0, 0]), { windowMs: 5 });
    expect(check.quiet).toBe(true);
    expect(check.busyFraction).toBeCloseTo(10 / 200, 5);
    expect(check.stealFraction).toBe(0);
    expect(check.loadAverage).toEqual([0.1, 0.2, 0.3]);
    expect(check.warnings).toEqual([]);
  });

  it('flags a busy host and names the busiest process', async () => {
    host = fakeHost(
      { '/proc/loadavg': '3.50 1.00 0.50 3/100 999\n' },
      { os: { cpus: () => [...Array(2)].map(() => ({ model: 'x', speed: 0, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } })) } },
    );
    // 200 ticks over 2 CPUs in the window: 150 busy, 30 stolen; pid 4242 used 100 ticks = 1 core
    const check = await checkNoise(sequenced(host.sources, [stat(0, 0, 0), stat(150, 20, 30)], [500, 600]), { windowMs: 5 });
    expect(check.quiet).toBe(false);
    expect(check.busyFraction).toBeCloseTo(0.9, 5);
    expect(check.stealFraction).toBeCloseTo(0.15, 5);
    expect(check.loadPerCore).toBeCloseTo(1.75, 5);
    expect(Array.isArray(check.busiestProcesses) && check.busiestProcesses[0]).toMatchObject({ pid: 4242, name: 'busy loop', cpuCores: 1, self: false });
    expect(check.warnings).toHaveLength(3);
    expect(check.warnings.join('\n')).toMatch(/busy loop \(pid 4242, 1\.00 cores\)/);
    expect(check.warnings.join('\n')).toMatch(/stole 15\.0%/);
  });

  it('counts the busy time no listed process accounts for: short-lived processes, gone before the window ended', async () => {
    host = fakeHost(
      { '/proc/loadavg': '1.90 1.00 0.50 3/100 999\n' },
      { os: { cpus: () => [...Array(2)].map(() => ({ model: 'x', speed: 0, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } })) } },
    );
    // 160 of 200 ticks busy; the one process seen used 20 ticks (0.2 cores): 1.4 cores came from processes no snapshot saw
    const check = await checkNoise(sequenced(host.sources, [stat(0, 0), stat(160, 40)], [500, 520]), { windowMs: 5 });
    expect(check.unattributedCores).toBeCloseTo(1.4, 5);
    expect(check.warnings.join('\n')).toMatch(
      /busiest: busy loop \(pid 4242, 0\.20 cores\); short-lived processes \(gone before the window ended\): 1\.40 cores/,
    );
  });

  it('honours custom thresholds', async () => {
    host = fakeHost({ '/proc/loadavg': '3.50 1.00 0.50 3/100 999\n' });
    const check = await checkNoise(sequenced(host.sources, [stat(0, 0), stat(150, 50)], [0, 0]), {
      windowMs: 5,
      thresholds: { busyFraction: 0.9, loadPerCore: 100 },
    });
    expect(check.quiet).toBe(true);
    expect(check.thresholds.busyFraction).toBe(0.9);
  });

  it.runIf(process.platform === 'linux')('measures the real host: fractions in [0, 1], this process idle', async () => {
    const check = await checkNoise(createHostSources(), { windowMs: 100 });
    expect(typeof check.busyFraction).toBe('number');
    expect(check.busyFraction as number).toBeGreaterThanOrEqual(0);
    expect(check.busyFraction as number).toBeLessThanOrEqual(1);
    expect(check.stealFraction as number).toBeGreaterThanOrEqual(0);
    expect(check.windowMs).toBeGreaterThanOrEqual(90);
    expect(Array.isArray(check.busiestProcesses)).toBe(true);
  });
});
