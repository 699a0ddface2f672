// Your own model under the profiler: `profile --service model --predict module|onnx --model FILE` profiles one
// model API alone, and its summaries show the model's own frames: the module's function under --cpu-prof,
// onnxruntime's native library under perf (charged to dependencies). Its /predict bodies carry as many
// features as the model takes (a 4-feature model gets 4).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runProfileSuite } from '../src/profile/suite.js';
import { perfInfo } from '../src/profile/tools/installed.js';
import { defaultToolPaths } from '../src/profile/tools/types.js';
import { setQuiet } from '../src/progress.js';
import type { ProfileCase } from '../src/results/profile.js';
import { fixtureModel, shippedModel } from './serving-model-fixtures.js';
import { needTool } from './needs-tool.js';

setQuiet(true);
const out = mkdtempSync(join(tmpdir(), 'servebench-profile-model-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function done(c: ProfileCase | undefined): Extract<ProfileCase, { state: 'completed' }> {
  if (c?.state !== 'completed') throw new Error(`not completed: ${JSON.stringify(c)}`);
  return c;
}

/** perf installed and allowed here (the suite's own check). */
const perfWorks = (await perfInfo(defaultToolPaths().perf)).available;

describe('profile --service model with your model', () => {
  it("names the module's own function among the model API's top frames (--cpu-prof, sync path)", async () => {
    const data = await runProfileSuite({
      tools: ['cpuprof'],
      paths: ['sync'],
      service: 'model',
      predict: 'module',
      modelFile: fixtureModel('heavy-module.mjs'),
      durationMs: 2000,
      connections: 2,
      outDir: join(out, 'module'),
    });
    const c = done(data.cases[0]);
    expect(c.id).toBe('sync-module-model-cpuprof');
    expect(c.model?.name).toBe('heavy fixture');
    expect(c.load.successes).toBeGreaterThan(0);
    const top = c.summaries.flatMap((s) => s.topFunctions.slice(0, 3).map((f) => f.name));
    expect(top).toContain('heavyModelScore');
  }, 120_000);

  it('sends /predict bodies with the features the model takes (a 4-feature ONNX model)', async () => {
    const data = await runProfileSuite({
      tools: ['cpuprof'],
      paths: ['async'],
      service: 'model',
      predict: 'onnx',
      modelFile: fixtureModel('four-features.onnx'),
      durationMs: 1000,
      connections: 2,
      outDir: join(out, 'four'),
    });
    const c = done(data.cases[0]);
    expect(c.model?.featureCount).toBe(4);
    expect(c.load.successes).toBeGreaterThan(0);
    expect(c.load.failures.non2xx).toBe(0);
  }, 120_000);

  it("shows onnxruntime's native frames under perf", async (ctx) => {
    needTool(ctx, 'perf', perfWorks, 'Debian: apt-get install linux-perf');
    const data = await runProfileSuite({
      tools: ['perf'],
      paths: ['sync'],
      service: 'model',
      predict: 'onnx',
      modelFile: shippedModel('model-b'),
      durationMs: 2000,
      connections: 4,
      outDir: join(out, 'perf'),
    });
    const c = done(data.cases[0]);
    const frames = c.summaries.flatMap((s) => s.topFunctions);
    const onnx = frames.filter((f) => /libonnxruntime|onnxruntime_binding/.test(f.location));
    expect(onnx.length).toBeGreaterThan(0);
    expect(onnx.every((f) => f.group === 'dependencies')).toBe(true);
  }, 120_000);
});
