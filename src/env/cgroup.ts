// cgroup limits of this process (v1, v2 and hybrid): the CPU quota and memory limit cap what a benchmark can
// use whatever the hardware says. Limits are hierarchical, so every level from the process's cgroup up to
// the visible root is read and the tightest one wins.

import { posix } from 'node:path';
import type { CgroupInfo, Fact, MaybeKnown } from '../results/env.js';
import { firstLine, parseMountinfo, unknown, type MountInfo } from './parse.js';
import type { HostSources } from './sources.js';

export interface CgroupFacts {
  info: CgroupInfo;
  /** CPU quota in cores, 'max' when none applies. */
  cpuQuota: MaybeKnown<number | 'max'>;
  memoryLimit: MaybeKnown<number | 'max'>;
}

interface CgroupEntry {
  hierarchy: string;
  controllers: string[];
  path: string;
}

/** v1 reports "no limit" as a page-rounded huge number (PAGE_COUNTER_MAX * page size). */
const V1_UNLIMITED_BYTES = 2 ** 62;

/** A controller's folder for this process: its mount and the process's cgroup folder under it. */
interface ControllerDir {
  mount: MountInfo;
  dir: string;
}

/** Where each controller of this process lives: v1 per controller, v2 one unified folder. */
interface Hierarchies {
  version: MaybeKnown<string>;
  v1(controller: string): ControllerDir | undefined;
  v2: ControllerDir | undefined;
}

type Limit = { value: MaybeKnown<number | 'max'>; source: string };

function hierarchies(sources: HostSources, mountText: string, cgroupText: string): Hierarchies {
  const mounts = parseMountinfo(mountText);
  const entries: CgroupEntry[] = cgroupText
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [hierarchy = '', controllers = '', ...rest] = l.split(':');
      return { hierarchy, controllers: controllers === '' ? [] : controllers.split(','), path: rest.join(':') };
    });
  const v1Mounts = mounts.filter((m) => m.fsType === 'cgroup');
  const v2Mount = mounts.find((m) => m.fsType === 'cgroup2');
  const v2Entry = entries.find((e) => e.hierarchy === '0' && e.controllers.length === 0);
  const version: MaybeKnown<string> =
    v1Mounts.length > 0 && v2Mount !== undefined
      ? 'v1+v2 (hybrid)'
      : v1Mounts.length > 0
        ? 'v1'
        : v2Mount !== undefined
          ? 'v2'
          : unknown('no cgroup filesystem mounted (see /proc/self/mountinfo)');
  const v1 = (controller: string): ControllerDir | undefined => {
    const mount = v1Mounts.find((m) => m.superOptions.includes(controller));
    const entry = entries.find((e) => e.controllers.includes(controller));
    if (mount === undefined || entry === undefined) return undefined;
    return { mount, dir: resolveDir(sources, mount, entry.path) };
  };
  const v2 = v2Mount !== undefined && v2Entry !== undefined ? { mount: v2Mount, dir: resolveDir(sources, v2Mount, v2Entry.path) } : undefined;
  return { version, v1, v2 };
}

/** The CPU quota in cores (v1 cpu.cfs_quota_us / cpu.cfs_period_us, v2 cpu.max), the tightest level winning. */
function cpuQuota(sources: HostSources, h: Hierarchies): Limit {
  const cpuV1 = h.v1('cpu');
  if (cpuV1 !== undefined) {
    return tightest(cpuV1.dir, cpuV1.mount.mountPoint, 'cpu.cfs_quota_us', (dir) => {
      const quota = Number(firstLine(sources.readText(`${dir}/cpu.cfs_quota_us`)));
      const period = Number(firstLine(sources.readText(`${dir}/cpu.cfs_period_us`)));
      if (!Number.isFinite(quota) || !Number.isFinite(period)) return undefined;
      return quota > 0 && period > 0 ? quota / period : 'max';
    });
  }
  if (h.v2 !== undefined) {
    return tightest(h.v2.dir, h.v2.mount.mountPoint, 'cpu.max', (dir) => {
      const line = firstLine(sources.readText(`${dir}/cpu.max`));
      if (line === undefined) return undefined;
      const [quota, period] = line.split(/\s+/);
      if (quota === 'max') return 'max';
      const q = Number(quota);
      const p = Number(period ?? 100000);
      return Number.isFinite(q) && Number.isFinite(p) && q > 0 && p > 0 ? q / p : undefined;
    });
  }
  return { value: unknown('no cgroup cpu controller visible'), source: 'none' };
}

/** The memory limit in bytes (v1 memory.limit_in_bytes, v2 memory.max), the tightest level winning. */
function memoryLimit(sources: HostSources, h: Hierarchies): Limit {
  const memV1 = h.v1('memory');
  if (memV1 !== undefined) {
    return tightest(memV1.dir, memV1.mount.mountPoint, 'memory.limit_in_bytes', (dir) => {
      const v = Number(firstLine(sources.readText(`${dir}/memory.limit_in_bytes`)));
      if (!Number.isFinite(v)) return undefined;
      return v >= V1_UNLIMITED_BYTES ? 'max' : v;
    });
  }
  if (h.v2 !== undefined) {
    return tightest(h.v2.dir, h.v2.mount.mountPoint, 'memory.max', (dir) => {
      const line = firstLine(sources.readText(`${dir}/memory.max`));
      if (line === undefined) return undefined;
      if (line === 'max') return 'max';
      const v = Number(line);
      return Number.isFinite(v) ? v : undefined;
    });
  }
  return { value: unknown('no cgroup memory controller visible'), source: 'none' };
}

/** The CPUs the cpuset allows (the effective list first). */
function cpusetCpus(sources: HostSources, h: Hierarchies): Fact<string> {
  const setV1 = h.v1('cpuset');
  const candidates = [
    ...(h.v2 !== undefined ? [`${h.v2.dir}/cpuset.cpus.effective`, `${h.v2.dir}/cpuset.cpus`] : []),
    ...(setV1 !== undefined ? [`${setV1.dir}/cpuset.effective_cpus`, `${setV1.dir}/cpuset.cpus`] : []),
  ];
  for (const file of candidates) {
    const v = firstLine(sources.readText(file));
    if (v !== undefined) return { value: v, source: file };
  }
  return unknown('no cgroup cpuset visible');
}

export function captureCgroup(sources: HostSources): CgroupFacts {
  const mountText = sources.readText('/proc/self/mountinfo');
  const cgroupText = sources.readText('/proc/self/cgroup');
  if (mountText === undefined || cgroupText === undefined) {
    const why = `no ${mountText === undefined ? '/proc/self/mountinfo' : '/proc/self/cgroup'}`;
    return {
      info: { version: unknown(why), cpuQuotaSource: why, memoryLimitSource: why, cpusetCpus: unknown(why) },
      cpuQuota: unknown(why),
      memoryLimit: unknown(why),
    };
  }
  const h = hierarchies(sources, mountText, cgroupText);
  const cpu = cpuQuota(sources, h);
  const memory = memoryLimit(sources, h);
  return {
    info: { version: h.version, cpuQuotaSource: cpu.source, memoryLimitSource: memory.source, cpusetCpus: cpusetCpus(sources, h) },
    cpuQuota: cpu.value,
    memoryLimit: memory.value,
  };
}

/** The process's cgroup folder under a mount, allowing for cgroup namespaces (the mount root hides the prefix). */
function resolveDir(sources: HostSources, mount: MountInfo, cgroupPath: string): string {
  const rel = mount.root !== '/' && cgroupPath.startsWith(mount.root) ? cgroupPath.slice(mount.root.length) : cgroupPath;
  const joined = posix.join(mount.mountPoint, rel);
  const dir = joined.length > 1 && joined.endsWith('/') ? joined.slice(0, -1) : joined;
  return sources.exists(dir) ? dir : mount.mountPoint;
}

/** Read a limit at every level from dir up to the mount point; the smallest finite one wins. */
function tightest(dir: string, top: string, file: string, read: (dir: string) => number | 'max' | undefined): Limit {
  let best: { value: number; dir: string } | undefined;
  let sawAny = false;
  for (let d = dir; ; d = posix.dirname(d)) {
    const v = read(d);
    if (v !== undefined) {
      sawAny = true;
      if (v !== 'max' && (best === undefined || v < best.value)) best = { value: v, dir: d };
    }
    if (d === top || d === '/' || !d.startsWith(top)) break;
  }
  if (best !== undefined) return { value: best.value, source: `${best.dir}/${file}` };
  if (sawAny) return { value: 'max', source: `${dir}/${file} and its parents up to ${top}: no limit` };
  return { value: unknown(`no ${file} at or above ${dir}`), source: 'none' };
}
