// Facts read from a fake sysfs: topology (cores, sockets, SMT), caches (size of one instance and how many),
// cpufreq frequencies with their sources, NUMA nodes, huge pages, DMI machine and hypervisor, the disk
// under the working folder, network interfaces; plus the text parsers they rest on.

import { afterEach, describe, expect, it } from 'vitest';
import { captureEnv } from '../src/env/index.js';
import { parseCpuList, parseMeminfo, parseMountinfo, parseSizeString } from '../src/env/parse.js';
import { fakeHost, type FakeHost } from './hw-fixtures.js';

let host: FakeHost | undefined;
afterEach(() => host?.remove());

function cpuFiles(cpus: number, threadsPerCore: number): Record<string, string> {
  const files: Record<string, string> = { '/sys/devices/system/cpu/online': `0-${cpus - 1}\n` };
  for (let c = 0; c < cpus; c++) {
    const core = Math.floor(c / threadsPerCore);
    const d = `/sys/devices/system/cpu/cpu${c}`;
    files[`${d}/topology/physical_package_id`] = '0\n';
    files[`${d}/topology/core_id`] = `${core}\n`;
    const siblings = `${core * threadsPerCore}-${core * threadsPerCore + threadsPerCore - 1}`;
    const caches: Array<[number, string, string, string]> = [
      [1, 'Data', '48K', siblings],
      [1, 'Instruction', '32K', siblings],
      [2, 'Unified', '2048K', siblings],
      [3, 'Unified', '30M', `0-${cpus - 1}`],
    ];
    caches.forEach(([level, type, size, shared], i) => {
      files[`${d}/cache/index${i}/level`] = `${level}\n`;
      files[`${d}/cache/index${i}/type`] = `${type}\n`;
      files[`${d}/cache/index${i}/size`] = `${size}\n`;
      files[`${d}/cache/index${i}/shared_cpu_list`] = `${shared}\n`;
      files[`${d}/cache/index${i}/coherency_line_size`] = '64\n';
    });
    files[`${d}/cpufreq/scaling_cur_freq`] = `${2_000_000 + c * 100_000}\n`;
  }
  const f = '/sys/devices/system/cpu/cpu0/cpufreq';
  files[`${f}/base_frequency`] = '2100000\n';
  files[`${f}/cpuinfo_max_freq`] = '4800000\n';
  files[`${f}/scaling_governor`] = 'performance\n';
  return files;
}

describe('facts from sysfs', () => {
  it('counts cores, sockets and threads per core, caches per instance, and cpufreq frequencies', async () => {
    host = fakeHost(
      {
        ...cpuFiles(8, 2),
        '/proc/cpuinfo': [...Array(8)].map((_, i) => `processor\t: ${i}\nmodel name\t: Test Xeon\ncpu MHz\t\t: 2000.000\n`).join('\n'),
        '/sys/devices/system/node/node0/cpulist': '0-3\n',
        '/sys/devices/system/node/node0/meminfo': 'Node 0 MemTotal:       8388608 kB\n',
        '/sys/devices/system/node/node1/cpulist': '4-7\n',
        '/sys/devices/system/node/node1/meminfo': 'Node 1 MemTotal:       8388608 kB\n',
        '/sys/kernel/mm/transparent_hugepage/enabled': 'always [madvise] never\n',
        '/sys/class/dmi/id/sys_vendor': 'QEMU\n',
        '/sys/class/dmi/id/product_name': 'Standard PC (Q35 + ICH9, 2009)\n',
        '/etc/os-release': 'NAME="Test"\nPRETTY_NAME="Test Linux 1.0"\n',
      },
      { os: { networkInterfaces: () => ({}) } },
    );
    const env = await captureEnv({ sources: host.sources, noiseWindowMs: 10, warn: false, toolVersions: false });
    expect(env.cpu.physicalCores).toEqual({ value: 4, source: '/sys/devices/system/cpu/cpu*/topology' });
    expect(env.cpu.sockets).toMatchObject({ value: 1 });
    expect(env.cpu.threadsPerCore).toMatchObject({ value: 2 });
    expect(env.cpu.caches).toEqual([
      { level: 1, type: 'data', sizeBytes: 48 * 1024, instances: 4, sharedByCpus: 2, lineBytes: 64 },
      { level: 1, type: 'instruction', sizeBytes: 32 * 1024, instances: 4, sharedByCpus: 2, lineBytes: 64 },
      { level: 2, type: 'unified', sizeBytes: 2048 * 1024, instances: 4, sharedByCpus: 2, lineBytes: 64 },
      { level: 3, type: 'unified', sizeBytes: 30 * 1024 * 1024, instances: 1, sharedByCpus: 8, lineBytes: 64 },
    ]);
    expect(env.cpu.frequency.baseMhz).toEqual({ value: 2100, source: '/sys/devices/system/cpu/cpu0/cpufreq/base_frequency' });
    expect(env.cpu.frequency.maxMhz).toMatchObject({ value: 4800 });
    // scaling_cur_freq wins over /proc/cpuinfo, averaged over the CPUs
    expect(env.cpu.frequency.currentMhz).toMatchObject({ value: 2350, source: expect.stringContaining('scaling_cur_freq') });
    expect(env.cpu.frequency.governor).toMatchObject({ value: 'performance' });
    // the OS reports frequencies, so the cheap capture does not measure one
    expect(env.cpu.frequency.measuredMhz).toMatchObject({ unknown: true });
    expect(env.memory.numaNodes).toEqual([
      { node: 0, cpus: '0-3', memTotalBytes: 8 * 1024 ** 3 },
      { node: 1, cpus: '4-7', memTotalBytes: 8 * 1024 ** 3 },
    ]);
    expect(env.memory.transparentHugepages).toMatchObject({ value: 'madvise' });
    expect(env.host.system).toMatchObject({ value: 'QEMU Standard PC (Q35 + ICH9, 2009)' });
    expect(env.host.virtualization).toBe('qemu');
    expect(env.host.os).toBe('Test Linux 1.0');
  });

  it('finds the disk under the working folder (partition -> whole disk) and the network interfaces', async () => {
    const disk = '/sys/devices/pci0000:00/0000:00:04.0/nvme/nvme0/nvme0n1';
    host = fakeHost(
      {
        '/proc/self/mountinfo': '27 1 259:1 / / rw,relatime - ext4 /dev/nvme0n1p1 rw\n40 27 0:30 / /tmp rw - tmpfs tmpfs rw\n',
        [`${disk}/size`]: '1000215216\n',
        [`${disk}/queue/rotational`]: '0\n',
        [`${disk}/device/model`]: 'Samsung SSD 980 PRO 500GB\n',
        [`${disk}/nvme0n1p1/partition`]: '1\n',
        '/sys/class/net/lo/mtu': '65536\n',
        '/sys/class/net/lo/operstate': 'unknown\n',
        '/sys/class/net/lo/address': '00:00:00:00:00:00\n',
        '/sys/class/net/eno1/mtu': '1500\n',
        '/sys/class/net/eno1/operstate': 'up\n',
        '/sys/class/net/eno1/address': 'aa:bb:cc:dd:ee:ff\n',
        '/sys/class/net/eno1/speed': '10000\n',
        '/sys/class/net/eno1/device/vendor': '0x8086\n',
      },
      {
        links: { '/sys/dev/block/259:1': `${disk}/nvme0n1p1`, [`${disk}/device/driver`]: '/sys/bus/nvme/drivers/nvme' },
        os: {
          networkInterfaces: () => ({
            eno1: [{ address: '10.0.0.5', netmask: '255.0.0.0', family: 'IPv4', mac: 'aa:bb:cc:dd:ee:ff', internal: false, cidr: '10.0.0.5/8' }],
          }),
        },
      },
    );
    const env = await captureEnv({ sources: host.sources, noiseWindowMs: 10, warn: false, toolVersions: false, measureFrequency: 'never', workingDir: '/' });
    expect(env.storage.filesystem).toMatchObject({ mountPoint: '/', type: 'ext4', device: '/dev/nvme0n1p1' });
    expect(env.storage.disk).toMatchObject({
      device: 'nvme0n1',
      model: 'Samsung SSD 980 PRO 500GB',
      driver: 'nvme',
      sizeBytes: 1000215216 * 512,
      rotational: false,
    });
    const net = env.network;
    expect(Array.isArray(net)).toBe(true);
    if (!Array.isArray(net)) return;
    expect(net.map((n) => n.name)).toEqual(['eno1', 'lo']);
    expect(net[0]).toMatchObject({ name: 'eno1', speedMbps: 10000, mtu: 1500, state: 'up', physical: true, ipv4: ['10.0.0.5'], mac: 'aa:bb:cc:dd:ee:ff' });
    expect(net[1]).toMatchObject({ name: 'lo', internal: true, physical: false, mac: { unknown: true } });
  });

  it('says why there is no disk when the folder is on a filesystem without a block device', async () => {
    host = fakeHost({ '/proc/self/mountinfo': '27 1 0:30 / / rw - overlay overlay rw\n' }, { os: { networkInterfaces: () => ({}) } });
    const env = await captureEnv({ sources: host.sources, noiseWindowMs: 10, warn: false, toolVersions: false, measureFrequency: 'never', workingDir: '/' });
    expect(env.storage.disk).toMatchObject({ unknown: true, reason: expect.stringContaining('overlay') });
  });

  it('parses the kernel text formats', () => {
    expect(parseCpuList('0-3,8,10-11')).toEqual([0, 1, 2, 3, 8, 10, 11]);
    expect(parseCpuList('')).toEqual([]);
    expect(parseSizeString('32K')).toBe(32 * 1024);
    expect(parseSizeString('30M')).toBe(30 * 1024 ** 2);
    expect(parseSizeString('junk')).toBeUndefined();
    expect(parseMeminfo('MemTotal:  100 kB\nHugePages_Total:       0\n')).toEqual(
      new Map([
        ['MemTotal', 102400],
        ['HugePages_Total', 0],
      ]),
    );
    const [m] = parseMountinfo('36 35 98:0 /mnt1 /mnt\\040with\\040space rw,noatime master:1 - ext3 /dev/root rw,errors=continue\n');
    expect(m).toEqual({
      majorMinor: '98:0',
      root: '/mnt1',
      mountPoint: '/mnt with space',
      fsType: 'ext3',
      source: '/dev/root',
      superOptions: ['rw', 'errors=continue'],
    });
  });
});
