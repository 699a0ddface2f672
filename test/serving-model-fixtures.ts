// Shared by the serving-model-* tests: the shipped models and the fixtures, a JSON POST, and a model's own
// output computed here with onnxruntime-node (what the servers' answers must equal).
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { packageRoot } from '../src/paths.js';

export const shippedModel = (service: 'model-a' | 'model-b') => join(packageRoot, 'models', `${service}.onnx`);
export const fixtureModel = (file: string) => join(packageRoot, 'test', 'fixtures', 'models', file);
export const exampleModule = join(packageRoot, 'examples', 'predict-module.mjs');

export async function post<T>(url: string, body: unknown): Promise<{ status: number; json: T }> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, json: (await r.json()) as T };
}

/** The first output's first value for each vector of features, run here by onnxruntime-node (float32 [1, F] input, or the model's own). */
export async function onnxScores(
  file: string,
  vectors: number[][],
  input: { type: 'float32' | 'float64'; rank: 1 | 2 } = { type: 'float32', rank: 2 },
): Promise<number[]> {
  const session = await InferenceSession.create(file);
  try {
    const out: number[] = [];
    for (const f of vectors) {
      const data = input.type === 'float32' ? Float32Array.from(f) : Float64Array.from(f);
      const t = new Tensor(input.type, data, input.rank === 2 ? [1, f.length] : [f.length]);
      const r = await session.run({ [session.inputNames[0]!]: t });
      out.push(Number(r[session.outputNames[0]!]!.data[0]));
    }
    return out;
  } finally {
    await session.release();
  }
}
