// The model family's registry: one ModelKind per predict (io, cpu, onnx, module), and the one way a service
// makes its model for its path. Model APIs and queue workers call `createModel` and then `model.run`.

import type { ModelDescription, PredictKind, RequestPath } from '../../results/serving.js';
import { cpuModel, ioModel } from './builtin.js';
import { moduleModel, onnxModel } from './file-model.js';
import type { AsyncModel, BlockingModel, ModelKind, ModelSettings } from './types.js';

const MODEL_KINDS: Record<PredictKind, ModelKind> = { io: ioModel, cpu: cpuModel, onnx: onnxModel, module: moduleModel };

/** The model a service runs on its path: blocking on the sync path, awaited on the async path and in queue workers. */
export function createModel(s: ModelSettings, path: 'sync'): BlockingModel;
export function createModel(s: ModelSettings, path: 'async' | 'queue'): AsyncModel;
export function createModel(s: ModelSettings, path: RequestPath): BlockingModel | AsyncModel {
  const kind = MODEL_KINDS[s.predict];
  return path === 'sync' ? kind.blocking(s) : kind.async(s, path);
}

/** A model's description on a path, from its settings alone (no process started, nothing loaded). */
export function describeModel(s: ModelSettings, path: RequestPath): ModelDescription {
  return MODEL_KINDS[s.predict].describe(s, path);
}

export type { AsyncModel, BlockingModel, Model, ModelSettings, PredictInput, PredictOutcome } from './types.js';
