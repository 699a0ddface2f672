// The plan of a run on your own model: the matrix of the file predict only (the default stays io and cpu),
// request-paths (the seeds' io comparison) left out unless named, and the model options echoed.
import { describe, expect, it } from 'vitest';
import { planLoad } from '../src/load/plan.js';
import { withDefinitions } from './load-definitions.js';

describe('planLoad with a model', () => {
  it('runs the matrix scenarios on the model alone and echoes its files', () => {
    const p = planLoad(withDefinitions({ predicts: ['onnx'], model: { modelFile: 'm.onnx', onnxThreads: 2 }, topologies: ['single', 'cluster'], quick: true }));
    expect(p.entries.map((e) => e.config.id)).toEqual(['sync/single/onnx', 'async/single/onnx', 'sync/cluster/onnx', 'async/cluster/onnx']);
    expect(p.scenarios).toEqual(['response-time', 'ramp', 'sustained']);
    expect(p.echo.model).toEqual({ file: 'm.onnx', onnxThreads: 2 });
  });

  it('keeps request-paths when it is named, and the built-in predicts by default', () => {
    const named = planLoad(withDefinitions({ predicts: ['module'], model: { modelFile: 'p.mjs' }, topologies: ['single'], scenarios: ['request-paths'] }));
    expect(named.entries.map((e) => e.config.id)).toEqual(['sync/single/io', 'async/single/io', 'sync/cluster/io']);
    const builtin = planLoad(withDefinitions({ topologies: ['single'], scenarios: ['response-time'] }));
    expect(builtin.entries.map((e) => e.config.id)).toEqual(['sync/single/io', 'async/single/io', 'sync/single/cpu', 'async/single/cpu']);
  });
});
