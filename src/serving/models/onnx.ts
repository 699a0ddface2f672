// ONNX models with onnxruntime-node: reading a model's inputs and outputs at start (refusing one servebench
// cannot fill, with the input named), and the runner that feeds one request's features to a session.
// Note: onnxruntime-node's `session.run` returns a Promise but runs the inference on the calling thread
// (its backend calls the binding's synchronous run inside setImmediate): it does not free the event loop,
// which is why the async path runs it on a worker-thread pool (file-model.ts).

import type { InferenceSession } from 'onnxruntime-node';
import type { ModelTensorDescription } from '../../results/serving.js';
import { ServebenchError, errorMessage } from '../../errors.js';
import { onnxRuntime } from './onnx-runtime.js';
import type { ModelFacts, ModelFileSettings, Runner } from './types.js';

type TypedArray = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;

const round = (v: number) => Math.round(v);
const big = (v: number) => BigInt(Math.round(v));

/** The numeric element types servebench can fill from a request's features (integers are rounded). */
const FILL: Record<string, (f: number[]) => TypedArray> = {
  float32: (f) => Float32Array.from(f),
  float64: (f) => Float64Array.from(f),
  int8: (f) => Int8Array.from(f, round),
  uint8: (f) => Uint8Array.from(f, round),
  int16: (f) => Int16Array.from(f, round),
  uint16: (f) => Uint16Array.from(f, round),
  int32: (f) => Int32Array.from(f, round),
  uint32: (f) => Uint32Array.from(f, round),
  int64: (f) => BigInt64Array.from(f, big),
  uint64: (f) => BigUint64Array.from(f, big),
};
const FILLABLE = Object.keys(FILL).join(', ');

function tensorOf(m: InferenceSession.ValueMetadata, role: 'input' | 'output', file: string): ModelTensorDescription {
  if (!m.isTensor) throw refuse(file, `${role} '${m.name}' is not a tensor (a sequence or map): servebench feeds and reads numeric tensors`);
  return { name: m.name, type: m.type, shape: m.shape.map((d) => (typeof d === 'string' && d === '' ? '?' : d)) };
}

function refuse(file: string, why: string): ServebenchError {
  return new ServebenchError('SB_ERR_INPUT', `${file}: ${why}`);
}

/**
 * The feature count an input takes, or a refusal naming the input: one vector per request, as [batch, F]
 * (batch dynamic or 1) or [F], with F fixed.
 */
function featureCountOf(input: ModelTensorDescription, file: string): number {
  const where = `input '${input.name}' (${input.type} [${input.shape.join(', ')}])`;
  if (FILL[input.type] === undefined) throw refuse(file, `${where} is not a numeric type servebench can fill (${FILLABLE})`);
  const shape = input.shape;
  if (shape.length < 1 || shape.length > 2) {
    throw refuse(file, `${where} has ${shape.length} dimensions: servebench feeds one vector of features a request, as [batch, F] or [F]`);
  }
  const batch = shape.length === 2 ? shape[0] : undefined;
  if (typeof batch === 'number' && batch !== 1)
    throw refuse(file, `${where} has a fixed batch of ${batch}: servebench feeds one entity a request (batch 1 or dynamic)`);
  const f = shape[shape.length - 1]!;
  if (typeof f === 'string') {
    throw refuse(file, `${where} has a dynamic feature dimension '${f}': servebench cannot tell how many features to feed (only the batch may be dynamic)`);
  }
  if (f < 1) throw refuse(file, `${where} takes ${f} features`);
  return f;
}

/** Read an ONNX model's inputs and outputs and check servebench can fill it. `file` names it in messages. */
export async function inspectOnnx(path: string, file: string): Promise<Omit<ModelFacts, 'file' | 'name'>> {
  const ort = onnxRuntime();
  let session: InferenceSession;
  try {
    session = await ort.InferenceSession.create(path, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  } catch (err) {
    throw refuse(file, `not an ONNX model onnxruntime-node can load: ${errorMessage(err).split('\n')[0]}`);
  }
  try {
    const inputs = session.inputMetadata.map((m) => tensorOf(m, 'input', file));
    const outputs = session.outputMetadata.map((m) => tensorOf(m, 'output', file));
    if (inputs.length !== 1) {
      const names = inputs.map((i) => `'${i.name}'`).join(', ');
      throw refuse(file, `the model has ${inputs.length} inputs${names === '' ? '' : ` (${names})`}: servebench feeds exactly one, the entity's features`);
    }
    const featureCount = featureCountOf(inputs[0]!, file);
    const out = outputs[0];
    if (out === undefined) throw refuse(file, 'the model has no output');
    if (FILL[out.type] === undefined) throw refuse(file, `output '${out.name}' is ${out.type}: servebench reads a numeric score (${FILLABLE})`);
    return { inputs, outputs, featureCount, runtime: { name: 'onnxruntime-node', version: ort.env.versions.node ?? 'unknown' } };
  } finally {
    await session.release().catch(() => undefined);
  }
}

/**
 * Whether the model takes several rows in one inference: its input is [batch, F] with the batch dynamic. A
 * [F] input, or a fixed batch of 1, runs one inference per row.
 */
export function onnxTakesBatch(facts: ModelFacts): boolean {
  const shape = facts.inputs[0]?.shape ?? [];
  return shape.length === 2 && typeof shape[0] === 'string';
}

/** A value of an output tensor as a number. */
const asNumber = (v: unknown): unknown => (typeof v === 'bigint' ? Number(v) : v);

/**
 * A session of the model on this thread, fed one request's features at a time, or (callBatch) the rows of a
 * batch as one [B, F] tensor; its first output's first value (per row) is the score.
 */
export async function openOnnx(settings: ModelFileSettings): Promise<Runner> {
  const ort = onnxRuntime();
  const input = settings.facts.inputs[0]!;
  const output = settings.facts.outputs[0]!;
  const fill = FILL[input.type]!;
  const f = settings.facts.featureCount;
  const dims = input.shape.length === 2 ? [1, f] : [f];
  const session = await ort.InferenceSession.create(settings.path, {
    intraOpNumThreads: settings.onnxThreads,
    // One request's graph runs its nodes in order; the intra-op threads split each node's work.
    interOpNumThreads: 1,
    executionMode: 'sequential',
  });
  const tensor = (values: number[], shape: number[]) => new ort.Tensor(input.type as 'float32', fill(values) as Float32Array, shape);
  const callBatch = async (rows: number[][]): Promise<unknown[]> => {
    const result = await session.run({ [input.name]: tensor(rows.flat(), [rows.length, f]) });
    const data = result[output.name]?.data;
    if (data === undefined || data.length % rows.length !== 0) {
      throw new Error(`output '${output.name}' has ${data?.length ?? 0} values for a batch of ${rows.length}`);
    }
    // [B, k] (or [B]): row i's score is the first of its k values.
    const stride = data.length / rows.length;
    return rows.map((_, i) => asNumber(data[i * stride]));
  };
  return {
    async call(features) {
      const result = await session.run({ [input.name]: tensor(features, dims) });
      return asNumber(result[output.name]?.data[0]);
    },
    ...(onnxTakesBatch(settings.facts) ? { callBatch } : {}),
    close: () => session.release(),
  };
}
