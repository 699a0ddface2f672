// Captures the environment block once per run; every results file embeds it. Cheap by default (it runs at
// the start of every suite): file reads, a few short version queries (cached for the process), and a short
// noise window. `servebench hw` measures more on top (src/env/suite.ts).

import type { Systeminformation } from 'systeminformation';
import { nativeStatus } from '../kernels/native-binding.js';
import { warn } from '../progress.js';
import { errorMessage } from '../errors.js';
import type { NativeStatus } from '../results/common.js';
import type { EnvBlock, GpuInfo, MaybeKnown, MeasuredFrequency } from '../results/env.js';
import { ENV_BLOCK_VERSION, isUnknown, TOOL_NAMES } from '../results/env.js';
import { type CgroupFacts, captureCgroup } from './cgroup.js';
import { captureCpu } from './cpu.js';
import { measureFrequency } from './frequency.js';
import { captureMemory } from './memory.js';
import { checkNoise, type NoiseThresholds } from './noise.js';
import { unknown } from './parse.js';
import { createHostSources, type HostSources, type SystemInfoApi } from './sources.js';
import { captureNetwork, captureStorage } from './storage.js';
import { captureSystem } from './system.js';
import { captureProject } from './project.js';
import { captureTools } from './tools.js';

export interface CaptureEnvOptions {
  /** Where to read the host from. @default the real host ('/') */
  sources?: HostSources;
  /** Length of the noise window, ms. @default 200 */
  noiseWindowMs?: number;
  noiseThresholds?: Partial<NoiseThresholds>;
  /**
   * Measure the CPU frequency with a calibrated loop: 'auto' only when the OS reports no frequency at all.
   * @default 'auto'
   */
  measureFrequency?: 'auto' | 'always' | 'never';
  /** Query tool versions (autocannon, 0x, clinic, nginx, redis-server, perf, chromium). @default true */
  toolVersions?: boolean;
  /** The folder whose disk and filesystem are reported. @default process.cwd() */
  workingDir?: string;
  /** Print noise and capture warnings on stderr. @default true */
  warn?: boolean;
}

const SI_TIMEOUT_MS = 5000;

/** Call one systeminformation function with a timeout; failures become a warning and an unknown. */
async function siCall<T>(si: SystemInfoApi | null, name: string, call: (si: SystemInfoApi) => Promise<T>, warnings: string[]): Promise<MaybeKnown<T>> {
  if (si === null) return unknown('systeminformation not used for this capture');
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      call(si),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${SI_TIMEOUT_MS} ms`)), SI_TIMEOUT_MS);
        timer.unref();
      }),
    ]);
  } catch (err) {
    warnings.push(`systeminformation ${name}() failed: ${errorMessage(err)}`);
    return unknown(`systeminformation ${name}() failed: ${errorMessage(err)}`);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

const value = <T>(v: MaybeKnown<T>): T | undefined => (isUnknown(v) ? undefined : v);

function safeNativeStatus(): NativeStatus {
  try {
    return nativeStatus();
  } catch (err) {
    return { available: false, reason: `native status failed: ${errorMessage(err)}` };
  }
}

type CpuFacts = ReturnType<typeof captureCpu>;

/** The measured frequency: measured with a calibrated loop when asked, or when the OS reports no frequency at all. */
function frequencyOf(cpu: CpuFacts, mode: NonNullable<CaptureEnvOptions['measureFrequency']>): MaybeKnown<MeasuredFrequency> {
  const osReportsFrequency = [cpu.frequency.baseMhz, cpu.frequency.maxMhz, cpu.frequency.currentMhz].some((f) => !isUnknown(f));
  if (mode === 'always' || (mode === 'auto' && !osReportsFrequency)) return measureFrequency({ repeats: mode === 'always' ? 15 : 7 });
  return unknown(mode === 'never' ? 'not measured (measureFrequency: never)' : 'not measured: the OS reports a frequency (`servebench hw` measures it)');
}

function cpuBlock(cpu: CpuFacts, cgroup: CgroupFacts, measuredMhz: MaybeKnown<MeasuredFrequency>): EnvBlock['cpu'] {
  const quota = cgroup.cpuQuota;
  const usableCores = typeof quota === 'number' ? Math.max(1, Math.min(cpu.availableParallelism, Math.ceil(quota))) : cpu.availableParallelism;
  return {
    model: cpu.model,
    modelSource: cpu.modelSource,
    vendor: cpu.vendor,
    family: cpu.family,
    modelId: cpu.modelId,
    stepping: cpu.stepping,
    logicalCores: cpu.logicalCores,
    physicalCores: cpu.physicalCores,
    sockets: cpu.sockets,
    threadsPerCore: cpu.threadsPerCore,
    availableParallelism: cpu.availableParallelism,
    affinity: cpu.affinity,
    cgroupCpuQuota: quota,
    usableCores,
    frequency: { ...cpu.frequency, measuredMhz },
    simd: cpu.simd,
    flags: cpu.flags,
    caches: cpu.caches,
  };
}

function hostBlock(sources: HostSources, system: Awaited<ReturnType<typeof captureSystem>>): EnvBlock['host'] {
  return {
    hostname: sources.os.hostname(),
    platform: process.platform,
    arch: process.arch,
    kernel: system.kernel,
    os: system.os,
    virtualization: system.virtualization,
    virtualizationSource: system.virtualizationSource,
    container: system.container,
    containerSource: system.containerSource,
    system: system.system,
    uptimeSec: Math.round(sources.os.uptime()),
  };
}

/** The GPUs systeminformation lists (an empty list: none found). */
function gpusOf(graphics: MaybeKnown<Systeminformation.GraphicsData>): MaybeKnown<GpuInfo[]> {
  if (isUnknown(graphics)) return graphics;
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
  return graphics.controllers.map((c) => ({
    vendor: text(c.vendor) ?? 'unknown',
    model: text(c.model) ?? text(c.name) ?? 'unknown',
    driver: text(c.driverVersion),
    memoryBytes: typeof c.memoryTotal === 'number' ? c.memoryTotal * 1024 * 1024 : typeof c.vram === 'number' && c.vram > 0 ? c.vram * 1024 * 1024 : null,
    bus: text(c.pciBus) ?? text(c.busAddress),
  }));
}

function runtimeBlock(): EnvBlock['runtime'] {
  return {
    node: process.versions.node,
    v8: process.versions.v8,
    uv: process.versions.uv ?? 'unknown',
    openssl: process.versions.openssl ?? 'unknown',
    uvThreadpoolSize: process.env.UV_THREADPOOL_SIZE ?? 'default (4)',
    napi: process.versions.napi ?? 'unknown',
    execArgv: process.execArgv,
    nodeOptions: process.env.NODE_OPTIONS === undefined || process.env.NODE_OPTIONS === '' ? null : process.env.NODE_OPTIONS,
  };
}

/** The environment block of this host and process. */
export async function captureEnv(options: CaptureEnvOptions = {}): Promise<EnvBlock> {
  const started = performance.now();
  const sources = options.sources ?? createHostSources();
  const realHost = options.sources === undefined;
  const warnings: string[] = [];
  const si = await sources.si();

  const [siCpu, siOs, siLayout, siDisks, siGraphics] = await Promise.all([
    siCall(si, 'cpu', (s) => s.cpu(), warnings),
    siCall(si, 'osInfo', (s) => s.osInfo(), warnings),
    siCall(si, 'memLayout', (s) => s.memLayout(), warnings),
    siCall(si, 'diskLayout', (s) => s.diskLayout(), warnings),
    siCall(si, 'graphics', (s) => s.graphics(), warnings),
  ]);
  const cpu = captureCpu(sources, value<Systeminformation.CpuData>(siCpu));
  const cgroup = captureCgroup(sources);
  const memory = captureMemory(sources, siLayout);
  const [system, tools] = await Promise.all([
    captureSystem(sources, value(siOs), isUnknown(cpu.flags) ? undefined : cpu.flags.value),
    options.toolVersions === false ? Promise.resolve(null) : captureTools(sources, realHost),
  ]);
  const storage = captureStorage(sources, options.workingDir ?? process.cwd(), value(siDisks));
  const network = captureNetwork(sources);
  const measuredMhz = frequencyOf(cpu, options.measureFrequency ?? 'auto');

  // last, with nothing else running: the noise window must see the host, not this capture
  const noise = await checkNoise(sources, {
    windowMs: options.noiseWindowMs ?? 200,
    ...(options.noiseThresholds === undefined ? {} : { thresholds: options.noiseThresholds }),
  });

  const toolsBlock = tools ?? (Object.fromEntries(TOOL_NAMES.map((t) => [t, unknown('tool versions not queried (toolVersions: false)')])) as EnvBlock['tools']);

  const env: EnvBlock = {
    envVersion: ENV_BLOCK_VERSION,
    capturedAt: new Date().toISOString(),
    captureMs: 0,
    host: hostBlock(sources, system),
    cpu: cpuBlock(cpu, cgroup, measuredMhz),
    memory: { ...memory, cgroupLimitBytes: cgroup.memoryLimit },
    cgroup: cgroup.info,
    storage,
    network,
    gpus: gpusOf(siGraphics),
    project: captureProject(options.workingDir ?? process.cwd()),
    runtime: runtimeBlock(),
    native: safeNativeStatus(),
    tools: toolsBlock,
    noise,
    warnings,
  };
  env.captureMs = Math.round(performance.now() - started);
  if (options.warn !== false) {
    for (const w of noise.warnings) warn('env', `host looks busy: ${w}`);
    for (const w of warnings) warn('env', w);
  }
  return env;
}
