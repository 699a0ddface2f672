// Turns the per-process results of the kernels suite into its figures: medians across fresh processes,
// noise flags, the roofline fraction, speedups, the native-vs-typed crossover, the call overhead and the
// issue's speed goals. Pure functions of plain data (no measuring, no printing), so tests feed them by hand.

import { median, relativeSpread } from '../stats/index.js';
import type { ErrorInfo, Flag, NativeStatus, Spread } from '../results/common.js';
import type {
  CallOverhead,
  Crossover,
  KernelEntry,
  KernelFigures,
  KernelProcessFigure,
  KernelProcessRecord,
  KernelRatios,
  KernelsData,
  KernelsSettings,
  ProbeEntry,
  SpeedGoal,
} from '../results/kernels.js';
import { KERNELS_DATA_VERSION } from '../results/kernels.js';
import { formatSize } from '../report/format.js';
import { PROBE_MIN_N } from './settings.js';
import type { KernelName } from './types.js';
import type { KernelJobResult, KernelTaskResult } from './worker-protocol.js';

/** One benchmark process: its record, and its result when it sent one. */
export interface ProcessOutcome {
  record: KernelProcessRecord;
  result?: KernelJobResult;
}

function spreadOf(values: readonly number[], unit: string): Spread {
  return {
    unit,
    median: median(values),
    min: values.length > 0 ? Math.min(...values) : Number.NaN,
    max: values.length > 0 ? Math.max(...values) : Number.NaN,
    relativeSpread: relativeSpread(values),
    repeats: values.length,
  };
}

/** Threads the roofline of a kernel assumes at n: native-parallel splits only inputs of 2 chunks or more. */
function probeThreadsFor(kernel: KernelName, n: number, native: NativeStatus): number {
  if (kernel !== 'native-parallel' || !native.available) return 1;
  const threads = Number(native.build.rayonThreads ?? '1');
  const minChunk = Number(native.build.parallelMinChunk ?? '0');
  return threads > 1 && n >= 2 * minChunk ? threads : 1;
}

/** Thread counts the processes should probe: 1, and rayon's thread count when native-parallel runs. */
export function probeThreadCounts(kernels: readonly KernelName[], native: NativeStatus): number[] {
  const out = [1];
  if (kernels.includes('native-parallel') && native.available) {
    const t = Number(native.build.rayonThreads ?? '1');
    if (t > 1) out.push(t);
  }
  return out;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function figuresFor(
  kernel: KernelName,
  n: number,
  completed: { process: number; task: Extract<KernelTaskResult, { state: 'completed' }> }[],
  processErrors: ErrorInfo[],
  probe: ProbeEntry | undefined,
  probeThreads: number,
  settings: KernelsSettings,
  flags: Flag[],
  pids: Map<number, number>,
): KernelFigures {
  const perProcess: KernelProcessFigure[] = completed.map(({ process, task }) => ({
    process,
    pid: pids.get(process) ?? 0,
    position: task.position,
    nsPerCall: task.nsPerCall,
    minNsPerCall: task.minNsPerCall,
    rme: task.rme,
    medianRme: task.medianRme,
    samples: task.samples,
    callsPerSample: task.callsPerSample,
  }));
  const medians = perProcess.map((p) => p.nsPerCall);
  const nsPerCall = median(medians);
  const gbPerSec = (8 * n) / nsPerCall;
  const probeGbPerSec = probe?.state === 'completed' ? probe.gbPerSec : null;
  const rme = Math.max(...perProcess.map((p) => p.rme));
  const medianRme = Math.max(...perProcess.map((p) => p.medianRme));
  const acrossProcesses = spreadOf(medians, 'ns/call');
  const subject = `${kernel}@${formatSize(n)}`;
  let noisy = false;
  if (acrossProcesses.relativeSpread > settings.noise.maxSpreadAcrossProcesses) {
    noisy = true;
    flags.push({
      subject,
      kind: 'noisy',
      message:
        `medians of ${perProcess.length} processes spread ${pct(acrossProcesses.relativeSpread)} (> ${pct(settings.noise.maxSpreadAcrossProcesses)}): ` +
        `${medians.map((m) => fmtNs(m)).join(', ')} ns/call`,
    });
  }
  if (medianRme > settings.noise.maxRmePercent) {
    noisy = true;
    flags.push({
      subject,
      kind: 'noisy',
      message: `margin of error of the median ${medianRme.toFixed(1)}% in the worst process (> ${settings.noise.maxRmePercent}%)`,
    });
  }
  if (perProcess.length < 2) {
    noisy = true;
    flags.push({ subject, kind: 'too-few-processes', message: `measured in ${perProcess.length} process(es); ${settings.processesPerCase} were planned` });
  }
  return {
    nsPerCall,
    minNsPerCall: Math.min(...perProcess.map((p) => p.minNsPerCall)),
    gbPerSec,
    bandwidthFraction: probeGbPerSec !== null ? gbPerSec / probeGbPerSec : null,
    probeGbPerSec,
    probeThreads,
    rme,
    medianRme,
    samples: perProcess.reduce((s, p) => s + p.samples, 0),
    acrossProcesses,
    perProcess,
    noisy,
    processErrors,
  };
}

function fmtNs(ns: number): string {
  return ns >= 100 ? Math.round(ns).toLocaleString('en-US') : ns.toFixed(1);
}

function probeEntries(sizes: number[], threadCounts: number[], outcomes: ProcessOutcome[], flags: Flag[]): ProbeEntry[] {
  const out: ProbeEntry[] = [];
  for (const n of sizes.filter((x) => x >= PROBE_MIN_N)) {
    for (const threads of threadCounts) {
      const results = outcomes.flatMap((o) => (o.result?.n === n ? o.result.probes.filter((p) => p.threads === threads) : []));
      const done = results.flatMap((p) => (p.state === 'completed' ? [p] : []));
      if (done.length > 0) {
        const figures = done.map((p) => p.bestGbPerSec);
        const acrossProcesses = spreadOf(figures, 'GB/s');
        if (acrossProcesses.relativeSpread > 0.1 && done.length > 1) {
          flags.push({
            subject: `probe@${formatSize(n)}x${threads}`,
            kind: 'noisy',
            message:
              `bandwidth probe spread ${pct(acrossProcesses.relativeSpread)} across ${done.length} processes: ` +
              `${figures.map((f) => f.toFixed(1)).join(', ')} GB/s`,
          });
        }
        out.push({ n, threads, state: 'completed', gbPerSec: median(figures), acrossProcesses, isa: done[0]!.isa });
        continue;
      }
      const errored = results.find((p) => p.state === 'errored');
      const skipped = results.find((p) => p.state === 'skipped');
      if (errored?.state === 'errored') out.push({ n, threads, state: 'errored', error: errored.error });
      else if (skipped?.state === 'skipped') out.push({ n, threads, state: 'skipped', reason: skipped.reason });
      else out.push({ n, threads, state: 'skipped', reason: 'not measured (no process finished at this n)' });
    }
  }
  return out;
}

function completedFigure(entries: KernelEntry[], kernel: KernelName, n: number): (KernelEntry & { state: 'completed' }) | undefined {
  const e = entries.find((x) => x.kernel === kernel && x.n === n);
  return e?.state === 'completed' ? e : undefined;
}

function ratio(entries: KernelEntry[], slow: KernelName, fast: KernelName, n: number): number | null {
  const a = completedFigure(entries, slow, n);
  const b = completedFigure(entries, fast, n);
  return a !== undefined && b !== undefined ? a.nsPerCall / b.nsPerCall : null;
}

function ratiosFor(entries: KernelEntry[], sizes: number[]): KernelRatios[] {
  return sizes.map((n) => ({
    n,
    nativeOverTyped: ratio(entries, 'typed', 'native', n),
    nativeOverNaive: ratio(entries, 'naive', 'native', n),
    typedOverNaive: ratio(entries, 'naive', 'typed', n),
    parallelOverNative: ratio(entries, 'native', 'native-parallel', n),
    asyncOverNative: ratio(entries, 'native-async', 'native', n),
  }));
}

/** The smallest measured n from which native is faster than typed at every larger measured n. */
export function findCrossover(entries: KernelEntry[], sizes: number[]): Crossover {
  const both = sizes.filter((n) => completedFigure(entries, 'native', n) !== undefined && completedFigure(entries, 'typed', n) !== undefined);
  if (both.length === 0) return { state: 'not-found', reason: 'native and typed were not both measured at any n' };
  const wins = both.map((n) => completedFigure(entries, 'native', n)!.nsPerCall < completedFigure(entries, 'typed', n)!.nsPerCall);
  if (!wins[wins.length - 1])
    return { state: 'not-found', reason: `native is not faster than typed at the largest measured n (${formatSize(both[both.length - 1]!)})` };
  let i = wins.length - 1;
  while (i > 0 && wins[i - 1]) i--;
  return { state: 'found', n: both[i]!, below: i > 0 ? both[i - 1]! : null };
}

function callOverheadOf(entries: KernelEntry[]): CallOverhead {
  const at1 = (k: KernelName) => completedFigure(entries, k, 1)?.nsPerCall ?? null;
  return { nativeNsPerCall: at1('native'), nativeAsyncNsPerCall: at1('native-async'), typedNsPerCall: at1('typed') };
}

/** The issue's speed goals, checked on this run's figures. */
function speedGoals(entries: KernelEntry[]): SpeedGoal[] {
  const goal = (
    id: string,
    description: string,
    n: number,
    threshold: number,
    unit: SpeedGoal['unit'],
    value: () => { value: number | null; valueFromFastest: number | null; noisy: boolean },
  ): SpeedGoal => {
    const v = value();
    return {
      id,
      description,
      n,
      threshold,
      unit,
      value: v.value,
      valueFromFastest: v.valueFromFastest,
      noisy: v.noisy,
      state: v.value === null ? 'not-measured' : v.value >= threshold ? 'met' : 'not-met',
    };
  };
  const fraction = (n: number) => {
    const e = completedFigure(entries, 'native', n);
    const fastest = e !== undefined && e.probeGbPerSec !== null ? (8 * n) / e.minNsPerCall / e.probeGbPerSec : null;
    return { value: e?.bandwidthFraction ?? null, valueFromFastest: fastest, noisy: e?.noisy ?? false };
  };
  const speedup = (n: number) => {
    const nat = completedFigure(entries, 'native', n);
    const typ = completedFigure(entries, 'typed', n);
    const fastest = nat !== undefined && typ !== undefined ? typ.minNsPerCall / nat.minNsPerCall : null;
    return { value: ratio(entries, 'typed', 'native', n), valueFromFastest: fastest, noisy: (nat?.noisy ?? false) || (typ?.noisy ?? false) };
  };
  return [
    goal('native-roofline-1e7', 'native reaches at least 80% of the bandwidth probe at n = 1e7', 1e7, 0.8, 'fraction of probe', () => fraction(1e7)),
    goal('native-vs-typed-1e7', 'native is at least 1.3x typed at n = 1e7', 1e7, 1.3, 'x typed', () => speedup(1e7)),
    goal('native-vs-typed-1e4', 'native is at least 3x typed at n = 1e4', 1e4, 3, 'x typed', () => speedup(1e4)),
  ];
}

/** Build the suite's data from the processes' outcomes. */
export function aggregateKernels(
  settings: KernelsSettings,
  outcomes: ProcessOutcome[],
  native: NativeStatus,
  meta: { startedAt: string; durationMs: number; interrupted: boolean },
): KernelsData {
  const flags: Flag[] = [];
  const allSizes = [...new Set([...settings.smallSizes, ...settings.sizes])].sort((a, b) => a - b);
  const threadCounts = probeThreadCounts(settings.kernels, native);
  const probes = probeEntries(allSizes, threadCounts, outcomes, flags);
  const pids = new Map(outcomes.map((o) => [o.record.index, o.record.pid ?? 0]));

  for (const o of outcomes) {
    const child = o.result?.native;
    if (child !== undefined && child.available !== native.available) {
      flags.push({
        subject: `process ${o.record.index}`,
        kind: 'native-mismatch',
        message:
          `the addon is ${native.available ? 'available' : 'unavailable'} in the parent ` +
          `but ${child.available ? 'available' : `unavailable (${child.reason})`} in this process`,
      });
    }
  }

  const entries: KernelEntry[] = [];
  for (const n of allSizes) {
    const atN = outcomes.filter((o) => o.record.n === n);
    const crashed = atN.flatMap((o) => (o.result === undefined && o.record.error !== undefined ? [o.record.error] : []));
    for (const kernel of settings.kernels) {
      const tasks = atN.flatMap((o) => {
        const t = o.result?.tasks.find((x) => x.kernel === kernel);
        return t === undefined ? [] : [{ process: o.record.index, task: t }];
      });
      const completed = tasks.flatMap(({ process, task }) => (task.state === 'completed' ? [{ process, task }] : []));
      const errors = [...crashed, ...tasks.flatMap(({ task }) => (task.state === 'errored' ? [task.error] : []))];
      if (completed.length > 0) {
        const probeThreads = probeThreadsFor(kernel, n, native);
        const probe = probes.find((p) => p.n === n && p.threads === probeThreads);
        const figures = figuresFor(kernel, n, completed, errors, probe, probeThreads, settings, flags, pids);
        entries.push({ kernel, n, state: 'completed', ...figures });
        if (errors.length > 0) {
          flags.push({ subject: `${kernel}@${formatSize(n)}`, kind: 'partial', message: `${errors.length} process(es) failed: ${errors[0]!.message}` });
        }
        continue;
      }
      const skipped = tasks.find(({ task }) => task.state === 'skipped')?.task;
      if (errors.length > 0) {
        entries.push({ kernel, n, state: 'errored', error: errors[0]! });
        flags.push({ subject: `${kernel}@${formatSize(n)}`, kind: 'errored', message: errors[0]!.message });
      } else if (skipped?.state === 'skipped') {
        entries.push({ kernel, n, state: 'skipped', reason: skipped.reason });
      } else {
        entries.push({ kernel, n, state: 'skipped', reason: meta.interrupted ? 'not measured: the run was interrupted' : 'not measured' });
      }
    }
  }

  const skippedNative = entries.filter((e) => e.state === 'skipped' && e.reason.startsWith('native: unavailable'));
  if (skippedNative.length > 0 && skippedNative[0]!.state === 'skipped') {
    flags.push({ subject: 'native', kind: 'unavailable', message: `${skippedNative.length} native figures not measured: ${skippedNative[0]!.reason}` });
  }

  return {
    dataVersion: KERNELS_DATA_VERSION,
    startedAt: meta.startedAt,
    durationMs: meta.durationMs,
    interrupted: meta.interrupted,
    settings,
    native,
    entries,
    probes,
    ratios: ratiosFor(entries, allSizes),
    crossover: findCrossover(entries, allSizes),
    callOverhead: callOverheadOf(entries),
    goals: speedGoals(entries),
    processes: outcomes.map((o) => o.record),
    flags,
  };
}
