// The CPU: identity from /proc/cpuinfo (systeminformation and os.cpus() as fallbacks), topology and caches
// from /sys/devices/system/cpu, frequencies from cpufreq in sysfs, SIMD extensions from the kernel's flags.

import type { Systeminformation } from 'systeminformation';
import type { CpuCache, CpuFrequency, EnvBlock, Fact, MaybeKnown } from '../results/env.js';
import { isUnknown } from '../results/env.js';
import { round1 } from '../report/format.js';
import { mean } from '../stats/index.js';
import { firstLine, parseCpuinfo, parseCpuList, parseIntFile, parseSizeString, unknown } from './parse.js';
import type { HostSources } from './sources.js';

const CPU_SYS = '/sys/devices/system/cpu';

/** x86 /proc/cpuinfo flag or arm64 'Features' word -> the common name of the SIMD extension. */
const SIMD_NAMES: ReadonlyArray<[string, string]> = [
  ['sse2', 'sse2'],
  ['pni', 'sse3'],
  ['ssse3', 'ssse3'],
  ['sse4_1', 'sse4.1'],
  ['sse4_2', 'sse4.2'],
  ['avx', 'avx'],
  ['avx2', 'avx2'],
  ['fma', 'fma'],
  ['avx512f', 'avx512f'],
  ['avx512dq', 'avx512dq'],
  ['avx512bw', 'avx512bw'],
  ['avx512vl', 'avx512vl'],
  ['avx512_vnni', 'avx512vnni'],
  ['avx512_bf16', 'avx512bf16'],
  ['avx_vnni', 'avx-vnni'],
  ['amx_tile', 'amx'],
  // arm64 (asimd is NEON on AArch64; 32-bit kernels say neon)
  ['asimd', 'neon'],
  ['neon', 'neon'],
  ['asimddp', 'dotprod'],
  ['sve', 'sve'],
  ['sve2', 'sve2'],
  ['i8mm', 'i8mm'],
];

/** The CPU facts of the environment block that come from the CPU itself (the capture adds the cgroup's). */
export type CpuFacts = Omit<EnvBlock['cpu'], 'cgroupCpuQuota' | 'usableCores' | 'frequency'> & {
  /** Frequencies the OS reports (the measured one is added by the capture). */
  frequency: Omit<CpuFrequency, 'measuredMhz'>;
};

const ARM_IMPLEMENTERS: Record<string, string> = {
  '0x41': 'ARM',
  '0x42': 'Broadcom',
  '0x43': 'Cavium',
  '0x46': 'Fujitsu',
  '0x48': 'HiSilicon',
  '0x4e': 'NVIDIA',
  '0x50': 'Ampere (APM)',
  '0x51': 'Qualcomm',
  '0x61': 'Apple',
  '0xc0': 'Ampere',
};

export function captureCpu(sources: HostSources, siCpu: Systeminformation.CpuData | undefined): CpuFacts {
  const cpuinfoText = sources.readText('/proc/cpuinfo');
  const records = cpuinfoText === undefined ? [] : parseCpuinfo(cpuinfoText);
  const processors = records.filter((r) => r.has('processor'));
  const first = processors[0] ?? records[0];
  const osCpus = sources.os.cpus();
  const get = (key: string) => {
    const v = first?.get(key);
    return v === undefined || v === '' ? undefined : v;
  };
  const fromCpuinfo = (key: string, why: string): Fact<string> => {
    const v = get(key);
    return v === undefined ? unknown(cpuinfoText === undefined ? 'no /proc/cpuinfo' : why) : { value: v, source: '/proc/cpuinfo' };
  };

  // Model: /proc/cpuinfo names it on x86; arm64 kernels do not, and systeminformation maps the part number.
  let model: string;
  let modelSource: string;
  const osModel = osCpus[0]?.model.trim();
  if (get('model name') !== undefined) {
    model = get('model name')!;
    modelSource = '/proc/cpuinfo model name';
  } else if (siCpu !== undefined && `${siCpu.manufacturer} ${siCpu.brand}`.trim() !== '') {
    model = `${siCpu.manufacturer} ${siCpu.brand}`.trim();
    modelSource = 'systeminformation cpu()';
  } else if (osModel !== undefined && osModel !== '' && osModel !== 'unknown') {
    model = osModel;
    modelSource = 'os.cpus()';
  } else {
    model = 'unknown';
    modelSource = 'none: no model name in /proc/cpuinfo, systeminformation or os.cpus()';
  }

  let vendor: Fact<string> = fromCpuinfo('vendor_id', 'no vendor_id in /proc/cpuinfo');
  const implementer = get('CPU implementer');
  if (isUnknown(vendor) && implementer !== undefined) {
    vendor = { value: ARM_IMPLEMENTERS[implementer.toLowerCase()] ?? `implementer ${implementer}`, source: '/proc/cpuinfo CPU implementer' };
  }
  const family: Fact<string> =
    get('cpu family') === undefined && get('CPU architecture') !== undefined
      ? { value: `ARMv${get('CPU architecture')!}`, source: '/proc/cpuinfo CPU architecture' }
      : fromCpuinfo('cpu family', 'no cpu family in /proc/cpuinfo');
  const modelId =
    get('model') !== undefined
      ? { value: get('model')!, source: '/proc/cpuinfo' }
      : get('CPU part') !== undefined
        ? { value: `part ${get('CPU part')!}`, source: '/proc/cpuinfo CPU part' }
        : unknown('no model number in /proc/cpuinfo');
  const stepping =
    get('stepping') !== undefined
      ? { value: get('stepping')!, source: '/proc/cpuinfo' }
      : get('CPU revision') !== undefined
        ? { value: `r${get('CPU revision')!}`, source: '/proc/cpuinfo CPU revision' }
        : unknown('no stepping in /proc/cpuinfo');

  const flagWords = get('flags') ?? get('Features');
  const flags: Fact<string[]> =
    flagWords === undefined
      ? unknown(cpuinfoText === undefined ? 'no /proc/cpuinfo' : 'no flags or Features line in /proc/cpuinfo')
      : { value: flagWords.split(/\s+/).filter((w) => w !== ''), source: '/proc/cpuinfo' };
  const flagSet = new Set(isUnknown(flags) ? [] : flags.value);
  const simd = [...new Set(SIMD_NAMES.filter(([flag]) => flagSet.has(flag)).map(([, name]) => name))];

  const topology = captureTopology(sources, processors, siCpu);
  const affinityText = sources.readText('/proc/self/status')?.match(/^Cpus_allowed_list:\s*(\S+)/m)?.[1];

  return {
    model,
    modelSource,
    vendor,
    family,
    modelId,
    stepping,
    // os.cpus() is empty where libuv cannot read the CPUs; availableParallelism is the OS's next best count
    logicalCores: osCpus.length > 0 ? osCpus.length : processors.length > 0 ? processors.length : sources.os.availableParallelism(),
    ...topology,
    availableParallelism: sources.os.availableParallelism(),
    affinity: affinityText === undefined ? unknown('no Cpus_allowed_list in /proc/self/status') : { value: affinityText, source: '/proc/self/status' },
    simd,
    flags,
    caches: captureCaches(sources),
    frequency: captureFrequency(sources, processors, siCpu),
  };
}

function onlineCpus(sources: HostSources): number[] | undefined {
  const text = sources.readText(`${CPU_SYS}/online`);
  return text === undefined ? undefined : parseCpuList(text);
}

function captureTopology(
  sources: HostSources,
  processors: Array<Map<string, string>>,
  siCpu: Systeminformation.CpuData | undefined,
): Pick<CpuFacts, 'physicalCores' | 'sockets' | 'threadsPerCore'> {
  const online = onlineCpus(sources);
  const cores = new Set<string>();
  const packages = new Set<string>();
  let source = '';
  if (online !== undefined) {
    for (const cpu of online) {
      const pkg = firstLine(sources.readText(`${CPU_SYS}/cpu${cpu}/topology/physical_package_id`));
      const die = firstLine(sources.readText(`${CPU_SYS}/cpu${cpu}/topology/die_id`)) ?? '0';
      const core = firstLine(sources.readText(`${CPU_SYS}/cpu${cpu}/topology/core_id`));
      if (pkg === undefined || core === undefined) continue;
      packages.add(pkg);
      cores.add(`${pkg}/${die}/${core}`);
    }
    if (cores.size > 0) source = `${CPU_SYS}/cpu*/topology`;
  }
  if (cores.size === 0) {
    // x86 /proc/cpuinfo carries the same ids
    for (const p of processors) {
      const pkg = p.get('physical id');
      const core = p.get('core id');
      if (pkg === undefined || core === undefined) continue;
      packages.add(pkg);
      cores.add(`${pkg}/${core}`);
    }
    if (cores.size > 0) source = '/proc/cpuinfo physical id/core id';
  }
  if (cores.size === 0) {
    const why = 'no CPU topology in sysfs or /proc/cpuinfo';
    const physical = siCpu !== undefined && siCpu.physicalCores > 0 ? { value: siCpu.physicalCores, source: 'systeminformation cpu()' } : unknown(why);
    const sockets = siCpu !== undefined && siCpu.processors > 0 ? { value: siCpu.processors, source: 'systeminformation cpu()' } : unknown(why);
    return { physicalCores: physical, sockets, threadsPerCore: unknown(why) };
  }
  const logical = online?.length ?? processors.length;
  const tpc = logical / cores.size;
  return {
    physicalCores: { value: cores.size, source },
    sockets: { value: packages.size, source },
    threadsPerCore: Number.isInteger(tpc) ? { value: tpc, source } : unknown(`${logical} logical CPUs over ${cores.size} cores is not a whole number`),
  };
}

/** Cache levels from sysfs: the size of one instance and how many instances the online CPUs have. */
function captureCaches(sources: HostSources): MaybeKnown<CpuCache[]> {
  const online = onlineCpus(sources) ?? [0];
  const byKey = new Map<string, { cache: Omit<CpuCache, 'instances'>; shared: Set<string> }>();
  for (const cpu of online) {
    const dir = `${CPU_SYS}/cpu${cpu}/cache`;
    const indexes = sources.list(dir)?.filter((e) => /^index\d+$/.test(e));
    if (indexes === undefined) continue;
    for (const index of indexes) {
      const level = parseIntFile(sources.readText(`${dir}/${index}/level`));
      const typeText = firstLine(sources.readText(`${dir}/${index}/type`))?.toLowerCase();
      const size = parseSizeString(firstLine(sources.readText(`${dir}/${index}/size`)) ?? '');
      if (level === undefined || size === undefined || size === 0) continue;
      const type = typeText === 'data' || typeText === 'instruction' ? typeText : 'unified';
      const key = `${level}/${type}`;
      const sharedList = firstLine(sources.readText(`${dir}/${index}/shared_cpu_list`));
      let entry = byKey.get(key);
      if (entry === undefined) {
        const line = parseIntFile(sources.readText(`${dir}/${index}/coherency_line_size`));
        entry = {
          cache: {
            level,
            type,
            sizeBytes: size,
            sharedByCpus: sharedList === undefined ? unknown('no shared_cpu_list in sysfs') : parseCpuList(sharedList).length,
            lineBytes: line === undefined || line === 0 ? unknown('no coherency_line_size in sysfs') : line,
          },
          shared: new Set(),
        };
        byKey.set(key, entry);
      }
      entry.shared.add(sharedList ?? `cpu${cpu}`);
    }
  }
  if (byKey.size === 0) return unknown(`no cache information in ${CPU_SYS}/cpu*/cache`);
  const order = { data: 0, instruction: 1, unified: 2 };
  return [...byKey.values()]
    .map(({ cache, shared }) => ({ ...cache, instances: shared.size }))
    .sort((a, b) => a.level - b.level || order[a.type] - order[b.type]);
}

function khzFile(sources: HostSources, path: string): number | undefined {
  const v = parseIntFile(sources.readText(path));
  return v === undefined || v <= 0 ? undefined : v / 1000;
}

function captureFrequency(
  sources: HostSources,
  processors: Array<Map<string, string>>,
  siCpu: Systeminformation.CpuData | undefined,
): Omit<CpuFrequency, 'measuredMhz'> {
  const freqDir = `${CPU_SYS}/cpu0/cpufreq`;
  const hasCpufreq = sources.exists(freqDir);
  const noCpufreq = `no ${freqDir} (no cpufreq driver; usual in VMs and containers)`;

  let baseMhz: Fact<number>;
  const base = khzFile(sources, `${freqDir}/base_frequency`);
  if (base !== undefined) baseMhz = { value: base, source: `${freqDir}/base_frequency` };
  else if (siCpu !== undefined && siCpu.speed > 0)
    baseMhz = { value: Math.round(siCpu.speed * 1000), source: 'systeminformation cpu().speed (model name or cpufreq)' };
  else baseMhz = unknown(hasCpufreq ? 'cpufreq has no base_frequency and the model name states none' : `${noCpufreq}; the model name states none`);

  let maxMhz: Fact<number>;
  const max = khzFile(sources, `${freqDir}/cpuinfo_max_freq`);
  if (max !== undefined) maxMhz = { value: max, source: `${freqDir}/cpuinfo_max_freq` };
  else if (siCpu !== undefined && siCpu.speedMax > 0) maxMhz = { value: Math.round(siCpu.speedMax * 1000), source: 'systeminformation cpu().speedMax' };
  else maxMhz = unknown(hasCpufreq ? 'cpufreq has no cpuinfo_max_freq' : noCpufreq);

  let currentMhz: Fact<number>;
  const online = onlineCpus(sources) ?? [0];
  const cur = online.map((c) => khzFile(sources, `${CPU_SYS}/cpu${c}/cpufreq/scaling_cur_freq`)).filter((v): v is number => v !== undefined);
  const cpuinfoMhz = processors.map((p) => Number(p.get('cpu MHz'))).filter((v) => Number.isFinite(v) && v > 0);
  if (cur.length > 0) currentMhz = { value: round1(mean(cur)), source: `${CPU_SYS}/cpu*/cpufreq/scaling_cur_freq (mean over CPUs)` };
  else if (cpuinfoMhz.length > 0) currentMhz = { value: round1(mean(cpuinfoMhz)), source: '/proc/cpuinfo cpu MHz (mean over CPUs)' };
  else currentMhz = unknown(`${noCpufreq}; no cpu MHz in /proc/cpuinfo`);

  const governor = firstLine(sources.readText(`${freqDir}/scaling_governor`));
  return {
    baseMhz,
    maxMhz,
    currentMhz,
    governor:
      governor === undefined ? unknown(hasCpufreq ? 'no scaling_governor in cpufreq' : noCpufreq) : { value: governor, source: `${freqDir}/scaling_governor` },
  };
}
