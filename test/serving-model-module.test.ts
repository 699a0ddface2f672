// The module predict: the example module (examples/predict-module.mjs, a synchronous predict) runs inline on
// the sync path and on a worker-thread pool on the async path, on single and cluster, and every answer equals
// the module's own predict called here; an async CommonJS module is blocked on through a worker thread on the
// sync path and awaited on the async path.
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { PredictResponse, ScoreResponse } from '../src/results/serving.js';
import { entityFeatures } from '../src/serving/feature-store/loader.js';
import { startModelApi, startSystem } from '../src/serving/system.js';
import type { RunningModelApi, RunningSystem, SystemOptions } from '../src/serving/types.js';
import { exampleModule, fixtureModel, post } from './serving-model-fixtures.js';

const running: (RunningSystem | RunningModelApi)[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

const seed = 4;

/** The example module's own answers, computed in this process. */
async function examplePredict(): Promise<(f: number[]) => number> {
  const m = (await import(pathToFileURL(exampleModule).href)) as { load(): Promise<void>; predict(f: number[]): number };
  await m.load();
  return (f) => m.predict(f);
}

describe('module predict', () => {
  it.each([
    ['sync', 'single', 'inline'],
    ['async', 'single', 'worker-pool'],
    ['sync', 'cluster', 'inline'],
    ['async', 'cluster', 'worker-pool'],
  ] as const)("%s path, %s: answers equal the module's own predict", async (path, topology, placement) => {
    const options: SystemOptions = { path, topology, predict: 'module', modelFile: exampleModule, store: 'memory', seed, poolThreads: 1, metricsIntervalMs: 0 };
    if (topology === 'cluster') options.workers = 2;
    const sys = await startSystem(options);
    running.push(sys);
    const d = sys.describe();
    expect(d.models?.a).toMatchObject({
      predict: 'module',
      name: 'example logistic regression (hand-written)',
      file: { name: 'predict-module.mjs' },
      inputs: [{ name: 'features', type: 'number', shape: [8] }],
      runtime: { name: 'node', version: process.versions.node },
      placement,
      asyncPredict: false,
    });
    expect(d.models?.a.file?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(d.models?.a.threads).toEqual(path === 'async' ? { pool: 1 } : {});
    const predict = await examplePredict();
    for (const i of [0, 1, 2, 3]) {
      const r = await post<ScoreResponse>(sys.scoringUrl, { entity: `e${i}` });
      expect(r.status).toBe(200);
      const want = predict(entityFeatures(seed, i, 8));
      // One model for both services: both predictions are the module's.
      expect(r.json.predictions.a).toBeCloseTo(want, 12);
      expect(r.json.predictions.b).toBeCloseTo(want, 12);
    }
    const direct = await post<PredictResponse>(`${sys.baseUrls.modelB}/predict`, { features: [1, 1, 1, 1, 1, 1, 1, 1] });
    expect(direct.json.prediction).toBeCloseTo(predict([1, 1, 1, 1, 1, 1, 1, 1]), 12);
    expect(direct.json.modelInfo).toMatchObject({ name: 'example logistic regression (hand-written)', file: { name: 'predict-module.mjs' }, placement });
  });

  it.each([
    ['sync', 'blocking-worker'],
    ['async', 'event-loop'],
  ] as const)('an async CommonJS predict on the %s path runs %s, with its load() and its 4 features', async (path, placement) => {
    const api = await startModelApi({ path, topology: 'single', predict: 'module', modelFile: fixtureModel('async-module.cjs'), metricsIntervalMs: 0 });
    running.push(api);
    expect(api.featureCount).toBe(4);
    expect(api.model).toMatchObject({ name: 'async commonjs fixture', placement, asyncPredict: true, featureCount: 4 });
    const r = await post<PredictResponse>(api.predictUrl, { features: [1, 2, 3, 4] });
    expect(r.status).toBe(200);
    expect(r.json.prediction).toBeCloseTo(2.5, 12);
    expect(r.json.timing.predictMs).toBeGreaterThan(0);
  });
});
