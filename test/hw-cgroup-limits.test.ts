// cgroup limits from fake hierarchies: v2 (cpu.max, memory.max, the tightest level wins), v1 (CFS quota,
// limit_in_bytes with its "unlimited" sentinel), cgroup namespaces, and the usable cores they imply.

import { afterEach, describe, expect, it } from 'vitest';
import { captureCgroup } from '../src/env/cgroup.js';
import { captureEnv } from '../src/env/index.js';
import { fakeHost, type FakeHost } from './hw-fixtures.js';

let host: FakeHost | undefined;
afterEach(() => host?.remove());

const V2_MOUNTINFO = '30 25 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate\n';
const V1_MOUNTINFO = [
  '31 25 0:27 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid - cgroup cgroup rw,cpu,cpuacct',
  '32 25 0:28 / /sys/fs/cgroup/memory rw,nosuid - cgroup cgroup rw,memory',
  '33 25 0:29 / /sys/fs/cgroup/cpuset rw,nosuid - cgroup cgroup rw,cpuset',
  '',
].join('\n');

describe('cgroup limits', () => {
  it('v2: reads cpu.max and memory.max at every level and keeps the tightest', () => {
    host = fakeHost({
      '/proc/self/mountinfo': V2_MOUNTINFO,
      '/proc/self/cgroup': '0::/bench.slice/run.scope\n',
      '/sys/fs/cgroup/bench.slice/cpu.max': '300000 100000\n',
      '/sys/fs/cgroup/bench.slice/memory.max': '1073741824\n',
      '/sys/fs/cgroup/bench.slice/run.scope/cpu.max': '150000 100000\n',
      '/sys/fs/cgroup/bench.slice/run.scope/memory.max': 'max\n',
      '/sys/fs/cgroup/bench.slice/run.scope/cpuset.cpus.effective': '0-3\n',
    });
    const c = captureCgroup(host.sources);
    expect(c.info.version).toBe('v2');
    expect(c.cpuQuota).toBe(1.5);
    expect(c.info.cpuQuotaSource).toBe('/sys/fs/cgroup/bench.slice/run.scope/cpu.max');
    expect(c.memoryLimit).toBe(1073741824);
    expect(c.info.memoryLimitSource).toBe('/sys/fs/cgroup/bench.slice/memory.max');
    expect(c.info.cpusetCpus).toEqual({ value: '0-3', source: '/sys/fs/cgroup/bench.slice/run.scope/cpuset.cpus.effective' });
  });

  it('v2 in a cgroup namespace: the mount root is the process cgroup, limits read there', () => {
    host = fakeHost({
      '/proc/self/mountinfo': V2_MOUNTINFO,
      '/proc/self/cgroup': '0::/\n',
      '/sys/fs/cgroup/cpu.max': 'max 100000\n',
      '/sys/fs/cgroup/memory.max': 'max\n',
    });
    const c = captureCgroup(host.sources);
    expect(c.cpuQuota).toBe('max');
    expect(c.memoryLimit).toBe('max');
  });

  it('v1: CFS quota over period in cores; the page-rounded huge limit means none', () => {
    host = fakeHost({
      '/proc/self/mountinfo': `${V1_MOUNTINFO}${V2_MOUNTINFO.replace('/sys/fs/cgroup ', '/sys/fs/cgroup/unified ')}`,
      '/proc/self/cgroup': '5:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n3:cpuset:/docker/abc\n0::/\n',
      '/sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us': '50000\n',
      '/sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us': '100000\n',
      '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us': '-1\n',
      '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us': '100000\n',
      '/sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes': '9223372036854771712\n',
      '/sys/fs/cgroup/cpuset/docker/abc/cpuset.cpus': '0\n',
    });
    const c = captureCgroup(host.sources);
    expect(c.info.version).toBe('v1+v2 (hybrid)');
    expect(c.cpuQuota).toBe(0.5);
    expect(c.memoryLimit).toBe('max');
    expect(c.info.cpusetCpus).toEqual({ value: '0', source: '/sys/fs/cgroup/cpuset/docker/abc/cpuset.cpus' });
  });

  it('caps the usable cores at the quota, rounded up, and never above availableParallelism', async () => {
    host = fakeHost(
      {
        '/proc/self/mountinfo': V2_MOUNTINFO,
        '/proc/self/cgroup': '0::/a\n',
        '/sys/fs/cgroup/a/cpu.max': '250000 100000\n',
        '/sys/fs/cgroup/a/memory.max': '536870912\n',
      },
      { os: { availableParallelism: () => 8, networkInterfaces: () => ({}) } },
    );
    const env = await captureEnv({ sources: host.sources, noiseWindowMs: 10, warn: false, toolVersions: false, measureFrequency: 'never' });
    expect(env.cpu.cgroupCpuQuota).toBe(2.5);
    expect(env.cpu.usableCores).toBe(3);
    expect(env.memory.cgroupLimitBytes).toBe(536870912);
  });
});
