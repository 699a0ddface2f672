// The capacity question for your own model: for an ONNX model with a dynamic batch, the largest input batch
// (rows of features in one inference) that fits a fresh process under the budget, found by the same search
// in probe processes; where the question does not apply (io, a predict module, a model that takes one row an
// inference) the result says so plainly and nothing runs. The kernels' capacity is untouched by it.
import { describe, expect, it } from 'vitest';
import { resolveCapacitySettings } from '../src/capacity/settings.js';
import { runCapacitySuite } from '../src/capacity/suite.js';
import { setQuiet } from '../src/progress.js';
import { renderCapacityMarkdown, renderCapacityTable } from '../src/report/capacity.js';
import { exampleModule, fixtureModel, shippedModel } from './serving-model-fixtures.js';

const MiB = 1024 * 1024;
setQuiet(true);

describe('capacity of a model', () => {
  it('finds the largest batch of an ONNX model under the budget, in fresh probe processes', async () => {
    const data = await runCapacitySuite({ predict: 'onnx', modelFile: shippedModel('model-a'), quick: true, budgetBytes: 384 * MiB });
    expect(data.kernels).toEqual([]);
    expect(data.serverCheck.state).toBe('skipped');
    expect(data.mechanism?.verified).toBe(true);
    const m = data.model!;
    expect(m.state, JSON.stringify(m)).toBe('completed');
    if (m.state !== 'completed') return;
    expect(m.name).toBe('model-a.onnx');
    expect(m.featureCount).toBe(8);
    expect(m.maxRows).toBeGreaterThan(1000);
    expect(m.firstFailRows).toBeGreaterThan(m.maxRows!);
    expect(m.failure).not.toBe('errored');
    const fitted = m.probes.find((p) => p.n === m.maxRows)!;
    expect(fitted.outcome).toBe('ok');
    expect(fitted.detail).toMatch(/a batch of \d+ rows ran/);
    expect(new Set(m.probes.map((p) => p.pid)).size).toBe(m.probes.length);
    expect(renderCapacityTable(data)).toMatch(/answer: the largest batch is [\d,]+ rows/);
  }, 180_000);

  it.each([
    ['io', {}, /the io predict waits/],
    ['module', { modelFile: exampleModule }, /a predict module takes one vector of features a call/],
    ['onnx', { modelFile: fixtureModel('rank1-float64.onnx') }, /input '.*' \[8\] takes one row an inference/],
  ] as const)(
    'says plainly that the question does not apply to %s',
    async (predict, o, reason) => {
      const data = await runCapacitySuite({ predict, ...o, budgetBytes: 256 * MiB });
      expect(data.model?.state).toBe('not-applicable');
      expect(data.model?.state === 'not-applicable' ? data.model.reason : '').toMatch(reason);
      expect(data.kernels).toEqual([]);
      expect(renderCapacityMarkdown(data)).toMatch(/answer: does not apply: /);
    },
    60_000,
  );

  it('keeps the kernels as the default question, and refuses options that do not fit', () => {
    const roomy = { availableBytes: 20 * 1024 * MiB };
    const cpu = resolveCapacitySettings({ ...roomy });
    expect(cpu.kernels.length).toBe(5);
    expect(cpu.predict).toBeUndefined();
    expect(() => resolveCapacitySettings({ ...roomy, predict: 'onnx', kernels: ['naive'] })).toThrow(/--kernels: applies to --predict cpu/);
    expect(() => resolveCapacitySettings({ ...roomy, predict: 'module' })).toThrow(/--model: required with --predict module/);
    expect(() => resolveCapacitySettings({ ...roomy, modelFile: 'x.onnx' })).toThrow(/--model: applies to --predict onnx or module/);
  });
});
