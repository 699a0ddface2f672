// `servebench k8s` from the command line: one YAML stream on stdout; with --out DIR one file per object and a
// kustomization.yaml listing exactly them (and, where kubectl is installed, `kubectl kustomize DIR` builds
// them offline); bad or conflicting options exit 2 naming the option.

import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { validateObject, type Obj } from './k8s-fixtures.js';
import { needTool } from './needs-tool.js';

const dir = mkdtempSync(join(tmpdir(), 'servebench-k8s-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/servebench.js', 'k8s', ...args], { timeout: 60_000, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** kubectl, if installed ($KUBECTL to name another one): only its offline `kustomize` is used. */
const KUBECTL = process.env.KUBECTL ?? 'kubectl';

function hasKubectl(): boolean {
  try {
    execFileSync(KUBECTL, ['version', '--client'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

describe('servebench k8s', () => {
  it('prints one YAML stream of valid objects on stdout', async () => {
    const r = await cli(['--image', 'registry.example/servebench:1', '--load', '--rate', '200', '--shards', '2']);
    expect(r.code).toBe(0);
    const objs = parseAllDocuments(r.stdout).map((d) => d.toJS() as Obj);
    expect(objs.map((o) => o.kind)).toContain('Job');
    for (const o of objs) validateObject(o);
    const job = objs.find((o) => o.kind === 'Job')!;
    expect(job.spec.template.spec.containers[0].image).toBe('registry.example/servebench:1');
  });

  it('--out DIR writes one file per object and a kustomization.yaml listing exactly them', async () => {
    const out = join(dir, 'manifests');
    const r = await cli(['--path', 'queue', '--load', '--connections', '8', '--shards', '3', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/kubectl apply -k/);
    const kustomization = parse(readFileSync(join(out, 'kustomization.yaml'), 'utf8')) as { kind: string; resources: string[] };
    expect(kustomization.kind).toBe('Kustomization');
    expect([...kustomization.resources, 'kustomization.yaml'].sort()).toEqual(readdirSync(out).sort());
    for (const f of kustomization.resources) {
      const docs = parseAllDocuments(readFileSync(join(out, f), 'utf8'));
      expect(docs, f).toHaveLength(1);
      validateObject(docs[0]!.toJS() as Obj);
    }
    expect(r.stdout.trim().split('\n')).toHaveLength(kustomization.resources.length + 1);
  });

  it('kubectl kustomize builds the folder offline (no cluster needed)', async (ctx) => {
    needTool(ctx, 'kubectl', hasKubectl(), 'Debian: apt-get install kubernetes-client');
    const out = join(dir, 'kustomized');
    expect((await cli(['--load', '--rate', '100', '--shards', '2', '--out', out])).code).toBe(0);
    const built = execFileSync(KUBECTL, ['kustomize', out], { encoding: 'utf8', timeout: 60_000 });
    const kinds = parseAllDocuments(built).map((d) => (d.toJS() as Obj).kind as string);
    const listed = (parse(readFileSync(join(out, 'kustomization.yaml'), 'utf8')) as { resources: string[] }).resources;
    expect(kinds).toHaveLength(listed.length);
  });

  const bad: [string, string[], RegExp][] = [
    ['nginx topology', ['--topology', 'nginx'], /--topology: nginx: in Kubernetes the Service balances the pods/],
    ['an unknown path', ['--path', 'grpc'], /--path: must be one of sync, async/],
    ['--load without --shards', ['--load', '--rate', '10'], /--shards: required with --load/],
    ['--load without a rate or connections', ['--load', '--shards', '2'], /--rate: give one of --rate/],
    ['both --rate and --connections', ['--load', '--shards', '2', '--rate', '10', '--connections', '4'], /--connections: give one of --rate/],
    ['--rate without --load', ['--rate', '10'], /--rate: applies only with --load/],
    ['fewer connections than shards', ['--load', '--shards', '4', '--connections', '3'], /--shards: each shard needs at least one connection/],
    ['a bad namespace', ['--namespace', 'Bench_1'], /--namespace: must be a DNS label/],
    ['a missing model file', ['--predict', 'onnx', '--model', 'no/such/model.onnx'], /--model: cannot read no\/such\/model\.onnx: ENOENT/],
    ['a model file with the io predict', ['--model', 'models/model-a.onnx'], /--model: applies only to --predict onnx or module/],
    ['min above max replicas', ['--min-replicas', '5', '--max-replicas', '2'], /--min-replicas: must be at most --max-replicas \(2\), got 5/],
    ['a zero target utilization', ['--target-utilization', '0'], /--target-utilization: must be above 0%/],
    ['an unknown --hpa-times', ['--hpa-times', 'fast'], /--hpa-times: must be one of emulation, kubernetes/],
    ['--model-workers off the queue path', ['--model-workers', '2'], /--model-workers: applies only to --path queue/],
    ['--model-workers with --min-replicas', ['--path', 'queue', '--model-workers', '2', '--min-replicas', '1'], /--model-workers: .* not both/],
    ['port 0', ['--port', '0'], /--port: must be between 1 and 65535/],
    ['an option k8s does not take', ['--host', '0.0.0.0'], /unknown option '--host'/],
    ['a module predict without its file', ['--predict', 'module'], /--model: required with --predict module/],
  ];
  for (const [what, args, message] of bad) {
    it(`exits 2 naming the option: ${what}`, async () => {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    });
  }
});
