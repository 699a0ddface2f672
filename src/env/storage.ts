// The disk and filesystem under the working folder (where reports, profiles and temp files go), and the
// network interfaces. Both from /proc/self/mountinfo and sysfs, with statfs and node:os for sizes and IPs.

import { realpathSync } from 'node:fs';
import { basename, posix } from 'node:path';
import type { Systeminformation } from 'systeminformation';
import type { DiskInfo, EnvBlock, FilesystemInfo, MaybeKnown, NetworkInterfaceInfo } from '../results/env.js';
import { firstLine, parseIntFile, parseMountinfo, unknown } from './parse.js';
import type { HostSources } from './sources.js';

export function captureStorage(sources: HostSources, workingDir: string, siDisks: Systeminformation.DiskLayoutData[] | undefined): EnvBlock['storage'] {
  let dir = workingDir;
  try {
    dir = realpathSync(workingDir);
  } catch {
    // keep the path as given; the lookups below say what is missing
  }
  const mountText = sources.readText('/proc/self/mountinfo');
  if (mountText === undefined) {
    const why = 'no /proc/self/mountinfo';
    return { workingDir: dir, filesystem: unknown(why), disk: unknown(why) };
  }
  // the mount holding the folder: the longest mount point that is a prefix of it (the last one wins on ties)
  let best: ReturnType<typeof parseMountinfo>[number] | undefined;
  for (const m of parseMountinfo(mountText)) {
    const prefix = m.mountPoint === '/' ? '/' : `${m.mountPoint}/`;
    if (dir === m.mountPoint || dir.startsWith(prefix)) {
      if (best === undefined || m.mountPoint.length >= best.mountPoint.length) best = m;
    }
  }
  if (best === undefined) {
    const why = `no mount in /proc/self/mountinfo holds ${dir}`;
    return { workingDir: dir, filesystem: unknown(why), disk: unknown(why) };
  }
  const stat = sources.statfs(dir);
  const filesystem: MaybeKnown<FilesystemInfo> =
    stat === undefined
      ? unknown(`statfs(${dir}) failed`)
      : { mountPoint: best.mountPoint, type: best.fsType, device: best.source, ...stat, source: '/proc/self/mountinfo + statfs' };
  return { workingDir: dir, filesystem, disk: captureDisk(sources, best.majorMinor, best.fsType, siDisks) };
}

function captureDisk(sources: HostSources, majorMinor: string, fsType: string, siDisks: Systeminformation.DiskLayoutData[] | undefined): MaybeKnown<DiskInfo> {
  if (majorMinor.startsWith('0:')) {
    return unknown(`the working folder is on ${fsType}, which has no block device of its own (major 0)`);
  }
  const devPath = sources.realpath(`/sys/dev/block/${majorMinor}`);
  if (devPath === undefined) return unknown(`no /sys/dev/block/${majorMinor}`);
  // a partition's folder sits inside its disk's folder
  const diskPath = sources.exists(`${devPath}/partition`) ? posix.dirname(devPath) : devPath;
  const device = basename(diskPath);
  if (/^(dm-|md|loop)/.test(device)) {
    return unknown(`the working folder is on ${device} (device mapper, RAID or loop): no single disk to name`);
  }
  const sectors = parseIntFile(sources.readText(`${diskPath}/size`));
  const rotational = parseIntFile(sources.readText(`${diskPath}/queue/rotational`));
  const sysModel = firstLine(sources.readText(`${diskPath}/device/model`));
  const siModel = siDisks?.find((d) => d.device.endsWith(`/${device}`))?.name;
  const driverPath = sources.realpath(`${diskPath}/device/driver`) ?? sources.realpath(`${diskPath}/device/device/driver`);
  return {
    device,
    model:
      sysModel !== undefined
        ? sysModel
        : siModel !== undefined && siModel.trim() !== ''
          ? siModel.trim()
          : unknown(`no ${diskPath}/device/model (virtual disks usually have none)`),
    driver: driverPath === undefined ? unknown(`no driver link under ${diskPath}/device`) : basename(driverPath),
    // sysfs counts 512-byte sectors whatever the device's block size
    sizeBytes: sectors === undefined || sectors === 0 ? unknown(`no ${diskPath}/size`) : sectors * 512,
    rotational: rotational === undefined ? unknown(`no ${diskPath}/queue/rotational`) : rotational === 1,
    source: diskPath,
  };
}

export function captureNetwork(sources: HostSources): MaybeKnown<NetworkInterfaceInfo[]> {
  const netDir = '/sys/class/net';
  const names = sources.list(netDir);
  const osIfaces = sources.os.networkInterfaces();
  const addresses = (name: string, family: 'IPv4' | 'IPv6') => (osIfaces[name] ?? []).filter((a) => a.family === family).map((a) => a.address);
  if (names === undefined) {
    const osNames = Object.keys(osIfaces);
    if (osNames.length === 0) return unknown(`no ${netDir} and node:os lists no interfaces`);
    return osNames.map((name) => {
      const first = osIfaces[name]?.[0];
      return {
        name,
        mac: first !== undefined && first.mac !== '00:00:00:00:00:00' ? first.mac : unknown('no MAC reported'),
        ipv4: addresses(name, 'IPv4'),
        ipv6: addresses(name, 'IPv6'),
        mtu: unknown(`no ${netDir}`),
        speedMbps: unknown(`no ${netDir}`),
        state: unknown(`no ${netDir}`),
        physical: false,
        internal: first?.internal ?? false,
      };
    });
  }
  return names.sort().map((name) => {
    const dir = `${netDir}/${name}`;
    const mac = firstLine(sources.readText(`${dir}/address`));
    const mtu = parseIntFile(sources.readText(`${dir}/mtu`));
    // reading speed fails (EINVAL) or gives -1 on virtual links
    const speed = parseIntFile(sources.readText(`${dir}/speed`));
    const state = firstLine(sources.readText(`${dir}/operstate`));
    const physical = sources.exists(`${dir}/device`);
    return {
      name,
      mac: mac === undefined || mac === '00:00:00:00:00:00' ? unknown(name === 'lo' ? 'loopback has no MAC' : `no ${dir}/address`) : mac,
      ipv4: addresses(name, 'IPv4'),
      ipv6: addresses(name, 'IPv6'),
      mtu: mtu === undefined ? unknown(`no ${dir}/mtu`) : mtu,
      speedMbps: speed === undefined || speed <= 0 ? unknown(physical ? 'the driver reports no link speed' : 'a virtual interface has no link speed') : speed,
      state: state === undefined ? unknown(`no ${dir}/operstate`) : state,
      physical,
      internal: name === 'lo' || (osIfaces[name]?.some((a) => a.internal) ?? false),
    };
  });
}
