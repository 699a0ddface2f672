// One capacity probe, in a fresh process under the memory budget (started by src/capacity/probe.ts through
// the supervisor as `prlimit --data=B -- node --max-old-space-size=H dist/src/capacity/probe-main.js JOB`).
// It does what a model API's cpu predict does for one request at n (src/serving/predict.ts): build the
// values, let the kernel prepare its input (a plain Array for naive, the Float64Array itself for the
// others), run the kernel once, check the result against the reference mean; then reports its memory.
// A RangeError from an allocation is caught and reported; a V8 abort (heap exhausted) cannot be, and the
// parent reads it from the exit signal and the fatal line on stderr.

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { agreesWithReference, getKernel, parityTolerance, referenceMean, type Kernel, type KernelArg } from '../kernels/index.js';
import { errorMessage, toErrorInfo } from '../errors.js';
import { exitWithParent } from '../processes/index.js';
import type { ProbeMemory, ProbeStage } from '../results/capacity.js';
import { randomVector } from '../stats/random.js';
import { runOnnxBatch, type ProbeHooks } from './onnx-batch.js';
import { ALLOCATION_ERROR_PATTERN, type ProbeJob, type ProbeReportBody } from './protocol.js';

/** Odd warm-up sizes: the remainder loops run too; the larger one splits native-parallel across threads. */
const WARM_SIZES = [1003, 262_147];

let stage: ProbeStage = 'started';
let baselineRssBytes = 0;
let baselineDataBytes: number | null = null;

function send(msg: object, then?: () => void): void {
  if (typeof process.send === 'function') {
    process.send(msg, undefined, undefined, () => then?.());
  } else {
    process.stdout.write(`${JSON.stringify(msg)}\n`);
    then?.();
  }
}

function setStage(s: ProbeStage): void {
  stage = s;
  send({ type: 'capacity-stage', stage: s });
}

function vmDataBytes(): number | null {
  try {
    const m = /^VmData:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m === null ? null : Number(m[1]) * 1024;
  } catch {
    // not Linux: the figure is unknown, the others stand
    return null;
  }
}

function memory(): ProbeMemory {
  const m = process.memoryUsage();
  const peakRssBytes = Math.max(process.resourceUsage().maxRSS * 1024, m.rss);
  return {
    baselineRssBytes,
    baselineDataBytes,
    peakRssBytes,
    growthRssBytes: Math.max(0, peakRssBytes - baselineRssBytes),
    heapUsedBytes: m.heapUsed,
    heapTotalBytes: m.heapTotal,
    heapLimitBytes: getHeapStatistics().heap_size_limit,
    arrayBuffersBytes: m.arrayBuffers,
    externalBytes: m.external,
    vmDataBytes: vmDataBytes(),
  };
}

function finish(report: ProbeReportBody, code: number): void {
  send({ type: 'capacity-report', pid: process.pid, stage, ...report }, () => process.exit(code));
}

/** What a model's probe (onnx-batch.ts) borrows from this process's reporting. */
const HOOKS: ProbeHooks = {
  setStage,
  markBaseline: () => {
    baselineRssBytes = process.memoryUsage().rss;
    baselineDataBytes = vmDataBytes();
  },
  memory,
  finish,
};

async function warmUp(kernel: Kernel, seed: number): Promise<void> {
  for (const size of WARM_SIZES) {
    const arg = kernel.prepare(randomVector(size, seed));
    for (let i = 0; i < 8; i++) await kernel.mean(arg);
  }
}

async function predict(job: Extract<ProbeJob, { mode: 'predict' }>): Promise<void> {
  const kernel = getKernel(job.kernel);
  const avail = kernel.availability();
  if (!avail.available) throw new Error(`${job.kernel}: unavailable (${avail.reason})`);
  await warmUp(kernel, job.seed);
  baselineRssBytes = process.memoryUsage().rss;
  baselineDataBytes = vmDataBytes();
  setStage('warmed');

  let buildMs: number | null = null;
  let kernelMs: number | null = null;
  let atPeak: ProbeMemory | undefined;
  try {
    const t0 = performance.now();
    // As the model API's VectorCache does: the Float64Array of values is a temporary that the kernel's
    // prepare turns into its input (naive copies it into a plain Array, the others take it as it is).
    // C concurrent requests each build their own (seed 003 built the array in every request).
    const args: KernelArg[] = [];
    for (let i = 0; i < job.concurrency; i++) args.push(kernel.prepare(randomVector(job.n, job.seed + i)));
    buildMs = performance.now() - t0;
    atPeak = memory();
    setStage('built');
    const t1 = performance.now();
    const means = kernel.mode === 'async' ? await Promise.all(args.map((a) => kernel.mean(a))) : args.map((a) => kernel.mean(a));
    kernelMs = performance.now() - t1;
    setStage('computed');
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      const mean = means[i]!;
      const reference = referenceMean(arg);
      const tolerance = parityTolerance(arg);
      if (!agreesWithReference(mean, reference, tolerance)) {
        setStage('checked');
        const error = { code: 'SB_ERR_INTERNAL', message: `wrong result (request ${i + 1}): mean ${mean}, reference ${reference}, tolerance ${tolerance}` };
        return finish({ outcome: 'errored', error, memory: { ...memory(), ...heapAt(atPeak) }, buildMs, kernelMs }, 4);
      }
    }
    setStage('checked');
    const mean = means[0]!;
    const reference = referenceMean(args[0]!);
    const each = job.concurrency > 1 ? ` (each of ${job.concurrency} requests)` : '';
    finish(
      {
        outcome: 'ok',
        mean,
        reference,
        detail: `mean ${mean.toPrecision(6)} agrees with the reference${each}`,
        memory: { ...memory(), ...heapAt(atPeak) },
        buildMs,
        kernelMs,
      },
      0,
    );
  } catch (err) {
    const mem = memory();
    if (err instanceof RangeError && ALLOCATION_ERROR_PATTERN.test(err.message)) {
      return finish({ outcome: 'allocation-failed', error: { code: 'RangeError', message: err.message }, memory: mem, buildMs, kernelMs }, 3);
    }
    finish({ outcome: 'errored', error: toErrorInfo(err), memory: mem, buildMs, kernelMs }, 4);
  }
}

/** The heap figures taken while every input was alive (the peak RSS stays the process's own). */
function heapAt(m: ProbeMemory): Pick<ProbeMemory, 'heapUsedBytes' | 'heapTotalBytes' | 'arrayBuffersBytes' | 'externalBytes' | 'vmDataBytes'> {
  return {
    heapUsedBytes: m.heapUsedBytes,
    heapTotalBytes: m.heapTotalBytes,
    arrayBuffersBytes: m.arrayBuffersBytes,
    externalBytes: m.externalBytes,
    vmDataBytes: m.vmDataBytes,
  };
}

function verify(job: Extract<ProbeJob, { mode: 'verify' }>): void {
  baselineRssBytes = process.memoryUsage().rss;
  baselineDataBytes = vmDataBytes();
  setStage('warmed');
  try {
    // calloc of fresh pages: nothing is touched, so even an unbounded success costs no real memory.
    const buf = new ArrayBuffer(job.bytes);
    setStage('built');
    finish(
      {
        outcome: 'ok',
        mean: buf.byteLength,
        reference: job.bytes,
        detail: `an ArrayBuffer of ${job.bytes} bytes was granted`,
        memory: memory(),
        buildMs: null,
        kernelMs: null,
      },
      0,
    );
  } catch (err) {
    const error = err instanceof RangeError ? { code: 'RangeError', message: err.message } : toErrorInfo(err);
    finish({ outcome: 'allocation-failed', error, memory: memory(), buildMs: null, kernelMs: null }, 3);
  }
}

async function main(): Promise<void> {
  exitWithParent();
  const raw = process.argv[2];
  let job: ProbeJob;
  try {
    job = JSON.parse(raw ?? '') as ProbeJob;
  } catch (err) {
    return finish(
      { outcome: 'errored', error: { code: 'SB_ERR_INPUT', message: `bad job: ${errorMessage(err)}` }, memory: memory(), buildMs: null, kernelMs: null },
      4,
    );
  }
  try {
    if (job.mode === 'verify') verify(job);
    else if (job.mode === 'onnx-batch') await runOnnxBatch(job, HOOKS);
    else await predict(job);
  } catch (err) {
    finish({ outcome: 'errored', error: toErrorInfo(err), memory: memory(), buildMs: null, kernelMs: null }, 4);
  }
}

await main();
