// The environment block against what the OS itself says: cores vs the cgroup quota and
// os.availableParallelism, memory vs /proc/meminfo, the CPU model vs /proc/cpuinfo, caches vs sysfs.

import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureEnv } from '../src/env/index.js';
import { isUnknown, type EnvBlock } from '../src/results/env.js';
import { emptyStrings } from './hw-fixtures.js';

const linux = process.platform === 'linux';
let env: EnvBlock;

beforeAll(async () => {
  env = await captureEnv({ noiseWindowMs: 100, warn: false });
});

/** The cgroup CPU quota read plainly from the usual places, in cores, or undefined when none is set. */
function osCpuQuota(): number | undefined {
  const v2 = '/sys/fs/cgroup/cpu.max';
  if (existsSync(v2)) {
    const [q, p] = readFileSync(v2, 'utf8').trim().split(/\s+/);
    return q === 'max' ? undefined : Number(q) / Number(p);
  }
  const v1q = '/sys/fs/cgroup/cpu/cpu.cfs_quota_us';
  if (existsSync(v1q)) {
    const q = Number(readFileSync(v1q, 'utf8'));
    const p = Number(readFileSync('/sys/fs/cgroup/cpu/cpu.cfs_period_us', 'utf8'));
    return q > 0 ? q / p : undefined;
  }
  return undefined;
}

describe('environment block vs the OS', () => {
  it('counts the logical CPUs the OS lists, and the usable cores as the cgroup quota or os.availableParallelism', () => {
    expect(env.cpu.logicalCores).toBe(os.cpus().length);
    expect(env.cpu.availableParallelism).toBe(os.availableParallelism());
    const quota = osCpuQuota();
    const expected = quota === undefined ? os.availableParallelism() : Math.min(os.availableParallelism(), Math.ceil(quota));
    expect(env.cpu.usableCores).toBe(expected);
    if (quota === undefined && linux) expect(env.cpu.cgroupCpuQuota === 'max' || isUnknown(env.cpu.cgroupCpuQuota)).toBe(true);
    if (linux) {
      const processors = readFileSync('/proc/cpuinfo', 'utf8')
        .split('\n')
        .filter((l) => /^processor\s*:/.test(l)).length;
      expect(env.cpu.logicalCores).toBe(processors);
    }
  });

  it.runIf(linux)('reports the total memory of /proc/meminfo within 1%', () => {
    const kb = Number(/^MemTotal:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1]);
    expect(Math.abs(env.memory.totalBytes - kb * 1024) / (kb * 1024)).toBeLessThan(0.01);
    expect(env.memory.availableBytes).toBeGreaterThan(0);
    expect(env.memory.availableBytes).toBeLessThanOrEqual(env.memory.totalBytes);
  });

  it.runIf(linux)('names the CPU model /proc/cpuinfo names', () => {
    const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim();
    if (model === undefined) {
      expect(env.cpu.modelSource).not.toContain('/proc/cpuinfo'); // arm64: no model name there
    } else {
      expect(env.cpu.model).toBe(model);
    }
  });

  it.runIf(linux)('lists SIMD extensions only when the kernel flags them, and caches as sysfs says', () => {
    const flags = new Set((/^(?:flags|Features)\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '').split(/\s+/));
    expect(env.cpu.simd.includes('avx2')).toBe(flags.has('avx2'));
    expect(env.cpu.simd.includes('avx512f')).toBe(flags.has('avx512f'));
    expect(env.cpu.simd.includes('sse4.2')).toBe(flags.has('sse4_2'));
    const l1d = '/sys/devices/system/cpu/cpu0/cache/index0';
    if (existsSync(`${l1d}/size`) && !isUnknown(env.cpu.caches)) {
      const level = Number(readFileSync(`${l1d}/level`, 'utf8'));
      const type = readFileSync(`${l1d}/type`, 'utf8').trim().toLowerCase();
      const kib = Number(readFileSync(`${l1d}/size`, 'utf8').trim().replace(/K$/, ''));
      const cache = env.cpu.caches.find((c) => c.level === level && c.type === (type === 'unified' ? 'unified' : type));
      expect(cache?.sizeBytes).toBe(kib * 1024);
    }
  });

  it('records the runtime and the installed tool packages as installed', () => {
    expect(env.runtime.node).toBe(process.versions.node);
    expect(env.runtime.v8).toBe(process.versions.v8);
    const autocannon = env.tools.autocannon;
    expect(isUnknown(autocannon)).toBe(false);
    if (!isUnknown(autocannon)) {
      expect(autocannon.version).toBe((JSON.parse(readFileSync(autocannon.source, 'utf8')) as { version: string }).version);
    }
    for (const tool of Object.values(env.tools)) {
      if (isUnknown(tool)) expect(tool.reason.length).toBeGreaterThan(0);
    }
  });

  it('never holds an empty string: unknown facts carry a reason instead', () => {
    expect(emptyStrings(env)).toEqual([]);
  });

  it('has the same shape with tool versions off, and a second capture reuses the cached versions', async () => {
    const quick = await captureEnv({ noiseWindowMs: 50, warn: false, toolVersions: false });
    expect(Object.keys(quick).sort()).toEqual(Object.keys(env).sort());
    expect(Object.keys(quick.cpu).sort()).toEqual(Object.keys(env.cpu).sort());
    expect(isUnknown(quick.tools.nginx)).toBe(true);
    const again = await captureEnv({ noiseWindowMs: 50, warn: false });
    expect(again.tools).toEqual(env.tools);
  });
});
