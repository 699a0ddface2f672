// The differences between two runs' environments, listed before any figure: the host (CPU, cores, memory:
// when they differ the figures come from other hardware and no verdict can stand), then what may be the very
// change being measured (kernel, Node, the native build) and the noise check of each run.

import type { NativeStatus } from '../common.js';
import type { EnvBlock } from '../env.js';
import type { EnvDifference } from './types.js';

/** The native build facts that change what the native kernels run (not their order or the file's path). */
const NATIVE_BUILD_KEYS = ['crateVersion', 'rustc', 'target', 'profile', 'optLevel', 'compiledFeatures', 'kernelIsa', 'isaCap', 'rayonThreads'] as const;

function nativeBuild(n: NativeStatus): string {
  if (!n.available) return `unavailable (${n.reason})`;
  const facts = NATIVE_BUILD_KEYS.flatMap((k) => (n.build[k] === undefined ? [] : [`${k} ${n.build[k]}`]));
  return `available: ${facts.join(', ')}`;
}

/** The noise check in short (its warnings are in each run's own report). */
function noise(env: EnvBlock): string {
  const n = env.noise;
  const busy = typeof n.busyFraction === 'number' ? `, ${Math.round(n.busyFraction * 100)}% CPU busy` : '';
  return `${n.quiet ? 'quiet' : 'busy'} (load ${n.loadPerCore.toFixed(2)} per core${busy})`;
}

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}

interface Fact {
  fact: string;
  read: (e: EnvBlock) => string;
  hostChange: boolean;
  /** Listed even when equal (the noise check: a busy run is worth knowing on either side). */
  show?: (a: EnvBlock, b: EnvBlock) => boolean;
}

const FACTS: readonly Fact[] = [
  { fact: 'CPU model', read: (e) => e.cpu.model, hostChange: true },
  { fact: 'logical cores', read: (e) => String(e.cpu.logicalCores), hostChange: true },
  { fact: 'usable cores', read: (e) => String(e.cpu.usableCores), hostChange: true },
  // Whole GiB: the kernel's own reservations move MemTotal by a few MiB between boots of the same machine.
  { fact: 'memory', read: (e) => gib(e.memory.totalBytes), hostChange: true },
  { fact: 'hostname', read: (e) => e.host.hostname, hostChange: false },
  { fact: 'kernel', read: (e) => e.host.kernel, hostChange: false },
  { fact: 'Node', read: (e) => e.runtime.node, hostChange: false },
  { fact: 'V8', read: (e) => e.runtime.v8, hostChange: false },
  { fact: 'NODE_OPTIONS', read: (e) => e.runtime.nodeOptions ?? '(not set)', hostChange: false },
  { fact: 'UV_THREADPOOL_SIZE', read: (e) => e.runtime.uvThreadpoolSize, hostChange: false },
  { fact: 'native build', read: (e) => nativeBuild(e.native), hostChange: false },
  { fact: 'noise check', read: noise, hostChange: false, show: (a, b) => !a.noise.quiet || !b.noise.quiet },
];

/**
 * Every environment fact that differs (and the noise check whenever a run was busy). A difference of CPU
 * model, cores or memory is a change of host: it is marked so, and the comparison's verdicts then say so.
 */
export function environmentDifferences(base: EnvBlock, next: EnvBlock): EnvDifference[] {
  const out: EnvDifference[] = [];
  for (const f of FACTS) {
    const a = f.read(base);
    const b = f.read(next);
    if (a !== b || f.show?.(base, next) === true) out.push({ fact: f.fact, base: a, new: b, hostChange: f.hostChange && a !== b });
  }
  return out;
}

/** The differences' one-line reason for a changed host, e.g. 'different host (CPU model: A vs B)'. */
export function hostChangeMessage(diffs: readonly EnvDifference[]): string | undefined {
  const changed = diffs.filter((d) => d.hostChange);
  if (changed.length === 0) return undefined;
  return `different host (${changed.map((d) => `${d.fact}: ${d.base} vs ${d.new}`).join('; ')})`;
}
