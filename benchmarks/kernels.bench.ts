// The kernel micro-benchmark inside one fresh process: every kernel at one n, in the order the parent
// chose, measured with tinybench, plus the bandwidth probe at the same n. Started by the kernels suite
// (src/kernels/suite.ts) through the supervisor, as compiled JS: `node dist/benchmarks/kernels.bench.js
// '<job JSON>'`; the result goes back over IPC (or to stdout when run by hand without IPC).
//
// Why a fresh process per (n, repeat): V8's JIT state (inlining, feedback, tiering) moves a JS loop by up
// to 2x from one process to the next; measuring each case in several fresh processes, with the kernel
// order rotated, turns that into a spread the report shows instead of a hidden bias.

import { pathToFileURL } from 'node:url';
import { Bench } from 'tinybench';
import { agreesWithReference, getKernel, parityTolerance, probeBandwidth, referenceMean, type Kernel, type KernelArg } from '../src/kernels/index.js';
import { nativeStatus } from '../src/kernels/native-binding.js';
import type { KernelJob, KernelJobResult, KernelTaskResult, ProbeTaskResult } from '../src/kernels/worker-protocol.js';
import { medianCI, randomVector } from '../src/stats/index.js';
import { toErrorInfo, ServebenchError } from '../src/errors.js';
import { exitWithParent } from '../src/processes/index.js';

// Results flow into this sink so the JIT cannot drop a kernel call whose result is unused.
let sink = 0;

/** Time `calls` calls of the kernel, in ns per call (for choosing the batch size). */
async function timeCalls(kernel: Kernel, arg: KernelArg, calls: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  if (kernel.mode === 'sync') {
    for (let i = 0; i < calls; i++) sink += kernel.mean(arg);
  } else {
    for (let i = 0; i < calls; i++) sink += await kernel.mean(arg);
  }
  return Number(process.hrtime.bigint() - t0) / calls;
}

/** An odd size, so the warm-up also runs the kernels' remainder loops (see chooseBatch). */
const WARM_N = 1003;

/**
 * Warm the JIT up on a small input of the same type before the kernel ever sees the real one: many calls
 * give V8 type feedback for every branch (WARM_N is odd, so the remainder loops run too) and get the
 * whole function optimized. Without this, the first call at n = 1e7 gets its main loop OSR-compiled with
 * no feedback for the remainder loop; that code then deopts at the end of every later call (hundreds of
 * deopts in --trace-deopt) and the typed kernel runs 5x slower in some processes and not in others: the
 * tiering pipeline measured instead of the kernel.
 */
async function warmUpSmall(kernel: Kernel, small: KernelArg, ms: number): Promise<void> {
  const until = performance.now() + ms;
  do await timeCalls(kernel, small, 16);
  while (performance.now() < until);
}

/**
 * Calls per sample so that one sample lasts about targetNs: short calls are timed in batches, so the
 * clock's own cost (tens of ns) stays negligible. Calls the kernel on the real input for warmupMs first
 * (at least once), then times growing batches until a timing lasts 1 ms.
 */
async function chooseBatch(kernel: Kernel, arg: KernelArg, targetNs: number, warmupMs: number): Promise<number> {
  const warmUntil = performance.now() + warmupMs;
  do await timeCalls(kernel, arg, 1);
  while (performance.now() < warmUntil);
  let calls = 1;
  let ns = await timeCalls(kernel, arg, calls);
  while (calls * ns < 1e6 && calls < 1 << 20) {
    calls *= 4;
    ns = await timeCalls(kernel, arg, calls);
  }
  return Math.max(1, Math.min(1 << 20, Math.round(targetNs / Math.max(ns, 0.1))));
}

async function measureKernel(
  kernel: Kernel,
  position: number,
  values: Float64Array,
  reference: number,
  tolerance: number,
  job: KernelJob,
): Promise<KernelTaskResult> {
  const base = { kernel: kernel.name, position };
  const availability = kernel.availability();
  if (!availability.available) return { ...base, state: 'skipped', reason: `native: unavailable (${availability.reason})` };
  try {
    await warmUpSmall(kernel, kernel.prepare(values.subarray(0, Math.min(values.length, WARM_N))), Math.max(10, job.warmupMs / 2));
    const arg = kernel.prepare(values);
    const result = kernel.mode === 'sync' ? kernel.mean(arg) : await kernel.mean(arg);
    if (!agreesWithReference(result, reference, tolerance)) {
      throw new ServebenchError(
        'SB_ERR_INTERNAL',
        `${kernel.name} at n=${job.n} returned ${result}, the reference mean is ${reference} (tolerance ${tolerance.toExponential(2)}): not timed`,
      );
    }
    const batch = await chooseBatch(kernel, arg, job.targetSampleNs, job.warmupMs);
    // chooseBatch has already warmed the kernel up (for warmupMs), so tinybench's own warmup is off: at
    // n = 1e8 it would cost two more calls of up to a quarter second each.
    const bench = new Bench({
      time: job.timePerKernelMs,
      iterations: job.minSamples,
      warmup: false,
      timestampProvider: 'hrtimeNow',
      retainSamples: true,
      throws: false,
    });
    const now = bench.now;
    if (kernel.mode === 'sync') {
      const mean = kernel.mean;
      bench.add(kernel.name, () => {
        const t0 = now();
        for (let i = 0; i < batch; i++) sink += mean(arg);
        const ms = now() - t0;
        return { overriddenDuration: ms / batch, overriddenIterationCost: ms };
      });
    } else {
      const mean = kernel.mean;
      bench.add(
        kernel.name,
        async () => {
          const t0 = now();
          for (let i = 0; i < batch; i++) sink += await mean(arg);
          const ms = now() - t0;
          return { overriddenDuration: ms / batch, overriddenIterationCost: ms };
        },
        { async: true },
      );
    }
    const [task] = await bench.run();
    const r = task?.result;
    if (r === undefined) throw new ServebenchError('SB_ERR_INTERNAL', `tinybench returned no result for ${kernel.name}`);
    if (r.state === 'errored') throw r.error;
    if (r.state !== 'completed') throw new ServebenchError('SB_ERR_INTERNAL', `tinybench left ${kernel.name} ${r.state}`);
    const ci = medianCI(r.latency.samples ?? []);
    return {
      ...base,
      state: 'completed',
      nsPerCall: r.latency.p50 * 1e6,
      minNsPerCall: r.latency.min * 1e6,
      rme: r.latency.rme,
      medianRme: ((ci.high - ci.low) / 2 / r.latency.p50) * 100,
      samples: r.latency.samplesCount,
      callsPerSample: batch,
      result,
      reference,
    };
  } catch (err) {
    return { ...base, state: 'errored', error: toErrorInfo(err) };
  }
}

function measureProbe(n: number, threads: number, repeats: number): ProbeTaskResult {
  try {
    const r = probeBandwidth({ n, threads, repeats });
    if (r.available === false) return { threads, state: 'skipped', reason: `native: unavailable (${r.reason})` };
    const best = r.bestGbPerSec ?? Math.max(...r.samplesGbPerSec);
    return { threads, state: 'completed', gbPerSec: r.gbPerSec, bestGbPerSec: best, samplesGbPerSec: r.samplesGbPerSec, isa: r.isa ?? 'unknown' };
  } catch (err) {
    return { threads, state: 'errored', error: toErrorInfo(err) };
  }
}

/** Run one job: the probe first (before the naive kernel's Array copy exists), then each kernel in order. */
export async function runKernelJob(job: KernelJob): Promise<KernelJobResult> {
  const t0 = performance.now();
  const values = randomVector(job.n, job.seed);
  const reference = referenceMean(values);
  const tolerance = parityTolerance(values);
  const setupMs = performance.now() - t0;
  const probes = job.probeThreads.map((t) => measureProbe(job.n, t, job.probeRepeats));
  const tasks: KernelTaskResult[] = [];
  for (const [position, name] of job.order.entries()) {
    tasks.push(await measureKernel(getKernel(name), position, values, reference, tolerance, job));
  }
  return { type: 'kernels-result', pid: process.pid, n: job.n, native: nativeStatus(), tasks, probes, setupMs };
}

async function main(): Promise<void> {
  exitWithParent();
  const raw = process.argv[2];
  if (raw === undefined) throw new Error('usage: kernels.bench.js <job JSON>');
  const result = await runKernelJob(JSON.parse(raw) as KernelJob);
  if (typeof process.send === 'function') {
    await new Promise<void>((resolve, reject) => process.send!(result, (err: Error | null) => (err ? reject(err) : resolve())));
    process.disconnect();
  } else {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
  // The sink keeps results alive; touching it here stops the compiler from proving it unused.
  if (sink === Number.MIN_VALUE) process.stderr.write('');
}

// Run as a program only (importing this module, e.g. from a test, runs nothing).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`kernels.bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
