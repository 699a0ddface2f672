// The environment block: captured once per run and embedded in every results file (kernels, load, profile,
// hardware, bench), always in this one shape, so two runs can be compared honestly. A fact that could not be
// known is marked unknown with the reason; it is never guessed, never '' and never 0.

import type { NativeStatus } from './common.js';

/** A fact that could not be known is marked so, with the reason: never guessed, never '' or 0. */
export type Unknown = { unknown: true; reason: string };
export type MaybeKnown<T> = T | Unknown;

export function isUnknown(v: unknown): v is Unknown {
  return typeof v === 'object' && v !== null && (v as { unknown?: unknown }).unknown === true;
}

/** A known figure and where it came from, e.g. '/proc/cpuinfo', 'sysfs cpufreq', 'systeminformation'. */
export interface Sourced<T> {
  value: T;
  source: string;
}

/** A sourced fact, or unknown with the reason. */
export type Fact<T> = Sourced<T> | Unknown;

/** The value of a fact, or undefined when it is unknown. */
export function factValue<T>(f: Fact<T>): T | undefined {
  return isUnknown(f) ? undefined : f.value;
}

/** Version of the EnvBlock layout; bumped when fields change meaning (1 was the skeleton's placeholder). */
export const ENV_BLOCK_VERSION = 2 as const;

export interface CpuCache {
  /** 1, 2, 3 (4 on a few parts). */
  level: number;
  type: 'data' | 'instruction' | 'unified';
  /** Size of one instance, bytes. */
  sizeBytes: number;
  /** How many instances exist among the online CPUs (e.g. one L2 per core, one L3 per CCX). */
  instances: number;
  /** Logical CPUs sharing one instance. */
  sharedByCpus: MaybeKnown<number>;
  lineBytes: MaybeKnown<number>;
}

export interface CpuFrequency {
  /** Nominal (base) frequency. */
  baseMhz: Fact<number>;
  /** Highest frequency the OS allows (turbo/boost included). */
  maxMhz: Fact<number>;
  /** Frequency the OS reports now, averaged over the CPUs (in a VM: usually the nominal TSC rate). */
  currentMhz: Fact<number>;
  /** Measured with a calibrated loop (labelled measured); unknown with the reason when not measured. */
  measuredMhz: MaybeKnown<MeasuredFrequency>;
  /** cpufreq scaling governor. */
  governor: Fact<string>;
}

export interface MeasuredFrequency {
  label: 'measured';
  /** From the fastest run of each loop, MHz (a run can be slowed by the host, never sped up). */
  mhz: number;
  /** One figure per timed pair, MHz: their spread shows how disturbed the host was. */
  samplesMhz: number[];
  /** (max - min) / median of samplesMhz, as a fraction. */
  relativeSpread: number;
  /** How it was measured, in one line. */
  method: string;
}

export interface NumaNode {
  node: number;
  /** CPU list as the kernel writes it, e.g. '0-7,16-23'. */
  cpus: string;
  memTotalBytes: MaybeKnown<number>;
}

export interface MemoryModule {
  sizeBytes: number;
  bank: MaybeKnown<string>;
  type: MaybeKnown<string>;
  clockMhz: MaybeKnown<number>;
  formFactor: MaybeKnown<string>;
}

export interface FilesystemInfo {
  mountPoint: string;
  /** ext4, xfs, overlay, tmpfs... */
  type: string;
  /** The mounted device or source, e.g. /dev/vda1, overlay. */
  device: string;
  sizeBytes: number;
  availableBytes: number;
  source: string;
}

export interface DiskInfo {
  /** Kernel name of the whole disk, e.g. nvme0n1, sda, vda. */
  device: string;
  model: MaybeKnown<string>;
  /** Kernel driver of the disk's device, e.g. nvme, sd, virtio_blk (the last says the disk is virtual). */
  driver: MaybeKnown<string>;
  sizeBytes: MaybeKnown<number>;
  /** The kernel's rotational flag (in a VM: what the guest is told, not the real medium). */
  rotational: MaybeKnown<boolean>;
  source: string;
}

export interface NetworkInterfaceInfo {
  name: string;
  mac: MaybeKnown<string>;
  ipv4: string[];
  ipv6: string[];
  mtu: MaybeKnown<number>;
  /** Link speed, Mbit/s (virtual interfaces usually report none). */
  speedMbps: MaybeKnown<number>;
  /** up, down, unknown (the kernel's operstate). */
  state: MaybeKnown<string>;
  /** Backed by a device (vs a software interface such as lo, veth, bridge). */
  physical: boolean;
  internal: boolean;
}

/** A version of an external tool or package servebench drives. */
export interface ToolVersion {
  version: string;
  /** The command run or the package.json read. */
  source: string;
}

export type ToolName = 'autocannon' | '0x' | 'clinic' | 'nginx' | 'redis-server' | 'perf' | 'chromium';

export const TOOL_NAMES: readonly ToolName[] = ['autocannon', '0x', 'clinic', 'nginx', 'redis-server', 'perf', 'chromium'];

export interface BusyProcess {
  pid: number;
  /** The kernel's short command name. */
  name: string;
  /** CPU used during the window as a share of one core (1 = one core fully busy). */
  cpuCores: number;
  /** True for the servebench process doing the check. */
  self: boolean;
}

export interface NoiseCheck {
  /** 1-minute load average divided by logical cores. */
  loadPerCore: number;
  /** 1, 5 and 15-minute load averages (runnable + uninterruptible tasks). */
  loadAverage: [number, number, number];
  /** Share of CPU time stolen by the hypervisor during the check window, as a fraction. */
  stealFraction: MaybeKnown<number>;
  /** Share of CPU time busy (not idle) during the check window, as a fraction of all CPUs. */
  busyFraction: MaybeKnown<number>;
  /** The busiest processes during the window (servebench itself idles while it watches). */
  busiestProcesses: MaybeKnown<BusyProcess[]>;
  /**
   * Busy CPU (cores) that no process seen at the window's end accounts for: processes that started and ended
   * within the window (compilers, short scripts). Absent in files written before it was recorded.
   */
  unattributedCores?: number;
  windowMs: number;
  /** The limits the check applies: above any of them the host is called busy. */
  thresholds: { loadPerCore: number; busyFraction: number; stealFraction: number };
  /** False when the host looks too busy for trustworthy figures. */
  quiet: boolean;
  warnings: string[];
}

export interface CgroupInfo {
  /** 'v2', 'v1', 'v1+v2 (hybrid)', or unknown when no cgroup filesystem is visible. */
  version: MaybeKnown<string>;
  /** Where the CPU quota was read (file path), or why none applies. */
  cpuQuotaSource: string;
  memoryLimitSource: string;
  /** The cgroup's cpuset (which CPUs it may run on). */
  cpusetCpus: Fact<string>;
}

/** One GPU (or other graphics/compute controller) of the host. */
export interface GpuInfo {
  vendor: string;
  model: string;
  /** Driver version, where the OS or nvidia-smi tells. */
  driver: string | null;
  /** Dedicated memory, bytes, where known. */
  memoryBytes: number | null;
  /** The PCI bus address, where known. */
  bus: string | null;
}

/** The project the run measured: the working folder and, where it is a git checkout, its commit. */
export interface ProjectInfo {
  cwd: string;
  /** `git rev-parse HEAD` in the working folder; null where it is not a git checkout (or git is missing). */
  gitCommit: string | null;
  /** Uncommitted changes to tracked files (null when unknown). */
  gitDirty: boolean | null;
}

export interface EnvBlock {
  /** Layout version of this block (see ENV_BLOCK_VERSION). */
  envVersion: typeof ENV_BLOCK_VERSION;
  capturedAt: string;
  /** How long the capture took, ms (it runs at the start of every suite, so it must stay cheap). */
  captureMs: number;
  host: {
    hostname: string;
    platform: string;
    arch: string;
    kernel: string;
    os: MaybeKnown<string>;
    /** Hypervisor, e.g. 'kvm', or 'none' when the CPU and firmware show none. */
    virtualization: MaybeKnown<string>;
    /** The evidence the hypervisor answer rests on (a file, a command, a CPU flag). */
    virtualizationSource: string;
    /** Container runtime, e.g. 'docker', or 'none'. */
    container: MaybeKnown<string>;
    containerSource: string;
    /** Manufacturer and product of the machine (firmware tables). */
    system: Fact<string>;
    uptimeSec: number;
  };
  cpu: {
    /** Model name: /proc/cpuinfo's, else systeminformation's, else os.cpus()'s. */
    model: string;
    modelSource: string;
    vendor: Fact<string>;
    /** CPU family / model / stepping as numbers in the vendor's scheme (x86: decimal as /proc/cpuinfo). */
    family: Fact<string>;
    modelId: Fact<string>;
    stepping: Fact<string>;
    /** Logical CPUs online (os.cpus().length). */
    logicalCores: number;
    physicalCores: Fact<number>;
    sockets: Fact<number>;
    threadsPerCore: Fact<number>;
    /** What node may use: os.availableParallelism (honours affinity). */
    availableParallelism: number;
    /** The CPUs this process may run on (affinity), kernel list syntax. */
    affinity: Fact<string>;
    /** The cgroup CPU quota in cores, when one is set. */
    cgroupCpuQuota: MaybeKnown<number | 'max'>;
    /** Cores a benchmark can really use: min(availableParallelism, ceil(cgroup quota)). */
    usableCores: number;
    frequency: CpuFrequency;
    /** SIMD extensions present, in common spelling (sse4.2, avx2, avx512f, neon, sve...). */
    simd: string[];
    /** Every flag the kernel reports, as written there. */
    flags: Fact<string[]>;
    caches: MaybeKnown<CpuCache[]>;
  };
  memory: {
    totalBytes: number;
    availableBytes: number;
    /** Where total/available came from ('/proc/meminfo' or 'os.totalmem/os.freemem'). */
    source: string;
    swapTotalBytes: Fact<number>;
    cgroupLimitBytes: MaybeKnown<number | 'max'>;
    numaNodes: MaybeKnown<NumaNode[]>;
    layout: MaybeKnown<MemoryModule[]>;
    /** Transparent huge pages mode (always, madvise, never). */
    transparentHugepages: Fact<string>;
  };
  cgroup: CgroupInfo;
  storage: {
    /** The working folder the figures were measured from. */
    workingDir: string;
    filesystem: MaybeKnown<FilesystemInfo>;
    disk: MaybeKnown<DiskInfo>;
  };
  network: MaybeKnown<NetworkInterfaceInfo[]>;
  /**
   * Graphics and compute accelerators (systeminformation's graphics(), which asks nvidia-smi where it is
   * installed): an empty list means none was found. Absent in files written before it was recorded.
   */
  gpus?: MaybeKnown<GpuInfo[]>;
  /** The measured project (absent in files written before it was recorded). */
  project?: ProjectInfo;
  runtime: {
    node: string;
    v8: string;
    uv: string;
    openssl: string;
    /** UV_THREADPOOL_SIZE as set, or 'default (4)'. */
    uvThreadpoolSize: string;
    /** N-API version node offers. */
    napi: string;
    execArgv: string[];
    /** NODE_OPTIONS as set, or null when not set. */
    nodeOptions: string | null;
  };
  native: NativeStatus;
  tools: Record<ToolName, MaybeKnown<ToolVersion>>;
  /** Load, steal and busy processes over a short window at capture time. */
  noise: NoiseCheck;
  /** Sources that failed during capture (the affected facts are marked unknown). */
  warnings: string[];
}
