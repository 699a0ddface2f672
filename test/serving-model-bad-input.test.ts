// Bad models and bad requests to a model: each gets a clear error naming the problem. At start (before any
// process runs): a missing file, a file that is not an ONNX model, inputs servebench cannot fill, a module
// without predict, models that disagree on their features. Per request: a predict that throws or answers
// something other than a number, features that do not fit the model: a 4xx or 500 naming the model, and the
// same processes answer the next request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OptionError, ServebenchError } from '../src/errors.js';
import type { ErrorResponse, PredictResponse } from '../src/results/serving.js';
import { startModelApi, startSystem } from '../src/serving/system.js';
import type { RunningModelApi, RunningSystem, SystemOptions } from '../src/serving/types.js';
import { fixtureModel, post } from './serving-model-fixtures.js';

async function startError(options: Partial<SystemOptions>): Promise<unknown> {
  return startSystem({ path: 'async', topology: 'single', predict: 'onnx', store: 'memory', metricsIntervalMs: 0, ...options }).then(
    async (sys) => {
      await sys.stop();
      return undefined;
    },
    (err: unknown) => err,
  );
}

describe('a model servebench cannot run is refused at start, naming the problem', () => {
  it.each([
    ['a missing file', { modelFile: fixtureModel('missing.onnx') }, /--model: .*missing\.onnx: no such file/],
    [
      'a file that is not an ONNX model',
      { modelFile: fixtureModel('not-a-model.onnx') },
      /--model: not-a-model\.onnx: not an ONNX model onnxruntime-node can load/,
    ],
    ['two inputs', { modelFile: fixtureModel('two-inputs.onnx') }, /two-inputs\.onnx: the model has 2 inputs \('a', 'b'\)/],
    [
      'a dynamic feature dimension',
      { modelFile: fixtureModel('dynamic-features.onnx') },
      /input 'x' \(float32 \[batch, n\]\) has a dynamic feature dimension 'n'/,
    ],
    ['a string input', { modelFile: fixtureModel('string-input.onnx') }, /input 'text' \(string \[batch, 8\]\) is not a numeric type/],
    [
      'models taking different features',
      { modelFiles: { a: fixtureModel('four-features.onnx') } },
      /model-b\.onnx takes 8 features and four-features\.onnx \(model-a\) takes 4/,
    ],
    [
      'a module without predict',
      { predict: 'module', modelFile: fixtureModel('no-predict.mjs') },
      /no-predict\.mjs: exports no predict function: .*\(it exports score\)/,
    ],
    ['an ONNX file as a module', { predict: 'module', modelFile: fixtureModel('four-features.onnx') }, /a predict module is a \.mjs, \.js or \.cjs file/],
  ] as const)('%s', async (_what, options, message) => {
    const err = await startError(options as Partial<SystemOptions>);
    expect(err).toBeInstanceOf(ServebenchError);
    expect((err as ServebenchError).code).toBe('SB_ERR_INPUT');
    expect((err as Error).message).toMatch(message);
  });

  it.each([
    [{ predict: 'module' }, '--model', /required with --predict module/],
    [{ predict: 'io', modelFile: 'x.onnx' }, '--model', /applies only to --predict onnx or module/],
    [{ predict: 'module', modelFile: 'm.mjs', onnxThreads: 2 }, '--onnx-threads', /applies only to --predict onnx/],
    [{ predict: 'onnx', kernel: 'typed' }, '--kernel', /applies only to --predict cpu \(the onnx predict runs its model file\)/],
  ] as const)('option %j: an OptionError naming %s', async (options, option, message) => {
    const err = await startError(options as Partial<SystemOptions>);
    expect(err).toBeInstanceOf(OptionError);
    expect((err as OptionError).option).toBe(option);
    expect((err as Error).message).toMatch(message);
  });
});

describe.each(['sync', 'async'] as const)('per-request model failures on the %s path', (path) => {
  let flaky: RunningModelApi;
  let failing: RunningSystem;
  let onnx: RunningModelApi;
  beforeAll(async () => {
    [flaky, failing, onnx] = await Promise.all([
      startModelApi({ path, topology: 'single', predict: 'module', modelFile: fixtureModel('flaky-module.mjs'), poolThreads: 1, metricsIntervalMs: 0 }),
      startSystem({
        path,
        topology: 'single',
        predict: 'module',
        modelFile: fixtureModel('failing-module.mjs'),
        store: 'memory',
        poolThreads: 1,
        metricsIntervalMs: 0,
      }),
      startModelApi({ path, topology: 'single', predict: 'onnx', poolThreads: 1, metricsIntervalMs: 0 }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([flaky?.stop(), failing?.stop(), onnx?.stop()]);
  });

  const features = (first: number) => [first, 1, 1, 1, 1, 1, 1, 1];

  it.each([
    ['throws', 99, /^model-a \(flaky fixture\): predict threw: weights missing for this entity$/],
    ['returns a string', 98, /^model-a \(flaky fixture\): predict returned the string "high", not a finite number$/],
    ['returns NaN', 97, /^model-a \(flaky fixture\): predict returned NaN, not a finite number$/],
  ])('a predict that %s: a 500 model_failed naming the model, and the process answers the next request', async (_what, first, message) => {
    const pid = flaky.processes[0]!.pid;
    const r = await post<ErrorResponse>(flaky.predictUrl, { features: features(first) });
    expect(r.status).toBe(500);
    expect(r.json.error.code).toBe('model_failed');
    expect(r.json.error.message).toMatch(message);
    const ok = await post<PredictResponse>(flaky.predictUrl, { features: features(2) });
    expect(ok.status).toBe(200);
    expect(ok.json.prediction).toBeCloseTo(9 / 8, 12);
    expect(ok.json.served.pid).toBe(pid);
    expect((await fetch(flaky.predictUrl.replace('/predict', '/health'))).status).toBe(200);
  });

  it('a Promise from a predict not declared async: refused inline on the sync path, awaited on the pool on the async path', async () => {
    const r = await post<ErrorResponse & PredictResponse>(flaky.predictUrl, { features: features(96) });
    if (path === 'sync') {
      expect(r.status).toBe(500);
      expect(r.json.error.message).toMatch(/predict returned a Promise, but it is not declared async/);
    } else {
      expect(r.status).toBe(200);
      expect(r.json.prediction).toBe(0.5);
    }
  });

  it('features that do not fit the model: a 400 naming the model and its input', async () => {
    const short = await post<ErrorResponse>(onnx.predictUrl, { features: [1, 2, 3] });
    expect(short.status).toBe(400);
    expect(short.json.error).toMatchObject({
      code: 'bad_features',
      message: 'features: model-a.onnx (input features, float32 [batch, 8]) takes 8 features, got 3',
    });
    const text = await post<ErrorResponse>(flaky.predictUrl, { features: ['a', 1, 1, 1, 1, 1, 1, 1] });
    expect(text.json.error).toMatchObject({ code: 'bad_features', message: 'features[0]: expected a finite number, got the string "a"' });
    const n = await post<ErrorResponse>(onnx.predictUrl, { features: features(1), n: 10 });
    expect(n.json.error.message).toBe('n: applies only to a cpu predict; this model API runs the onnx predict');
    expect((await post<PredictResponse>(onnx.predictUrl, { features: features(1) })).status).toBe(200);
  });

  it('a model that fails every predict: the scoring answer is a 502 naming the model, and the system stays up', async () => {
    const before = failing.processes.map((p) => p.pid).sort();
    for (let i = 0; i < 3; i++) {
      const r = await post<ErrorResponse>(failing.scoringUrl, { entity: `e${i}` });
      expect(r.status).toBe(502);
      expect(r.json.error.code).toBe('model_bad_answer');
      expect(r.json.error.message).toMatch(/answered 500: model-[ab] \(failing fixture\): predict threw: the model is broken/);
    }
    expect((await fetch(failing.scoringUrl.replace('/score', '/health'))).status).toBe(200);
    expect(failing.processes.map((p) => p.pid).sort()).toEqual(before);
  });
});

it('the queue path: a failed predict comes back as a 502 naming the model, not a timeout', async () => {
  // A deadline past the test's own: a 502 can only be the job's answer, never the queue's 504.
  const sys = await startSystem({
    path: 'queue',
    topology: 'single',
    predict: 'module',
    modelFile: fixtureModel('failing-module.mjs'),
    store: 'memory',
    timeoutsMs: { queue: 120_000 },
    metricsIntervalMs: 0,
  });
  try {
    const r = await post<ErrorResponse>(sys.scoringUrl, { entity: 'e1' });
    expect(r.status).toBe(502);
    expect(r.json.error.message).toMatch(
      /model worker pid \d+ answered job \S+ \(model-[ab]\) with 500 model_failed: model-[ab] \(failing fixture\): predict threw/,
    );
    expect((await fetch(sys.scoringUrl.replace('/score', '/health'))).status).toBe(200);
  } finally {
    await sys.stop();
  }
});
