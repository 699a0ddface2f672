// The high-concurrency experiment's connection steps under the host's open-file limit: each connection is a
// descriptor in the load generator, so the hard limit (less what else the process holds) is the ceiling; steps
// above it are dropped and the ceiling itself becomes the last step. Pure: the limit comes in.

import type { ConnectionCeiling } from '../results/experiments.js';

const count = (n: number): string => n.toLocaleString('en-US');

/** The steps a definition asks for, capped by a hard open-file limit (undefined: unknown). */
export function connectionSteps(
  requested: readonly number[],
  hardLimit: number | 'unlimited' | undefined,
  headroom: number,
): { steps: number[]; ceiling: ConnectionCeiling } {
  const base = { hardLimit: hardLimit ?? 'unknown', headroom, requested: [...requested] };
  if (hardLimit === undefined || hardLimit === 'unlimited') {
    const why = hardLimit === undefined ? 'unknown (no /proc/self/limits)' : 'unlimited';
    const note = `open-file limit ${why}: the steps as defined (${requested.map(count).join(', ')} connections)`;
    return { steps: [...requested], ceiling: { ...base, allowed: null, dropped: [], note } };
  }
  const allowed = Math.max(1, hardLimit - headroom);
  const kept = requested.filter((c) => c <= allowed);
  const dropped = requested.filter((c) => c > allowed);
  const steps = dropped.length > 0 && (kept.length === 0 || kept[kept.length - 1]! < allowed) ? [...kept, allowed] : kept;
  const limit =
    `open-file limit ${count(hardLimit)} (hard) less ${count(headroom)} descriptors kept for everything else: ` + `at most ${count(allowed)} connections`;
  const note =
    dropped.length === 0
      ? `${limit}; every step fits`
      : `${limit}; ${dropped.map(count).join(', ')} left out and ${count(allowed)} is the last step ` +
        `(raise the limit with \`ulimit -n ${dropped[dropped.length - 1]! + headroom}\` before servebench to go higher; it needs root)`;
  return { steps, ceiling: { ...base, allowed, dropped, note } };
}
