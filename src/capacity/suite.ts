// The capacity suite: for each mean kernel, the largest n whose cpu predict succeeds in a fresh process under
// a hard memory budget, how it fails past that n, and the bytes per value it needed (seed 003's "the n at
// which the server fails for lack of memory", naive loop against vectorized and multithreaded). Then the
// capacity at C concurrent requests (derived) and a measured check against a real model API. Returns plain
// data; prints nothing but progress on stderr.

import { toErrorInfo, type ErrorInfo } from '../errors.js';
import { getKernel } from '../kernels/index.js';
import { nativeStatus } from '../kernels/native-binding.js';
import type { KernelName } from '../kernels/types.js';
import { supervisor } from '../processes/index.js';
import { progress, warn } from '../progress.js';
import { formatN } from '../report/format.js';
import type { Flag } from '../results/common.js';
import type {
  CapacityData,
  CapacityKernelResult,
  CapacityProbe,
  DerivedCapacity,
  MemoryLimitMechanism,
  ProbeOutcomeKind,
  ServerCheck,
  ServerCheckPoint,
} from '../results/capacity.js';
import { findMemoryLimit, verifyLimit, type MemoryLimit } from './limit.js';
import { runProbe } from './probe.js';
import { searchCapacity, type ProbeVerdict } from './search.js';
import { runServerCheck } from './server-check.js';
import type { SuiteHooks } from '../suite-hooks.js';
import { availableMemoryBytes, formatBytes, MIN_N, resolveCapacitySettings, SAFETY_MARGIN_BYTES, searchCeiling, type CapacityOptions } from './settings.js';

export type { CapacityOptions } from './settings.js';

/** The hooks of the capacity runner (see SuiteHooks). */
export type CapacityHooks = SuiteHooks<CapacityData>;

/**
 * Capacity at C concurrent requests each holding its own values (as seed 003's predict built its array per
 * request), derived from the budget bytes per value: one process, one baseline, C requests' memory.
 */
export function deriveCapacity(
  budgetBytes: number,
  baselineDataBytes: number | null,
  budgetBytesPerValue: number | null,
  concurrency: readonly number[],
): DerivedCapacity[] {
  return concurrency.map((c) => {
    if (budgetBytesPerValue === null || baselineDataBytes === null || budgetBytesPerValue <= 0)
      return { concurrency: c, maxN: null, inputBytes: null, derived: true };
    // A tiny epsilon: at C = 1 the formula gives back max n exactly, not one value less by rounding.
    const maxN = Math.max(0, Math.floor((budgetBytes - baselineDataBytes) / (c * budgetBytesPerValue) + 1e-9));
    return { concurrency: c, maxN, inputBytes: 8 * maxN, derived: true };
  });
}

/** A kernel's result from its probes and the search's bracket. */
export function summarizeKernel(
  kernel: KernelName,
  description: string,
  probes: CapacityProbe[],
  bracket: { lo: number | null; hi: number | null; converged: boolean },
  budgetBytes: number,
  concurrency: readonly number[],
): CapacityKernelResult {
  const at = (n: number | null) => (n === null ? undefined : probes.find((p) => p.n === n));
  const ok = at(bracket.lo);
  const fail = at(bracket.hi);
  const mem = ok?.memory ?? null;
  const bytesPerValue = mem !== null && bracket.lo !== null && bracket.lo > 0 ? mem.growthRssBytes / bracket.lo : null;
  const baselineRssBytes = mem?.baselineRssBytes ?? null;
  const baselineDataBytes = mem?.baselineDataBytes ?? null;
  const budgetBytesPerValue = baselineDataBytes !== null && bracket.lo !== null && bracket.lo > 0 ? (budgetBytes - baselineDataBytes) / bracket.lo : null;
  return {
    kernel,
    description,
    probes,
    state: 'completed',
    maxN: bracket.lo,
    firstFailN: bracket.hi,
    failure: fail?.outcome ?? null,
    failureDetail: fail?.detail ?? null,
    precision: bracket.lo !== null && bracket.hi !== null ? (bracket.hi - bracket.lo) / bracket.lo : null,
    converged: bracket.converged,
    bytesPerValue,
    budgetBytesPerValue,
    baselineRssBytes,
    baselineDataBytes,
    peakRssBytes: mem?.peakRssBytes ?? null,
    derived: deriveCapacity(budgetBytes, baselineDataBytes, budgetBytesPerValue, concurrency),
    derivedCheck: null,
  };
}

/** The two n of the derived check at C: margin below and above the derived capacity. */
export function derivedCheckSizes(derivedMaxN: number, margin: number): { below: number; above: number } {
  return { below: Math.max(1, Math.floor(derivedMaxN * (1 - margin))), above: Math.max(2, Math.ceil(derivedMaxN * (1 + margin))) };
}

function describeProbe(p: CapacityProbe): string {
  const peak = p.memory?.peakRssBytes ?? p.sampledPeakRssBytes;
  const mem = peak === null ? '' : `, peak RSS ${formatBytes(peak)}${p.memory === null ? ' (sampled)' : ''}`;
  const what = p.outcome === 'ok' ? 'ok' : `${p.outcome}: ${p.detail}`;
  const c = p.concurrency > 1 ? ` x ${p.concurrency} requests` : '';
  return `  ${p.kernel} n=${formatN(p.n)}${c} (${p.step}): ${what}${mem}, ${(p.durationMs / 1000).toFixed(1)} s`;
}

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
          message: `past its max n the predict failed by ${k.failure}, not for lack of memory: max n is that limit's, and the budget bytes per value and derived figures (which assume memory binds) are lower bounds`,
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

/**
 * Run the capacity suite and return its data. Invalid options throw OptionError; everything else (a
 * missing prlimit, an unverifiable limit, an unavailable kernel, a failing probe) is data.
 */
export async function runCapacitySuite(options: CapacityOptions = {}, hooks: CapacityHooks = {}): Promise<CapacityData> {
  const settings = resolveCapacitySettings(options);
  const { quick, ...schemaSettings } = settings;
  const sup = hooks.supervisor ?? supervisor;
  // A function, so TypeScript does not narrow the flag once checked: it changes between awaits.
  const aborted = (): boolean => hooks.signal?.aborted === true;
  const native = nativeStatus();
  const started = new Date();
  const results: CapacityKernelResult[] = [];
  let mechanism: MemoryLimitMechanism | null = null;
  let serverCheck: ServerCheck = { state: 'skipped', reason: settings.serverCheck ? 'not reached' : 'not asked for (--no-server-check)' };
  let interrupted = false;
  let current: CapacityKernelResult | undefined;

  const snapshot = (): CapacityData => {
    const kernels = current === undefined ? [...results] : [...results, current];
    return {
      quick,
      settings: schemaSettings,
      mechanism,
      native,
      kernels,
      serverCheck,
      flags: capacityFlags(kernels, serverCheck),
      startedAt: started.toISOString(),
      durationMs: Date.now() - started.getTime(),
      interrupted,
    };
  };
  const erroredAll = (error: ErrorInfo) => {
    for (const k of settings.kernels) results.push({ kernel: k, description: getKernel(k).description, probes: [], state: 'errored', error });
  };

  progress(
    'capacity',
    `memory budget ${formatBytes(settings.budgetBytes)} per probe; kernels ${settings.kernels.join(', ')}; tolerance ${(settings.tolerance * 100).toFixed(1)}%`,
  );
  let limit: MemoryLimit;
  try {
    limit = await findMemoryLimit(settings.budgetBytes);
  } catch (err) {
    erroredAll(toErrorInfo(err));
    serverCheck = { state: 'skipped', reason: 'no memory limit mechanism' };
    return snapshot();
  }
  mechanism = await verifyLimit(sup, limit);
  progress(
    'capacity',
    `limit: RLIMIT_DATA ${formatBytes(settings.budgetBytes)} via ${limit.tool}, V8 --max-old-space-size=${limit.v8MaxOldSpaceMiB}; ${mechanism.verification}`,
  );
  if (!mechanism.verified) {
    erroredAll({
      code: 'SB_ERR_INTERNAL',
      message: `the memory limit could not be verified, so no probe runs without a hard budget: ${mechanism.verification}`,
    });
    serverCheck = { state: 'skipped', reason: 'the memory limit could not be verified' };
    return snapshot();
  }
  hooks.onUpdate?.(snapshot());

  const ceiling = searchCeiling(settings.budgetBytes);
  for (const name of settings.kernels) {
    const kernel = getKernel(name);
    const avail = kernel.availability();
    if (!avail.available) {
      // Reported as such; never replaced by another kernel.
      results.push({ kernel: name, description: kernel.description, probes: [], state: 'unavailable', reason: `native: unavailable (${avail.reason})` });
      progress('capacity', `${name}: unavailable (${avail.reason})`);
      hooks.onUpdate?.(snapshot());
      continue;
    }
    if (aborted()) {
      interrupted = true;
      break;
    }
    const probes: CapacityProbe[] = [];
    let error: ErrorInfo | undefined;
    current = {
      kernel: name,
      description: kernel.description,
      probes,
      state: 'errored',
      error: { code: 'SB_ERR_INTERNAL', message: 'its search had not finished (interrupted)' },
    };
    progress('capacity', `${name}: searching from n=${formatN(settings.startN)} (ceiling ${formatN(ceiling)} = budget / 8 bytes)`);
    const verdict = async (n: number, step: CapacityProbe['step']): Promise<ProbeVerdict> => {
      if (aborted()) {
        interrupted = true;
        return 'stop';
      }
      const available = availableMemoryBytes();
      if (available !== undefined && available < settings.budgetBytes + SAFETY_MARGIN_BYTES / 2) {
        error = {
          code: 'SB_ERR_INTERNAL',
          message: `probe at n=${n} not started: only ${formatBytes(available)} of memory is available now, under the budget plus ${formatBytes(SAFETY_MARGIN_BYTES / 2)}`,
        };
        return 'stop';
      }
      const timeoutMs = settings.probeTimeout.baseMs + (n * settings.probeTimeout.perValueNs) / 1e6;
      const p = await runProbe(sup, limit, { kernel: name, n, step, seed: settings.seed, timeoutMs });
      probes.push(p);
      progress('capacity', describeProbe(p));
      hooks.onUpdate?.(snapshot());
      if (p.outcome === 'ok') return 'fits';
      if (p.outcome === 'errored') {
        error = { code: 'SB_ERR_INTERNAL', message: `probe at n=${n}: ${p.detail}` };
        return 'stop';
      }
      return 'fails';
    };
    const bracket = await searchCapacity(
      { startN: settings.startN, minN: MIN_N, maxN: ceiling, tolerance: settings.tolerance, maxProbes: settings.maxProbesPerKernel },
      verdict,
    );
    current = undefined;
    if (error !== undefined || bracket.reason === 'stopped') {
      results.push({
        kernel: name,
        description: kernel.description,
        probes,
        state: 'errored',
        error: error ?? { code: 'SB_ERR_INTERNAL', message: 'interrupted during its search' },
      });
      if (error !== undefined) warn('capacity', `${name}: ${error.message}`);
    } else {
      const r = summarizeKernel(name, kernel.description, probes, bracket, settings.budgetBytes, settings.concurrency);
      const cMax = Math.max(...settings.concurrency);
      const derivedC = r.state === 'completed' ? r.derived.find((d) => d.concurrency === cMax)?.maxN : undefined;
      if (
        r.state === 'completed' &&
        settings.derivedCheckMargin !== null &&
        cMax > 1 &&
        derivedC !== undefined &&
        derivedC !== null &&
        derivedC >= MIN_N &&
        !aborted()
      ) {
        // Measure what was derived: C inputs alive at once, just below and just above the derived n.
        const sizes = derivedCheckSizes(derivedC, settings.derivedCheckMargin);
        current = r;
        const outcomes: Record<'below' | 'above', CapacityProbe> = {} as Record<'below' | 'above', CapacityProbe>;
        for (const side of ['below', 'above'] as const) {
          const n = sizes[side];
          const timeoutMs = settings.probeTimeout.baseMs + (cMax * n * settings.probeTimeout.perValueNs) / 1e6;
          const p = await runProbe(sup, limit, { kernel: name, n, step: 'concurrent', concurrency: cMax, seed: settings.seed, timeoutMs });
          probes.push(p);
          outcomes[side] = p;
          progress('capacity', describeProbe(p));
          hooks.onUpdate?.(snapshot());
        }
        current = undefined;
        const below = outcomes.below;
        const above = outcomes.above;
        if (below.outcome !== 'errored' && above.outcome !== 'errored') {
          r.derivedCheck = {
            concurrency: cMax,
            derivedMaxN: derivedC,
            below: { n: below.n, outcome: below.outcome },
            above: { n: above.n, outcome: above.outcome },
            agrees: below.outcome === 'ok' && above.outcome !== 'ok',
          };
        }
      }
      results.push(r);
      if (r.state === 'completed') {
        progress(
          'capacity',
          `${name}: max n ${r.maxN === null ? '-' : formatN(r.maxN)}, fails at ${r.firstFailN === null ? '-' : formatN(r.firstFailN)} (${r.failure ?? '-'}) after ${probes.length} probes`,
        );
      }
    }
    hooks.onUpdate?.(snapshot());
    if (interrupted) break;
  }

  if (interrupted) {
    serverCheck = { state: 'skipped', reason: 'interrupted' };
  } else if (settings.serverCheck) {
    const concurrency = Math.max(...settings.concurrency);
    const checked = results.filter((r) => !quick || r.kernel === 'naive' || r.kernel === 'typed');
    const points: ServerCheckPoint[] = [];
    serverCheck = { state: 'errored', error: { code: 'SB_ERR_INTERNAL', message: 'interrupted during the server check' }, points };
    serverCheck = await runServerCheck({ limit, concurrency, seed: settings.seed, timeout: settings.probeTimeout, signal: hooks.signal }, checked, (p) => {
      points.push(p);
      hooks.onUpdate?.(snapshot());
    });
    if (quick && serverCheck.state === 'completed') serverCheck.notes.push('--quick: the server check covers naive and typed only.');
    if (aborted()) interrupted = true;
  }
  return snapshot();
}
