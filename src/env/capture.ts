// Captures the environment block once per run; every results file embeds it.

import os from 'node:os';
import type { EnvBlock } from '../report/schema/env.js';

const unknown = (reason: string) => ({ unknown: true as const, reason });

/** The environment block of this host and process. */
export async function captureEnv(): Promise<EnvBlock> {
  const cpus = os.cpus();
  return {
    capturedAt: new Date().toISOString(),
    host: {
      hostname: os.hostname(),
      platform: process.platform,
      arch: process.arch,
      kernel: os.release(),
      os: unknown('not captured yet'),
      virtualization: unknown('not captured yet'),
    },
    cpu: {
      model: cpus[0]?.model.trim() ?? 'unknown',
      logicalCores: cpus.length,
      availableParallelism: os.availableParallelism(),
      cgroupCpuQuota: unknown('not captured yet'),
      simd: [],
    },
    memory: { totalBytes: os.totalmem(), availableBytes: os.freemem(), cgroupLimitBytes: unknown('not captured yet') },
    runtime: {
      node: process.versions.node,
      v8: process.versions.v8,
      uv: process.versions.uv ?? 'unknown',
      openssl: process.versions.openssl ?? 'unknown',
      uvThreadpoolSize: process.env.UV_THREADPOOL_SIZE ?? 'default (4)',
    },
    native: { available: false, reason: 'native addon not wired yet' },
  };
}
