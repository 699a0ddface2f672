// The Markdown, HTML and terminal renderers read the same data: unknown facts show as "unknown" with
// their reason, a busy host gets a warning at the top, text is escaped, and every unknown is listed.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureEnv } from '../src/env/index.js';
import { renderHardwareHtml, renderHardwareMarkdown, renderHardwareSummary } from '../src/report/hardware/render.js';
import { hardwareSections, unknownFacts } from '../src/report/hardware/sections.js';
import type { EnvBlock, NoiseCheck } from '../src/results/env.js';
import type { HardwareData } from '../src/results/hardware.js';
import { fakeHost, type FakeHost } from './hw-fixtures.js';

let host: FakeHost;
let env: EnvBlock;
beforeAll(async () => {
  host = fakeHost(
    {
      '/proc/cpuinfo': 'processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Fancy | <CPU> 3000\nflags\t\t: sse2 sse4_2 avx2 avx512f\n',
      '/proc/meminfo': 'MemTotal:       16384 kB\nMemAvailable:    8192 kB\nSwapTotal:   0 kB\n',
    },
    { os: { networkInterfaces: () => ({}) } },
  );
  env = await captureEnv({ sources: host.sources, noiseWindowMs: 10, warn: false, toolVersions: false, measureFrequency: 'never' });
  // the fake host has no /proc/loadavg, so its check read the real load average: pin it
  env.noise = noise(true);
});
afterAll(() => host.remove());

const noise = (quiet: boolean): NoiseCheck => ({
  loadPerCore: quiet ? 0.1 : 2,
  loadAverage: quiet ? [0.1, 0.1, 0.1] : [2, 1, 1],
  stealFraction: 0,
  busyFraction: quiet ? 0.01 : 0.7,
  busiestProcesses: [{ pid: 7, name: 'cc1plus', cpuCores: 0.9, self: false }],
  windowMs: 500,
  thresholds: { loadPerCore: 0.8, busyFraction: 0.25, stealFraction: 0.05 },
  quiet,
  warnings: quiet ? [] : ['70.0% of all CPU time was busy'],
});

const data = (quiet: boolean): HardwareData => ({
  durationMs: 1234,
  frequency: { label: 'measured', mhz: 3100, samplesMhz: [3090, 3100, 3110], relativeSpread: 0.006, method: 'test loop' },
  timers: [
    { clock: 'process.hrtime.bigint', resolutionNs: 40, medianStepNs: 50, overheadNsPerCall: 45, calls: 1000 },
    {
      clock: 'performance.now',
      resolutionNs: { unknown: true, reason: 'the clock never advanced in 1000 readings' },
      medianStepNs: { unknown: true, reason: 'x' },
      overheadNsPerCall: 30,
      calls: 1000,
    },
  ],
  bandwidth: [
    {
      state: 'completed',
      label: 'in L2',
      bytes: 524288,
      n: 65536,
      threads: 1,
      gbPerSec: 95.5,
      samplesGbPerSec: [95, 95.5, 96],
      spread: { unit: 'GB/s', median: 95.5, min: 95, max: 96, relativeSpread: 0.0105, repeats: 3 },
      isa: 'avx512',
      passesPerRepeat: 64,
    },
    { state: 'errored', label: 'past L3', bytes: 268435456, threads: 1, error: { code: 'X', message: 'out of memory' } },
  ],
  noise: noise(quiet),
  flags: quiet ? [] : [{ subject: 'host', kind: 'noisy', message: '70.0% of all CPU time was busy' }],
});

describe('hardware renderers', () => {
  it('renders Markdown with escaped cells, unknowns with reasons, and the measured figures', () => {
    const md = renderHardwareMarkdown({ env, data: data(true), servebench: { version: '9.9.9' } });
    expect(md).toContain('| Model | Fancy \\| \\<CPU\\> 3000 | /proc/cpuinfo model name |');
    expect(md).toMatch(/\| Caches|Cache sizes unknown: no cache information/);
    expect(md).toContain('| Machine | _unknown: no firmware (DMI) tables at /sys/class/dmi/id_ |');
    expect(md).toContain('| Measured frequency | 3100 MHz (measured; spread 0.6% over 3 repeats) | test loop |');
    expect(md).toContain('| 512 KiB | in L2 | 1 | 95.50 | 1.1% | 3 | avx512 | 64 |');
    expect(md).toContain('_unknown: errored: out of memory_');
    expect(md).toContain('_unknown: the clock never advanced in 1000 readings_');
    expect(md).not.toContain('**Warning:**');
    expect(md).toContain('servebench 9.9.9');
  });

  it('can shift its headings to embed as a section of a larger report', () => {
    const md = renderHardwareMarkdown({ env, data: data(true) }, { headingOffset: 1 });
    expect(md.startsWith('## Hardware report: ')).toBe(true);
    expect(md).toContain('\n### CPU\n');
  });

  it('puts a warning at the top when the host was busy, and lists the flags', () => {
    const md = renderHardwareMarkdown({ env, data: data(false) });
    const summary = md.slice(md.indexOf('## Summary'), md.indexOf('## CPU'));
    expect(summary).toContain('> **Warning:** The host looked busy');
    expect(md).toContain('- host [noisy]: 70.0% of all CPU time was busy');
    expect(md).toContain('| cc1plus | 7 | 0.90 |');
  });

  it('lists every unknown fact of the environment block by its path', () => {
    const unknowns = unknownFacts(env);
    expect(unknowns.map((u) => u.path)).toEqual(expect.arrayContaining(['env.host.system', 'env.cpu.caches', 'env.memory.numaNodes', 'env.network']));
    const section = hardwareSections({ env, data: data(true) }).find((s) => s.id === 'unknown')!;
    expect(section.tables[0]!.rows).toHaveLength(unknowns.length);
  });

  it('escapes HTML and marks unknowns', () => {
    const html = renderHardwareHtml({ env, data: data(false) });
    expect(html).toContain('Fancy | &lt;CPU&gt; 3000');
    expect(html).not.toContain('<CPU>');
    expect(html).toContain('<span class="unknown">unknown</span>');
    expect(html).toContain('class="alert"');
  });

  it('prints a terminal summary of one line per topic', () => {
    const text = renderHardwareSummary({ env, data: data(true) });
    expect(text).toMatch(/^cpu\s+Fancy \| <CPU> 3000 .* 3100 MHz measured$/m);
    expect(text).toMatch(/^bandwidth\s+512 KiB x1: 95\.5 GB\/s · 256 MiB x1: errored$/m);
    expect(text).toMatch(/^simd\s+sse2 sse4\.2 avx2 avx512f$/m);
    // 13 topics, and the GPU line (the first thing an ML-serving reader looks for)
    expect(text.trim().split('\n')).toHaveLength(14);
  });
});
