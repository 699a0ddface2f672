// The onnx predict through the whole system: on the sync path (the process blocks on a worker thread running
// the session) and the async path (a worker-thread pool), on single, cluster and nginx, and in the queue's
// model workers, every answer equals the shipped model's own output computed here with onnxruntime-node for
// the same entity features; the description names the model (file, size, sha256, inputs, runtime, threads).
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { PredictResponse, ScoreResponse } from '../src/results/serving.js';
import { entityFeatures } from '../src/serving/feature-store/loader.js';
import { startModelApi, startSystem } from '../src/serving/system.js';
import type { RunningModelApi, RunningSystem, SystemOptions } from '../src/serving/types.js';
import { fixtureModel, onnxScores, post, shippedModel } from './serving-model-fixtures.js';

const running: (RunningSystem | RunningModelApi)[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

const seed = 3;
const ids = [0, 1, 2, 3, 4];
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Score entities e0..e4 and check each prediction against onnxruntime-node run here. */
async function expectModelScores(sys: RunningSystem, files: { a: string; b: string }, featureCount = 8): Promise<void> {
  const vectors = ids.map((i) => entityFeatures(seed, i, featureCount));
  const [a, b] = await Promise.all([onnxScores(files.a, vectors), onnxScores(files.b, vectors)]);
  for (const i of ids) {
    const r = await post<ScoreResponse>(sys.scoringUrl, { entity: `e${i}` });
    expect(r.status).toBe(200);
    expect(r.json.predictions.a).toBeCloseTo(a[i]!, 6);
    expect(r.json.predictions.b).toBeCloseTo(b[i]!, 6);
  }
}

describe('onnx predict', () => {
  it.each([
    ['sync', 'single', 'blocking-worker'],
    ['async', 'single', 'worker-pool'],
    ['sync', 'cluster', 'blocking-worker'],
    ['async', 'cluster', 'worker-pool'],
  ] as const)("%s path, %s: answers equal onnxruntime-node's own output", async (path, topology, placement) => {
    const options: SystemOptions = { path, topology, predict: 'onnx', store: 'memory', seed, poolThreads: 1, onnxThreads: 1, metricsIntervalMs: 0 };
    if (topology === 'cluster') options.workers = 2;
    const sys = await startSystem(options);
    running.push(sys);
    const files = { a: shippedModel('model-a'), b: shippedModel('model-b') };
    const d = sys.describe();
    expect(d.featureCount).toBe(8);
    expect(d.versions['onnxruntime-node']).toMatch(/^\d+\.\d+\.\d+/);
    expect(d.models?.a).toMatchObject({
      predict: 'onnx',
      name: 'model-a.onnx',
      file: { path: files.a, name: 'model-a.onnx', bytes: statSync(files.a).size, sha256: sha256(files.a) },
      inputs: [{ name: 'features', type: 'float32', shape: ['batch', 8] }],
      outputs: [{ name: 'score', type: 'float32', shape: ['batch', 1] }],
      runtime: { name: 'onnxruntime-node', version: d.versions['onnxruntime-node'] },
      placement,
      threads: path === 'async' ? { intraOp: 1, pool: 1 } : { intraOp: 1 },
    });
    expect(d.models?.b.file?.sha256).toBe(sha256(files.b));
    await expectModelScores(sys, files);

    // The model API's own answer names the model; its health carries the full description.
    const direct = await post<PredictResponse>(`${sys.baseUrls.modelA}/predict`, { features: entityFeatures(seed, 0, 8) });
    expect(direct.status).toBe(200);
    expect(direct.json).toMatchObject({ predict: 'onnx', modelInfo: { name: 'model-a.onnx', file: { sha256: sha256(files.a) }, placement } });
    expect(direct.json.modelInfo?.runtime).toMatch(/^onnxruntime-node \d/);
    const health = (await (await fetch(`${sys.baseUrls.modelA}/health`)).json()) as { model: unknown };
    expect(health.model).toEqual(d.models?.a);
  });

  it("the queue path's model workers run the same models", async () => {
    const sys = await startSystem({ path: 'queue', topology: 'single', predict: 'onnx', store: 'memory', seed, modelWorkers: 1, metricsIntervalMs: 0 });
    running.push(sys);
    expect(sys.describe().models?.a.placement).toBe('inline');
    await expectModelScores(sys, { a: shippedModel('model-a'), b: shippedModel('model-b') });
  });

  it('behind nginx each backend loads the model itself (a model API alone, model-b)', async () => {
    const api = await startModelApi({ path: 'async', topology: 'nginx', workers: 2, predict: 'onnx', model: 'model-b', poolThreads: 1, metricsIntervalMs: 0 });
    running.push(api);
    expect(api.model).toMatchObject({ name: 'model-b.onnx', placement: 'worker-pool' });
    expect(api.versions['onnxruntime-node']).toBeDefined();
    const vectors = ids.map((i) => entityFeatures(seed, i, 8));
    const want = await onnxScores(shippedModel('model-b'), vectors);
    const pids = new Set<number>();
    for (let round = 0; round < 2; round++) {
      for (const i of ids) {
        const r = await post<PredictResponse>(api.predictUrl, { features: vectors[i] });
        expect(r.status).toBe(200);
        expect(r.json.prediction).toBeCloseTo(want[i]!, 6);
        pids.add(r.json.served.pid);
      }
    }
    expect(pids.size).toBe(2);
  });

  it("the feature store follows the model's feature dimension (a 4-feature model for both services)", async () => {
    const file = fixtureModel('four-features.onnx');
    const sys = await startSystem({
      path: 'async',
      topology: 'single',
      predict: 'onnx',
      modelFile: file,
      store: 'redis',
      seed,
      poolThreads: 1,
      metricsIntervalMs: 0,
    });
    running.push(sys);
    expect(sys.describe().featureCount).toBe(4);
    expect(sys.describe().models?.b.inputs).toEqual([{ name: 'x', type: 'float32', shape: ['batch', 4] }]);
    await expectModelScores(sys, { a: file, b: file }, 4);
  });

  it('a float64 input without a batch dimension is fed as [F]', async () => {
    const file = fixtureModel('rank1-float64.onnx');
    const api = await startModelApi({ path: 'sync', topology: 'single', predict: 'onnx', modelFile: file, metricsIntervalMs: 0 });
    running.push(api);
    const f = entityFeatures(seed, 7, 8);
    const [want] = await onnxScores(file, [f], { type: 'float64', rank: 1 });
    const r = await post<PredictResponse>(api.predictUrl, { features: f });
    expect(r.status).toBe(200);
    expect(r.json.prediction).toBeCloseTo(want!, 12);
  });
});
