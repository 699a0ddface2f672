// The hardware report's sections on the host as the environment block captured it: CPU, caches, memory,
// cgroup limits, OS, storage, network, runtime, native addon and tools. One function per section.

import type { EnvBlock, NumaNode, ToolName } from '../../results/env.js';
import { isUnknown, TOOL_NAMES } from '../../results/env.js';
import type { HardwareData } from '../../results/hardware.js';
import { formatBinaryBytes as fmtBytes } from '../format.js';
import { type Cell, fact, freqLine, limit, maybe, measuredCell, type Section, t, type Table, u } from './cells.js';

export function cpuSection(env: EnvBlock, data: HardwareData): Section {
  const c = env.cpu;
  const rows: Cell[][] = [
    [t('Model'), t(c.model), t(c.modelSource)],
    [t('Vendor'), ...fact(c.vendor)],
    [t('Family'), ...fact(c.family)],
    [t('Model number'), ...fact(c.modelId)],
    [t('Stepping'), ...fact(c.stepping)],
    [t('Logical CPUs'), t(c.logicalCores), t('os.cpus()')],
    [t('Physical cores'), ...fact(c.physicalCores)],
    [t('Sockets'), ...fact(c.sockets)],
    [t('Threads per core'), ...fact(c.threadsPerCore)],
    [t('Available parallelism'), t(c.availableParallelism), t('os.availableParallelism()')],
    [t('Affinity (CPUs allowed)'), ...fact(c.affinity)],
    freqLine('Base frequency', c.frequency.baseMhz),
    freqLine('Max frequency', c.frequency.maxMhz),
    freqLine('Current frequency (OS)', c.frequency.currentMhz),
    // the suite's own measurement, else the one taken at capture time
    [t('Measured frequency'), ...measuredCell(isUnknown(data.frequency) && !isUnknown(c.frequency.measuredMhz) ? c.frequency.measuredMhz : data.frequency)],
    [t('Governor'), ...fact(c.frequency.governor)],
    [
      t('SIMD'),
      c.simd.length === 0 ? u(isUnknown(c.flags) ? c.flags.reason : 'no SIMD extension among the CPU flags') : t(c.simd.join(' ')),
      isUnknown(c.flags) ? t('') : t(c.flags.source),
    ],
  ];
  return {
    id: 'cpu',
    title: 'CPU',
    paragraphs: isUnknown(c.flags) ? [] : [`All ${c.flags.value.length} CPU flags: ${c.flags.value.join(' ')}`],
    tables: [{ columns: ['Field', 'Value', 'Source'], rows }],
  };
}

export function cachesSection(env: EnvBlock): Section {
  const caches = env.cpu.caches;
  if (isUnknown(caches)) return { id: 'caches', title: 'Caches', paragraphs: [`Cache sizes unknown: ${caches.reason}.`], tables: [] };
  return {
    id: 'caches',
    title: 'Caches',
    paragraphs: ['Size is one instance; instances are counted over the online CPUs (source: sysfs cpu*/cache).'],
    tables: [
      {
        columns: ['Level', 'Type', 'Size (one)', 'Instances', 'Shared by CPUs', 'Line'],
        rows: caches.map((k) => [
          t(`L${k.level}`),
          t(k.type),
          t(fmtBytes(k.sizeBytes)),
          t(k.instances),
          maybe(k.sharedByCpus),
          maybe(k.lineBytes, (b) => `${b} B`),
        ]),
      },
    ],
  };
}

/** The nodes' memory should add up to the total; say so when it does not (hot-plugged or ballooned memory). */
function numaNote(nodes: NumaNode[], totalBytes: number): string {
  const known = nodes.map((n) => n.memTotalBytes).filter((b): b is number => typeof b === 'number');
  if (known.length !== nodes.length) return '';
  const sum = known.reduce((a, b) => a + b, 0);
  return Math.abs(sum - totalBytes) > 0.1 * totalBytes
    ? ` The nodes' own meminfo adds up to ${fmtBytes(sum)} of the ${fmtBytes(totalBytes)} in /proc/meminfo ` +
        '(memory hot-plugged or ballooned outside the node accounting); both are shown as the kernel reports them.'
    : '';
}

export function memorySection(env: EnvBlock): Section {
  const m = env.memory;
  const tables: Table[] = [
    {
      columns: ['Field', 'Value', 'Source'],
      rows: [
        [t('Total'), t(fmtBytes(m.totalBytes)), t(m.source)],
        [t('Available'), t(fmtBytes(m.availableBytes)), t(m.source)],
        [t('Swap'), ...fact(m.swapTotalBytes, fmtBytes)],
        [t('Transparent huge pages'), ...fact(m.transparentHugepages)],
        [t('cgroup memory limit'), limit(m.cgroupLimitBytes, fmtBytes), t(env.cgroup.memoryLimitSource)],
      ],
    },
  ];
  if (!isUnknown(m.numaNodes)) {
    tables.push({ columns: ['NUMA node', 'CPUs', 'Memory'], rows: m.numaNodes.map((n) => [t(n.node), t(n.cpus), maybe(n.memTotalBytes, fmtBytes)]) });
  }
  if (!isUnknown(m.layout)) {
    tables.push({
      columns: ['Module', 'Size', 'Type', 'Clock', 'Form factor'],
      rows: m.layout.map((mod) => [
        maybe(mod.bank),
        t(fmtBytes(mod.sizeBytes)),
        maybe(mod.type),
        maybe(mod.clockMhz, (v) => `${v} MHz`),
        maybe(mod.formFactor),
      ]),
    });
  }
  const numa = isUnknown(m.numaNodes)
    ? `NUMA nodes unknown: ${m.numaNodes.reason}.`
    : `${m.numaNodes.length} NUMA node${m.numaNodes.length === 1 ? '' : 's'}.${numaNote(m.numaNodes, m.totalBytes)}`;
  return {
    id: 'memory',
    title: 'Memory',
    paragraphs: [numa, ...(isUnknown(m.layout) ? [`Memory layout unknown: ${m.layout.reason}.`] : [])],
    tables,
  };
}

export function limitsSection(env: EnvBlock): Section {
  const c = env.cpu;
  return {
    id: 'limits',
    title: 'Limits (cgroup)',
    paragraphs: ['cgroup limits cap what a benchmark can use whatever the hardware offers; every level up to the visible root is read and the tightest wins.'],
    tables: [
      {
        columns: ['Field', 'Value', 'Source'],
        rows: [
          [t('cgroup version'), maybe(env.cgroup.version), t('/proc/self/mountinfo')],
          [t('CPU quota'), limit(c.cgroupCpuQuota, (q) => `${q} cores`), t(env.cgroup.cpuQuotaSource)],
          [t('Memory limit'), limit(env.memory.cgroupLimitBytes, fmtBytes), t(env.cgroup.memoryLimitSource)],
          [t('cpuset'), ...fact(env.cgroup.cpusetCpus)],
          [t('Usable cores'), t(c.usableCores), t('min(availableParallelism, ceil(CPU quota))')],
        ],
      },
    ],
  };
}

export function osSection(env: EnvBlock): Section {
  const h = env.host;
  return {
    id: 'os',
    title: 'Operating system and virtualization',
    paragraphs: [],
    tables: [
      {
        columns: ['Field', 'Value', 'Source'],
        rows: [
          [t('Hostname'), t(h.hostname), t('os.hostname()')],
          [t('OS'), maybe(h.os), t('/etc/os-release')],
          [t('Kernel'), t(h.kernel), t('/proc/sys/kernel/osrelease')],
          [t('Platform / arch'), t(`${h.platform} / ${h.arch}`), t('process')],
          [t('Machine'), ...fact(h.system)],
          [t('Virtualization'), maybe(h.virtualization), t(h.virtualizationSource)],
          [t('Container'), maybe(h.container), t(h.containerSource)],
          [t('Uptime'), t(`${(h.uptimeSec / 3600).toFixed(1)} h`), t('os.uptime()')],
        ],
      },
    ],
  };
}

export function storageSection(env: EnvBlock): Section {
  const s = env.storage;
  const rows: Cell[][] = [[t('Working folder'), t(s.workingDir)]];
  if (isUnknown(s.filesystem)) rows.push([t('Filesystem'), u(s.filesystem.reason)]);
  else {
    rows.push(
      [t('Filesystem'), t(`${s.filesystem.type} mounted at ${s.filesystem.mountPoint} from ${s.filesystem.device}`)],
      [t('Size / available'), t(`${fmtBytes(s.filesystem.sizeBytes)} / ${fmtBytes(s.filesystem.availableBytes)}`)],
    );
  }
  if (isUnknown(s.disk)) rows.push([t('Disk'), u(s.disk.reason)]);
  else {
    rows.push(
      [t('Disk'), t(`${s.disk.device} (${s.disk.source})`)],
      [t('Disk model'), maybe(s.disk.model)],
      [t('Disk driver'), maybe(s.disk.driver)],
      [t('Disk size'), maybe(s.disk.sizeBytes, fmtBytes)],
      [t('Rotational'), maybe(s.disk.rotational, (r) => (r ? 'yes (as the kernel is told)' : 'no'))],
    );
  }
  return { id: 'storage', title: 'Storage', paragraphs: [], tables: [{ columns: ['Field', 'Value'], rows }] };
}

export function networkSection(env: EnvBlock): Section {
  const network = env.network;
  if (isUnknown(network)) return { id: 'network', title: 'Network', paragraphs: [`Network interfaces unknown: ${network.reason}.`], tables: [] };
  return {
    id: 'network',
    title: 'Network',
    paragraphs: ['All load in servebench goes over loopback (lo).'],
    tables: [
      {
        columns: ['Interface', 'State', 'MTU', 'Speed', 'MAC', 'IPv4', 'IPv6', 'Kind'],
        rows: network.map((n) => [
          t(n.name),
          maybe(n.state),
          maybe(n.mtu),
          maybe(n.speedMbps, (v) => `${v} Mbit/s`),
          maybe(n.mac),
          t(n.ipv4.join(', ') || '-'),
          t(n.ipv6.join(', ') || '-'),
          t(n.internal ? 'loopback' : n.physical ? 'device' : 'virtual'),
        ]),
      },
    ],
  };
}

/** The GPUs: the first thing a reader serving models looks for, so 'none found' is said, not left out. */
export function gpuSection(env: EnvBlock): Section {
  const gpus = env.gpus;
  const title = 'GPU';
  if (gpus === undefined) return { id: 'gpu', title, paragraphs: ['Not recorded (a results file written before servebench recorded GPUs).'], tables: [] };
  if (isUnknown(gpus)) return { id: 'gpu', title, paragraphs: [`GPUs unknown: ${gpus.reason}.`], tables: [] };
  if (gpus.length === 0) {
    return {
      id: 'gpu',
      title,
      paragraphs: ['None found: no graphics or compute controller is listed (systeminformation, nvidia-smi where installed). Every figure here is CPU-only.'],
      tables: [],
    };
  }
  return {
    id: 'gpu',
    title,
    paragraphs: ['servebench runs every model on the CPU; a GPU here is listed, not used.'],
    tables: [
      {
        columns: ['Vendor', 'Model', 'Driver', 'Memory', 'Bus'],
        rows: gpus.map((g) => [t(g.vendor), t(g.model), t(g.driver ?? '-'), t(g.memoryBytes === null ? '-' : fmtBytes(g.memoryBytes)), t(g.bus ?? '-')]),
      },
    ],
  };
}

/** The GPU line of the short summary. */
export function gpuSummary(env: EnvBlock): string {
  const gpus = env.gpus;
  if (gpus === undefined) return 'not recorded';
  if (isUnknown(gpus)) return `unknown (${gpus.reason})`;
  if (gpus.length === 0) return 'none found';
  return gpus
    .map((g) => `${g.vendor} ${g.model}${g.driver === null ? '' : ` (driver ${g.driver})`}${g.memoryBytes === null ? '' : `, ${fmtBytes(g.memoryBytes)}`}`)
    .join(' · ');
}

export function runtimeSection(env: EnvBlock): Section {
  const r = env.runtime;
  return {
    id: 'runtime',
    title: 'Runtime',
    paragraphs: [],
    tables: [
      {
        columns: ['Field', 'Value'],
        rows: [
          [t('Node.js'), t(r.node)],
          [t('V8'), t(r.v8)],
          [t('libuv'), t(r.uv)],
          [t('OpenSSL'), t(r.openssl)],
          [t('N-API'), t(r.napi)],
          [t('UV_THREADPOOL_SIZE'), t(r.uvThreadpoolSize)],
          [t('NODE_OPTIONS'), t(r.nodeOptions ?? 'not set')],
          [t('execArgv'), t(r.execArgv.length === 0 ? 'none' : r.execArgv.join(' '))],
        ],
      },
    ],
  };
}

export function nativeSection(env: EnvBlock): Section {
  const n = env.native;
  return {
    id: 'native',
    title: 'Native addon',
    paragraphs: [
      n.available ? `Loaded from ${n.file}.` : `Not loaded: ${n.reason}. Native kernels and the bandwidth probe are unavailable; nothing falls back silently.`,
    ],
    tables: n.available ? [{ columns: ['Build fact', 'Value'], rows: Object.entries(n.build).map(([k, v]) => [t(k), t(v)]) }] : [],
  };
}

export function toolsSection(env: EnvBlock): Section {
  return {
    id: 'tools',
    title: 'Tools',
    paragraphs: ['Versions of the tools servebench drives; a missing one is unknown with the reason.'],
    tables: [
      {
        columns: ['Tool', 'Version', 'Source'],
        rows: TOOL_NAMES.map((name: ToolName) => {
          const v = env.tools[name];
          return isUnknown(v) ? [t(name), u(v.reason), t('')] : [t(name), t(v.version), t(v.source)];
        }),
      },
    ],
  };
}
