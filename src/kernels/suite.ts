// The kernels suite: plans fresh benchmark processes (benchmarks/kernels.bench.ts, compiled), runs them
// one at a time through the supervisor, interleaved, and aggregates what they send back. Returns plain
// data; prints nothing but progress on stderr.
//
// Interleaving: repeat r starts one process per n, and every process measures all kernels at its n in an
// order rotated by one from the process before, so no kernel always goes first (cold caches, heap state)
// and slow drift of the machine spreads over every case instead of biasing one.

import { compiledEntry } from '../paths.js';
import { supervisor } from '../processes/index.js';
import { progress } from '../progress.js';
import { toErrorInfo } from '../errors.js';
import type { KernelsData, KernelProcessRecord } from '../results/kernels.js';
import { aggregateKernels, probeThreadCounts, type ProcessOutcome } from './aggregate.js';
import { nativeStatus } from './native-binding.js';
import { formatSize } from '../report/format.js';
import { PROBE_MIN_N, resolveKernelsSettings, type KernelsOptions } from './settings.js';
import type { KernelName } from './types.js';
import { isKernelJobResult, type KernelJob, type KernelJobResult } from './worker-protocol.js';
import type { SuiteHooks } from '../suite-hooks.js';

export type { KernelsOptions } from './settings.js';

/** The hooks of the kernels runner (see SuiteHooks). */
export type KernelsHooks = SuiteHooks<KernelsData>;

/** One planned process. */
interface PlannedProcess {
  index: number;
  n: number;
  order: KernelName[];
}

function rotate<T>(xs: readonly T[], by: number): T[] {
  const k = ((by % xs.length) + xs.length) % xs.length;
  return [...xs.slice(k), ...xs.slice(0, k)];
}

/** The processes to start, in order: repeats outermost, sizes inside, kernel order rotated every process. */
function planProcesses(sizes: readonly number[], kernels: readonly KernelName[], repeats: number): PlannedProcess[] {
  const plan: PlannedProcess[] = [];
  for (let r = 0; r < repeats; r++) {
    for (const n of sizes) {
      plan.push({ index: plan.length, n, order: rotate(kernels, plan.length) });
    }
  }
  return plan;
}

/** Node flags for a process at n: room for the naive kernel's Array (8n bytes) on V8's heap. */
function nodeArgs(n: number): string[] {
  const heapMb = Math.max(2048, Math.ceil((3 * 8 * n) / 1e6) + 1024);
  return [`--max-old-space-size=${heapMb}`];
}

/** Generous wall-clock limit for one process: setup, probes and every kernel's budget, scaled by n. */
function processTimeoutMs(job: KernelJob): number {
  const perKernel = job.timePerKernelMs + job.warmupMs + 2000 + (job.n / 1e6) * 600;
  return 30_000 + job.order.length * perKernel + (job.n / 1e6) * 300;
}

/**
 * Run the kernels micro-benchmark and return its data: for each kernel and n, the median over fresh
 * processes of tinybench's median ns per call, GB/s, the share of the bandwidth probe, rme and samples;
 * plus the call overhead at n = 1, the native-vs-typed crossover and the speed goals.
 * Failures are data (errored entries and flags); throws only on invalid options.
 */
export async function runKernelsSuite(options: KernelsOptions = {}, hooks: KernelsHooks = {}): Promise<KernelsData> {
  const settings = resolveKernelsSettings(options);
  const sup = hooks.supervisor ?? supervisor;
  const native = nativeStatus();
  const entry = compiledEntry('benchmarks/kernels.bench');
  const startedAt = new Date();
  const allSizes = [...new Set([...settings.smallSizes, ...settings.sizes])].sort((a, b) => a - b);
  const plan = planProcesses(allSizes, settings.kernels, settings.processesPerCase);
  const probeThreads = probeThreadCounts(settings.kernels, native);
  const outcomes: ProcessOutcome[] = [];
  let interrupted = false;

  const snapshot = (): KernelsData =>
    aggregateKernels(settings, outcomes, native, { startedAt: startedAt.toISOString(), durationMs: Date.now() - startedAt.getTime(), interrupted });

  progress(
    'kernels',
    `${plan.length} processes: sizes ${allSizes.map(formatSize).join(', ')} x ${settings.processesPerCase} repeats, kernels ${settings.kernels.join(', ')}`,
  );
  for (const p of plan) {
    if (hooks.signal?.aborted === true) {
      interrupted = true;
      break;
    }
    const job: KernelJob = {
      n: p.n,
      order: p.order,
      seed: settings.seed,
      timePerKernelMs: settings.timePerKernelMs,
      warmupMs: settings.warmupMs,
      minSamples: settings.minSamples,
      targetSampleNs: settings.targetSampleNs,
      probeRepeats: settings.probeRepeats,
      probeThreads: p.n >= PROBE_MIN_N ? probeThreads : [],
    };
    progress('kernels', `process ${p.index + 1}/${plan.length}: n=${formatSize(p.n)}, order ${p.order.join(' > ')}`);
    const started = Date.now();
    const record: KernelProcessRecord = { index: p.index, n: p.n, order: p.order, pid: null, state: 'errored', durationMs: 0 };
    let result: KernelJobResult | undefined;
    try {
      const proc = await sup.start({
        name: `kernels-n${formatSize(p.n)}-p${p.index}`,
        command: process.execPath,
        args: [...nodeArgs(p.n), entry, JSON.stringify(job)],
        ipc: true,
        ready: { kind: 'none' },
      });
      record.pid = proc.pid;
      try {
        result = await proc.waitForMessage<KernelJobResult>(isKernelJobResult, processTimeoutMs(job));
        const exit = await proc.waitForExit(10_000).catch(() => undefined);
        if (exit === undefined) await proc.stop();
        record.state = 'completed';
      } catch (err) {
        await proc.stop();
        throw err;
      }
    } catch (err) {
      const info = toErrorInfo(err);
      record.error = info;
      progress('kernels', `process ${p.index + 1} failed: ${info.message.split('\n')[0]}`);
    }
    record.durationMs = Date.now() - started;
    outcomes.push(result === undefined ? { record } : { record, result });
    if (result !== undefined) progress('kernels', summarizeProcess(result, record.durationMs));
    hooks.onUpdate?.(snapshot());
  }
  return snapshot();
}

function summarizeProcess(r: KernelJobResult, ms: number): string {
  const parts = r.tasks.map((t) => (t.state === 'completed' ? `${t.kernel} ${fmt(t.nsPerCall)} ns` : `${t.kernel} ${t.state}`));
  return `  done in ${(ms / 1000).toFixed(1)} s: ${parts.join(', ')}`;
}

function fmt(ns: number): string {
  return ns >= 100 ? Math.round(ns).toLocaleString('en-US') : ns.toFixed(1);
}
