// Your own model through the load matrix: `load --predict onnx|module --model FILE` on the sync and async
// paths, single and cluster, with real processes (the shipped ONNX model and the example module). Each
// configuration is named by its predict (e.g. 'async/single/onnx') and carries the model it ran (file,
// size, sha256, inputs, runtime, placement, threads); the renderers name the model and answer sync vs async.
import { describe, expect, it } from 'vitest';
import { scenarios } from '../benchmarks/scenarios/index.js';
import { runLoadSuite } from '../src/load/suite.js';
import { setQuiet } from '../src/progress.js';
import { renderLoadMarkdown, renderLoadTerminal } from '../src/report/load.js';
import { exampleModule, shippedModel } from './serving-model-fixtures.js';

const t = { warmupMs: 200, durationMs: 600 };
const definitions = { ...scenarios, 'response-time': { ...scenarios['response-time'], timing: { default: t, quick: t } } };

async function matrix(predict: 'onnx' | 'module', modelFile: string) {
  setQuiet(true);
  try {
    return await runLoadSuite({
      paths: ['sync', 'async'],
      topologies: ['single', 'cluster'],
      predicts: [predict],
      model: { modelFile },
      workers: 2,
      scenarios: ['response-time'],
      definitions,
    });
  } finally {
    setQuiet(false);
  }
}

describe.each([
  ['onnx', shippedModel('model-a'), 'model-a.onnx', 'onnxruntime-node'],
  ['module', exampleModule, 'example logistic regression (hand-written)', 'node'],
] as const)('load --predict %s', (predict, file, name, runtime) => {
  it('runs sync and async on single and cluster, each configuration naming its model', async () => {
    const data = await matrix(predict, file);
    expect(data.configurations.map((c) => c.id)).toEqual([
      `sync/single/${predict}`,
      `async/single/${predict}`,
      `sync/cluster/${predict}`,
      `async/cluster/${predict}`,
    ]);
    for (const c of data.configurations) {
      expect(c.state, c.error?.message ?? c.reason).toBe('completed');
      expect(c.model?.name).toBe(name);
      expect(c.model?.file?.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(c.model?.file?.bytes).toBeGreaterThan(0);
      expect(c.model?.inputs[0]?.shape.at(-1)).toBe(8);
      expect(c.model?.runtime.name).toBe(runtime);
      expect(c.modelB).toBeUndefined();
      if (predict === 'onnx') expect(c.model?.threads.intraOp).toBeGreaterThanOrEqual(1);
    }
    for (const r of data.runs) {
      expect(r.state).toBe('completed');
      if (r.state !== 'completed') continue;
      expect(r.requests.successes).toBeGreaterThan(0);
      expect(r.failures.total).toBe(0);
    }
    expect(data.options.model).toEqual({ file });
    const terminal = renderLoadTerminal(data);
    expect(terminal).toContain(name.slice(0, 20));
    expect(terminal).toMatch(/model: .*single, sync vs async: async has [0-9.]+x the throughput of sync/);
    expect(renderLoadMarkdown(data)).toMatch(/\| configuration \| model \| state \| detail \|/);
  }, 180_000);
});
