// The model options, resolved at the edge without starting anything: which file each model service loads
// (--model-a/--model-b over --model, the shipped ONNX models by default, paths made absolute), the onnx
// intra-op threads (the cores shared out over one model's sessions), and the built-in predicts described as
// models like the others.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseServeOptions } from '../src/commands/serve.js';
import { modelServiceConfig, modelSettings } from '../src/serving/config.js';
import { describeOnnxStatus, onnxStatus } from '../src/serving/index.js';
import { describeModel } from '../src/serving/models/index.js';
import { resolveSystemOptions } from '../src/serving/options.js';
import type { SystemOptions } from '../src/serving/types.js';
import { shippedModel } from './serving-model-fixtures.js';

const base: SystemOptions = { path: 'async', topology: 'single', predict: 'onnx', store: 'memory' };

describe('model options', () => {
  it('onnx without --model runs the shipped model-a.onnx and model-b.onnx', () => {
    const o = resolveSystemOptions(base);
    expect(o.modelFiles).toEqual({
      a: { path: shippedModel('model-a'), option: 'the shipped model-a' },
      b: { path: shippedModel('model-b'), option: 'the shipped model-b' },
    });
    expect(o.featureCount).toBe(8);
  });

  it('--model-a and --model-b over --model, relative paths made absolute', () => {
    const o = resolveSystemOptions({ ...base, modelFile: 'm.onnx', modelFiles: { b: 'sub/b.onnx' } });
    expect(o.modelFiles).toEqual({ a: { path: resolve('m.onnx'), option: '--model' }, b: { path: resolve('sub/b.onnx'), option: '--model-b' } });
    expect(
      parseServeOptions({ path: 'sync', topology: 'single', predict: 'module', store: 'memory', model: 'x.mjs', modelB: 'y.mjs', onnxThreads: '2' }),
    ).toMatchObject({
      modelFile: 'x.mjs',
      modelFiles: { b: 'y.mjs' },
      onnxThreads: 2,
    });
  });

  it('onnx intra-op threads: the cores shared out over one model sessions, at least 1; a setting', () => {
    const cores = availableParallelism();
    expect(resolveSystemOptions({ ...base, path: 'sync' }).onnxThreads).toBe(cores);
    expect(resolveSystemOptions({ ...base, path: 'async', poolThreads: 1 }).onnxThreads).toBe(cores);
    expect(resolveSystemOptions({ ...base, path: 'async', poolThreads: cores + 1 }).onnxThreads).toBe(1);
    expect(resolveSystemOptions({ ...base, path: 'sync', topology: 'cluster', workers: cores * 2 }).onnxThreads).toBe(1);
    expect(resolveSystemOptions({ ...base, onnxThreads: 3 }).onnxThreads).toBe(3);
    expect(resolveSystemOptions({ ...base, predict: 'module', modelFile: 'm.mjs' }).onnxThreads).toBeUndefined();
  });

  it.each([
    ['io', 'sync', 'inline'],
    ['io', 'async', 'event-loop'],
    ['cpu', 'sync', 'inline'],
  ] as const)('the built-in %s predict on the %s path is described as a model too (%s)', (predict, path, placement) => {
    const o = resolveSystemOptions({ path, topology: 'single', predict, store: 'memory' });
    const d = describeModel(modelSettings(modelServiceConfig(o, 'model-a')), path);
    expect(d).toMatchObject({ predict, featureCount: 8, placement, runtime: { name: 'node' }, inputs: [{ name: 'features', type: 'number', shape: [8] }] });
    expect(d.file).toBeUndefined();
  });

  it('says whether onnxruntime-node loaded, in the one-line form every output uses', () => {
    const status = onnxStatus();
    expect(status.available).toBe(true);
    expect(describeOnnxStatus(status)).toMatch(/^onnx: available \(onnxruntime-node \d+\.\d+\.\d+\)$/);
    expect(describeOnnxStatus({ available: false, reason: 'no binary for this platform' })).toBe('onnx: unavailable (no binary for this platform)');
  });
});
