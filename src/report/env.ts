// A compact rendering of the environment block, for the head of every report: enough to tell two runs'
// machines apart at a glance (the full picture is the hardware report).

import { factValue, isUnknown, type EnvBlock, type MaybeKnown } from '../results/env.js';
import { formatGiB as gib } from './format.js';

const known = <T>(v: MaybeKnown<T>, show: (x: T) => string = String) => (isUnknown(v) ? `unknown (${v.reason})` : show(v));

/** One line per aspect: host, cpu, memory, limits, runtime, native addon, noise. */
export function envSummaryLines(env: EnvBlock): string[] {
  const c = env.cpu;
  const mhz = factValue(c.frequency.currentMhz);
  const lines = [
    `host: ${env.host.hostname}, ${known(env.host.os)}, kernel ${env.host.kernel}, virtualization ${known(env.host.virtualization)}`,
    `cpu: ${c.model}, ${c.logicalCores} logical cores (${c.usableCores} usable)${mhz === undefined ? '' : `, ${mhz} MHz reported`}, ` +
      `SIMD ${c.simd.join(' ') || 'none found'}`,
    `memory: ${gib(env.memory.totalBytes)} total, ${gib(env.memory.availableBytes)} available at capture`,
    `limits: cgroup cpu quota ${known(c.cgroupCpuQuota, (q) => (q === 'max' ? 'none' : `${q} cores`))}, ` +
      `memory ${known(env.memory.cgroupLimitBytes, (q) => (q === 'max' ? 'none' : gib(q)))}`,
    `runtime: node ${env.runtime.node}, V8 ${env.runtime.v8}, libuv ${env.runtime.uv}, UV_THREADPOOL_SIZE ${env.runtime.uvThreadpoolSize}`,
    `native: ${
      env.native.available
        ? `available (${Object.entries(env.native.build)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')})`
        : `unavailable (${env.native.reason})`
    }`,
  ];
  if (env.noise !== undefined) {
    const n = env.noise;
    lines.push(
      `noise at capture: ${n.quiet ? 'quiet' : 'BUSY'}, load ${n.loadPerCore.toFixed(2)} per core${n.warnings.length > 0 ? `; ${n.warnings.join('; ')}` : ''}`,
    );
  }
  return lines;
}
