// A host that tells little: every fact it does not state is marked unknown with a reason, never guessed,
// never '' or 0; and the frequency is measured (labelled measured) when the OS reports none.

import { afterEach, describe, expect, it } from 'vitest';
import { captureEnv } from '../src/env/index.js';
import { isUnknown } from '../src/results/env.js';
import { emptyStrings, fakeHost, type FakeHost } from './hw-fixtures.js';

let host: FakeHost | undefined;
afterEach(() => host?.remove());

const expectUnknown = (v: unknown, what: string) => {
  expect(isUnknown(v), `${what} should be unknown, got ${JSON.stringify(v)}`).toBe(true);
  if (isUnknown(v)) expect(v.reason.length, `${what} reason`).toBeGreaterThan(5);
};

describe('unknown facts', () => {
  it('marks what an almost empty /proc and /sys do not say as unknown, with reasons', async () => {
    host = fakeHost(
      { '/proc/cpuinfo': 'processor\t: 0\nmodel name\t: Test CPU 9000\n\nprocessor\t: 1\nmodel name\t: Test CPU 9000\n' },
      { os: { networkInterfaces: () => ({}) } },
    );
    const env = await captureEnv({ sources: host.sources, noiseWindowMs: 20, warn: false, toolVersions: false });

    expect(env.cpu.model).toBe('Test CPU 9000');
    expect(env.cpu.modelSource).toContain('/proc/cpuinfo');
    expectUnknown(env.cpu.vendor, 'vendor');
    expectUnknown(env.cpu.family, 'family');
    expectUnknown(env.cpu.flags, 'flags');
    expect(env.cpu.simd).toEqual([]);
    expectUnknown(env.cpu.physicalCores, 'physical cores');
    expectUnknown(env.cpu.sockets, 'sockets');
    expectUnknown(env.cpu.caches, 'caches');
    expectUnknown(env.cpu.affinity, 'affinity');
    expectUnknown(env.cpu.cgroupCpuQuota, 'cgroup cpu quota');
    expectUnknown(env.cpu.frequency.baseMhz, 'base frequency');
    expectUnknown(env.cpu.frequency.maxMhz, 'max frequency');
    expectUnknown(env.cpu.frequency.currentMhz, 'current frequency');
    expectUnknown(env.cpu.frequency.governor, 'governor');
    expectUnknown(env.memory.cgroupLimitBytes, 'cgroup memory limit');
    expectUnknown(env.memory.swapTotalBytes, 'swap');
    expectUnknown(env.memory.numaNodes, 'NUMA');
    expectUnknown(env.memory.layout, 'memory layout');
    expectUnknown(env.memory.transparentHugepages, 'THP');
    expectUnknown(env.cgroup.version, 'cgroup version');
    expectUnknown(env.host.os, 'OS');
    expectUnknown(env.host.virtualization, 'virtualization');
    expectUnknown(env.host.container, 'container');
    expectUnknown(env.host.system, 'machine');
    expectUnknown(env.storage.filesystem, 'filesystem');
    expectUnknown(env.storage.disk, 'disk');
    expectUnknown(env.network, 'network');
    expectUnknown(env.noise.busyFraction, 'busy fraction');
    expectUnknown(env.noise.stealFraction, 'steal fraction');
    expectUnknown(env.tools.nginx, 'nginx');
    // no /proc/meminfo: the figures come from node:os, and say so
    expect(env.memory.source).toBe('os.totalmem()/os.freemem()');
    // the OS reports no frequency at all, so the capture measured one, labelled as measured
    const measured = env.cpu.frequency.measuredMhz;
    expect(isUnknown(measured)).toBe(false);
    if (!isUnknown(measured)) {
      expect(measured.label).toBe('measured');
      expect(measured.mhz).toBeGreaterThan(0);
      expect(measured.samplesMhz.length).toBeGreaterThan(0);
    }
    expect(emptyStrings(env)).toEqual([]);
  });

  it('falls back to os.cpus() for the model, and says when nothing names it', async () => {
    host = fakeHost({}, { os: { cpus: () => [], networkInterfaces: () => ({}) } });
    const env = await captureEnv({ sources: host.sources, noiseWindowMs: 20, warn: false, toolVersions: false, measureFrequency: 'never' });
    expect(env.cpu.model).toBe('unknown');
    expect(env.cpu.modelSource).toMatch(/^none: /);
    expectUnknown(env.cpu.frequency.measuredMhz, 'measured frequency (never)');
    expect(emptyStrings(env)).toEqual([]);
  });

  it('reads the arm64 form of /proc/cpuinfo (no model name, Features instead of flags)', async () => {
    host = fakeHost(
      {
        '/proc/cpuinfo':
          'processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics asimddp sve sve2\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: 0xd4f\nCPU revision\t: 1\n',
      },
      { os: { cpus: () => [], networkInterfaces: () => ({}) } },
    );
    const env = await captureEnv({ sources: host.sources, noiseWindowMs: 20, warn: false, toolVersions: false, measureFrequency: 'never' });
    expect(env.cpu.simd).toEqual(['neon', 'dotprod', 'sve', 'sve2']);
    expect(env.cpu.vendor).toEqual({ value: 'ARM', source: '/proc/cpuinfo CPU implementer' });
    expect(env.cpu.family).toEqual({ value: 'ARMv8', source: '/proc/cpuinfo CPU architecture' });
    expect(env.cpu.modelId).toEqual({ value: 'part 0xd4f', source: '/proc/cpuinfo CPU part' });
  });
});
