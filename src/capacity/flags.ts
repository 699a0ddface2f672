// The flags a capacity run raises from its own data: an unavailable or errored kernel, an imprecise or
// non-monotonic boundary, failures past it that are not the budget running out, a derived figure the
// measured check disagrees with, and errored points of the server check.

import type { Flag } from '../results/common.js';
import type { CapacityKernelResult, CapacityModelResult, ProbeOutcomeKind, ServerCheck } from '../results/capacity.js';
import { formatN } from '../report/format.js';

/** Failures that are not the budget running out (V8's maximum Array length, a time limit, a crash). */
const NOT_MEMORY: readonly ProbeOutcomeKind[] = ['array-length-limit', 'timeout', 'crashed'];

/** The flags a run raises from its own data (never hidden: each with its reason, in capacity.json and the table). */
export function capacityFlags(kernels: readonly CapacityKernelResult[], serverCheck: ServerCheck): Flag[] {
  const flags: Flag[] = [];
  for (const k of kernels) {
    if (k.state === 'unavailable') flags.push({ subject: `capacity:${k.kernel}`, kind: 'unavailable', message: k.reason });
    else if (k.state === 'errored') flags.push({ subject: `capacity:${k.kernel}`, kind: 'errored', message: k.error.message });
    else {
      if (!k.converged) {
        const why =
          k.maxN === null
            ? 'nothing fitted'
            : k.firstFailN === null
              ? `nothing failed up to ${formatN(k.maxN)}`
              : `known to ${((k.precision ?? 0) * 100).toFixed(1)}% only (probe limit)`;
        flags.push({ subject: `capacity:${k.kernel}`, kind: 'imprecise', message: why });
      }
      // The search's own probes (one request each); the derived check's probes hold C inputs and differ.
      const single = k.probes.filter((p) => p.concurrency === 1);
      const kinds = new Set(single.filter((p) => p.outcome !== 'ok' && k.maxN !== null && p.n > k.maxN).map((p) => p.outcome));
      if (kinds.size > 1)
        flags.push({
          subject: `capacity:${k.kernel}`,
          kind: 'mixed-failures',
          message: `past its capacity the predict failed in ${kinds.size} ways: ${[...kinds].join(', ')}`,
        });
      const nonMonotonic = k.maxN !== null && single.some((p) => p.outcome !== 'ok' && p.outcome !== 'errored' && p.n < k.maxN!);
      if (k.failure !== null && NOT_MEMORY.includes(k.failure)) {
        flags.push({
          subject: `capacity:${k.kernel}`,
          kind: 'not-memory-bound',
          message:
            `past its max n the predict failed by ${k.failure}, not for lack of memory: max n is that limit's, ` +
            'and the budget bytes per value and derived figures (which assume memory binds) are lower bounds',
        });
      }
      const dc = k.derivedCheck;
      if (dc !== null && !dc.agrees) {
        const how =
          dc.below.outcome !== 'ok'
            ? `failed below it (${dc.below.outcome} at ${formatN(dc.below.n)}): the derived figure is too high`
            : `still fitted above it (at ${formatN(dc.above.n)}): the derived figure is conservative (e.g. the requests' transient peaks do not coincide)`;
        flags.push({
          subject: `capacity:${k.kernel}`,
          kind: 'derived-check',
          message: `at ${dc.concurrency} concurrent requests the derived max n ${formatN(dc.derivedMaxN)} ${how}`,
        });
      }
      if (nonMonotonic)
        flags.push({
          subject: `capacity:${k.kernel}`,
          kind: 'non-monotonic',
          message: `a probe below the capacity of ${formatN(k.maxN!)} failed: the boundary is not sharp`,
        });
    }
  }
  if (serverCheck.state === 'errored') flags.push({ subject: 'capacity:server-check', kind: 'errored', message: serverCheck.error.message });
  if (serverCheck.state === 'completed') {
    for (const p of serverCheck.points) {
      if (p.state === 'errored') flags.push({ subject: `capacity:server:${p.kernel}:${p.label}`, kind: 'errored', message: p.error?.message ?? 'errored' });
    }
  }
  return flags;
}

/** The flags of a model's capacity: errored, unavailable, or known only roughly. */
export function modelFlags(m: CapacityModelResult | undefined): Flag[] {
  if (m === undefined) return [];
  const subject = `capacity:model:${m.name ?? m.predict}`;
  if (m.state === 'errored') return [{ subject, kind: 'errored', message: m.error.message }];
  if (m.state === 'unavailable') return [{ subject, kind: 'unavailable', message: m.reason }];
  if (m.state === 'completed' && !m.converged) {
    const why =
      m.maxRows === null ? 'not even one row fitted' : m.firstFailRows === null ? `nothing failed up to ${formatN(m.maxRows)} rows` : 'probe limit reached';
    return [{ subject, kind: 'imprecise', message: why }];
  }
  return [];
}
