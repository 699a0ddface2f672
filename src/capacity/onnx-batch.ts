// One capacity probe of an ONNX model, inside a probe process under the budget (probe-main.ts runs it): open
// the model with onnxruntime-node (as a model API's session), warm it on one row, then build one input batch of
// `rows` rows of seeded random features, run one inference on it, and check that the first output has a finite
// value per row. An allocation onnxruntime refuses (its "Failed to allocate" error) or a typed array V8 cannot
// allocate is caught and reported as allocation-failed; an abort is read by the parent from the exit.

import { performance } from 'node:perf_hooks';
import { errorMessage } from '../errors.js';
import type { ProbeMemory, ProbeStage } from '../results/capacity.js';
import { onnxRuntime } from '../serving/models/onnx-runtime.js';
import { createRng } from '../stats/random.js';
import { ALLOCATION_ERROR_PATTERN, type OnnxBatchJob, type ProbeReportBody } from './protocol.js';

/** onnxruntime's own words for memory it could not get. */
const ORT_ALLOCATION_PATTERN = /Failed to allocate|bad_alloc|out of memory|std::bad_alloc/i;

/** What probe-main lends the job: its stage messages, its memory figures, its one report. */
export interface ProbeHooks {
  setStage(s: ProbeStage): void;
  /** Take the baseline (RSS, VmData) now, before the input is built. */
  markBaseline(): void;
  memory(): ProbeMemory;
  finish(report: ProbeReportBody, code: number): void;
}

type Typed = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;

/** A batch of `count` values of the input's type, seeded (integers rounded, as the model APIs feed them). */
function batch(type: string, count: number, seed: number): Typed {
  const rng = createRng(seed);
  const floats: Record<string, new (n: number) => Typed> = {
    float32: Float32Array,
    float64: Float64Array,
    int8: Int8Array,
    uint8: Uint8Array,
    int16: Int16Array,
    uint16: Uint16Array,
    int32: Int32Array,
    uint32: Uint32Array,
  };
  const Ctor = floats[type];
  if (Ctor !== undefined) {
    const a = new Ctor(count);
    const integer = !type.startsWith('float');
    for (let i = 0; i < count; i++) a[i] = integer ? Math.round(rng() * 4) : rng();
    return a;
  }
  const a = type === 'int64' ? new BigInt64Array(count) : new BigUint64Array(count);
  for (let i = 0; i < count; i++) a[i] = BigInt(Math.round(rng() * 4));
  return a;
}

function isAllocationFailure(err: unknown): boolean {
  const m = errorMessage(err);
  return (err instanceof RangeError && ALLOCATION_ERROR_PATTERN.test(m)) || ORT_ALLOCATION_PATTERN.test(m);
}

/** Run the job and send its one report through the hooks. */
export async function runOnnxBatch(job: OnnxBatchJob, hooks: ProbeHooks): Promise<void> {
  const ort = onnxRuntime();
  const session = await ort.InferenceSession.create(job.path, { intraOpNumThreads: job.threads, interOpNumThreads: 1, executionMode: 'sequential' });
  const f = job.input.featureCount;
  const tensor = (data: Typed, rows: number) => new ort.Tensor(job.input.type as 'float32', data as Float32Array, [rows, f]);
  for (let i = 0; i < 4; i++) await session.run({ [job.input.name]: tensor(batch(job.input.type, f, job.seed + i), 1) });
  hooks.markBaseline();
  hooks.setStage('warmed');
  let buildMs: number | null = null;
  let kernelMs: number | null = null;
  try {
    const t0 = performance.now();
    const input = tensor(batch(job.input.type, job.rows * f, job.seed), job.rows);
    buildMs = performance.now() - t0;
    hooks.setStage('built');
    const t1 = performance.now();
    const out = (await session.run({ [job.input.name]: input }))[job.output];
    kernelMs = performance.now() - t1;
    hooks.setStage('computed');
    const values = out?.data as ArrayLike<number | bigint> | undefined;
    const bad = values === undefined || values.length < job.rows ? -1 : firstNonFinite(values, job.rows);
    hooks.setStage('checked');
    if (bad !== undefined) {
      const why = bad === -1 ? `output '${job.output}' has ${values?.length ?? 0} values for ${job.rows} rows` : `output value ${bad} is not finite`;
      return hooks.finish({ outcome: 'errored', error: { code: 'SB_ERR_INTERNAL', message: why }, memory: hooks.memory(), buildMs, kernelMs }, 4);
    }
    const detail = `a batch of ${job.rows} rows ran: ${values!.length} output values, all finite`;
    hooks.finish({ outcome: 'ok', mean: Number(values![0]), reference: Number(values![0]), detail, memory: hooks.memory(), buildMs, kernelMs }, 0);
  } catch (err) {
    if (isAllocationFailure(err)) {
      const error = { code: err instanceof RangeError ? 'RangeError' : 'onnxruntime', message: errorMessage(err).split('\n')[0] ?? '' };
      return hooks.finish({ outcome: 'allocation-failed', error, memory: hooks.memory(), buildMs, kernelMs }, 3);
    }
    throw err;
  }
}

/** The index of the first value that is not a finite number among the first `rows`, or undefined. */
function firstNonFinite(values: ArrayLike<number | bigint>, rows: number): number | undefined {
  for (let i = 0; i < rows; i++) {
    const v = values[i]!;
    if (typeof v === 'number' && !Number.isFinite(v)) return i;
  }
  return undefined;
}
