// `servebench serve --predict onnx|module`: prints the scoring URL on stdout and the models (file, size,
// sha256, input, runtime, placement, threads) on stderr, serves their answers, and stops on a signal; a model
// it cannot run exits 2 with a message naming the problem; without onnxruntime-node, onnx exits 1 saying so.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../src/paths.js';
import { Supervisor } from '../src/processes/index.js';
import type { ScoreResponse } from '../src/results/serving.js';
import { fixtureModel, post } from './serving-model-fixtures.js';

const cli = join(packageRoot, 'bin', 'servebench.js');
const sup = new Supervisor();
afterAll(() => sup.stopAll());

async function serveError(args: string[], env: Record<string, string> = {}): Promise<{ code?: number; stderr?: string } | undefined> {
  return promisify(execFile)(process.execPath, [cli, 'serve', ...args], { timeout: 30_000, env: { ...process.env, ...env } }).then(
    () => undefined,
    (e: { code?: number; stderr?: string }) => e,
  );
}

describe('servebench serve with a model', () => {
  it.each([
    [
      'onnx, async path, cluster',
      ['--predict', 'onnx', '--path', 'async', '--topology', 'cluster', '--workers', '2', '--pool-threads', '1', '--onnx-threads', '1'],
      [
        /\[serve\] model-a: model-a\.onnx \(316 bytes, sha256 [0-9a-f]{12}\), input features float32 \[batch, 8\], onnxruntime-node \d+\.\d+\.\d+, worker-pool, 1 intra-op thread\(s\) a session, pool of 1 thread\(s\)/,
        /\[serve\] model-b: model-b\.onnx \(969 bytes/,
        /onnxruntime-node's run does not leave the event loop/,
      ],
      'SIGINT',
      130,
    ],
    [
      'module, sync path, single',
      ['--predict', 'module', '--model', 'examples/predict-module.mjs', '--path', 'sync'],
      [
        /\[serve\] model-a: example logistic regression \(hand-written\) \(\d+ bytes, sha256 [0-9a-f]{12}\), input features number \[8\], node \S+, inline/,
        /\[serve\] model-b: the same file/,
      ],
      'SIGTERM',
      143,
    ],
  ] as const)('%s: prints the URL and the models, serves, stops', async (_what, args, lines, signal, code) => {
    const proc = await sup.start({
      name: 'serve',
      command: process.execPath,
      args: [cli, 'serve', ...args, '--store', 'memory'],
      cwd: packageRoot,
      ready: { kind: 'line', pattern: /^http:\/\/127\.0\.0\.1:\d+\/score$/ },
      readyTimeoutMs: 40_000,
    });
    const out = proc.output();
    const url = /^(http:\/\/127\.0\.0\.1:\d+\/score)$/m.exec(out)![1]!;
    for (const line of lines) expect(out).toMatch(line);
    const r = await post<ScoreResponse>(url, { entity: 'e3' });
    expect(r.status).toBe(200);
    expect(r.json.score).toBeGreaterThan(0);
    proc.signal(signal);
    expect((await proc.waitForExit(20_000)).code).toBe(code);
  });

  it.each([
    [['--predict', 'onnx', '--model', 'no/such/model.onnx'], /--model: .*no\/such\/model\.onnx: no such file/],
    [['--predict', 'onnx', '--model', fixtureModel('not-a-model.onnx')], /not-a-model\.onnx: not an ONNX model onnxruntime-node can load/],
    [['--predict', 'onnx', '--model-b', fixtureModel('two-inputs.onnx')], /--model-b: two-inputs\.onnx: the model has 2 inputs/],
    [['--predict', 'onnx', '--model', fixtureModel('dynamic-features.onnx')], /input 'x' .* has a dynamic feature dimension 'n'/],
    [['--predict', 'module', '--model', fixtureModel('no-predict.mjs')], /no-predict\.mjs: exports no predict function/],
    [['--predict', 'module'], /--model: required with --predict module/],
    [['--predict', 'io', '--model', 'x.onnx'], /--model: applies only to --predict onnx or module/],
    [['--predict', 'onnx', '--onnx-threads', '0'], /--onnx-threads: must be between 1 and 256/],
  ])('%j exits 2 naming the problem', async (args, message) => {
    const err = await serveError([...args, '--store', 'memory']);
    expect(err?.code).toBe(2);
    expect(err?.stderr).toMatch(message);
  });

  it('without onnxruntime-node, --predict onnx fails with "onnx: unavailable (<reason>)"', async () => {
    const err = await serveError(['--predict', 'onnx', '--store', 'memory'], { SERVEBENCH_ONNX: 'off' });
    expect(err?.code).toBe(1);
    expect(err?.stderr).toMatch(/onnx: unavailable \(disabled by SERVEBENCH_ONNX=off\)/);
  });
});
