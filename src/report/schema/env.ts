// The environment block: captured once per run and embedded in every results file.

import type { NativeStatus } from './common.js';

/** A fact that could not be known is marked so, with the reason: never guessed, never '' or 0. */
export type Unknown = { unknown: true; reason: string };
export type MaybeKnown<T> = T | Unknown;

export function isUnknown(v: unknown): v is Unknown {
  return typeof v === 'object' && v !== null && (v as { unknown?: unknown }).unknown === true;
}

export interface NoiseCheck {
  /** 1-minute load average divided by logical cores. */
  loadPerCore: number;
  /** Share of CPU time stolen by the hypervisor during the check window, as a fraction. */
  stealFraction: MaybeKnown<number>;
  /** Share of CPU time busy (not idle) during the check window, as a fraction. */
  busyFraction: MaybeKnown<number>;
  windowMs: number;
  /** False when the host looks too busy for trustworthy figures. */
  quiet: boolean;
  warnings: string[];
}

export interface EnvBlock {
  capturedAt: string;
  host: {
    hostname: string;
    platform: string;
    arch: string;
    kernel: string;
    os: MaybeKnown<string>;
    virtualization: MaybeKnown<string>;
  };
  cpu: {
    model: string;
    logicalCores: number;
    /** What node may use: os.availableParallelism (honours affinity). */
    availableParallelism: number;
    /** The cgroup CPU quota in cores, when one is set. */
    cgroupCpuQuota: MaybeKnown<number | 'max'>;
    simd: string[];
  };
  memory: {
    totalBytes: number;
    availableBytes: number;
    cgroupLimitBytes: MaybeKnown<number | 'max'>;
  };
  runtime: {
    node: string;
    v8: string;
    uv: string;
    openssl: string;
    /** UV_THREADPOOL_SIZE as set, or 'default (4)'. */
    uvThreadpoolSize: string;
  };
  native: NativeStatus;
  /** Present when the run measured it. */
  noise?: NoiseCheck;
}
