// Bad input through load: a model whose predict fails is counted by kind. The load generator sees the
// scoring handler's status (failureCodes: '502'); each server process counts its own error answers by status
// and code (the model API's '500 model_failed', the scoring handler's '502 model_bad_answer'). A model file
// that cannot be read stops the run before anything starts (SB_ERR_INPUT: the command exits 2).
import { describe, expect, it } from 'vitest';
import { scenarios } from '../benchmarks/scenarios/index.js';
import { ServebenchError } from '../src/errors.js';
import { runLoadSuite } from '../src/load/suite.js';
import { setQuiet } from '../src/progress.js';
import { renderLoadTerminal } from '../src/report/load.js';
import { fixtureModel } from './serving-model-fixtures.js';
import { withDefinitions } from './load-definitions.js';

const t = { warmupMs: 200, durationMs: 600 };
const definitions = { ...scenarios, 'response-time': { ...scenarios['response-time'], timing: { default: t, quick: t } } };

describe('predict failures under load', () => {
  it('counts them by kind: the client sees 502, the model API its own 500 model_failed', async () => {
    setQuiet(true);
    const data = await runLoadSuite({
      paths: ['async'],
      topologies: ['single'],
      predicts: ['module'],
      model: { modelFile: fixtureModel('failing-module.mjs') },
      scenarios: ['response-time'],
      definitions,
    }).finally(() => setQuiet(false));
    const run = data.runs[0]!;
    expect(run.state).toBe('completed');
    if (run.state !== 'completed') return;
    expect(run.requests.successes).toBe(0);
    expect(run.failures.byKind.non2xx).toBeGreaterThan(0);
    expect(Object.keys(run.failureCodes)).toEqual(['502']);
    const modelA = run.servers.find((s) => s.role === 'model-a');
    const scoring = run.servers.find((s) => s.role === 'scoring');
    expect(Object.keys(modelA?.errorCodes ?? {})).toEqual(['500 model_failed']);
    expect(Object.keys(scoring?.errorCodes ?? {})).toEqual(['502 model_bad_answer']);
    expect(renderLoadTerminal(data)).toMatch(/errors: 500 model_failed x\d+/);
  }, 120_000);

  it.each([
    ['a file that is not an ONNX model', 'onnx', 'not-a-model.onnx', /not an ONNX model onnxruntime-node can load/],
    ['a module without predict', 'module', 'no-predict.mjs', /exports no predict function/],
    ['a missing file', 'onnx', 'missing.onnx', /no such file/],
  ] as const)('stops at once on %s (SB_ERR_INPUT)', async (_what, predict, file, message) => {
    const run = runLoadSuite(withDefinitions({ paths: ['sync'], topologies: ['single'], predicts: [predict], model: { modelFile: fixtureModel(file) } }));
    await expect(run).rejects.toThrow(ServebenchError);
    await expect(run).rejects.toThrow(message);
  });

  it.each([
    [{ predicts: ['io' as const], model: { modelFile: 'x.onnx' } }, /--model: applies to --predict onnx or module/],
    [{ predicts: ['module' as const] }, /--model: required with --predict module/],
    [{ predicts: ['cpu' as const], model: { onnxThreads: 2 } }, /--onnx-threads: applies only to --predict onnx/],
    [{ predicts: ['onnx' as const, 'module' as const], model: { modelFile: 'x.onnx' } }, /--model: one model file is either/],
  ])('refuses model options that do not fit the predicts: %j', async (o, message) => {
    await expect(runLoadSuite(withDefinitions(o))).rejects.toThrow(message);
  });
});
