// The published JSON Schema of results files (schema/results.schema.json): generated from the types (the
// committed file is what the script gives), valid draft 2020-12, and real results files validate against it,
// also with every object closed to unknown keys (so a key the types lack shows up here). Needs `npm run build`.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Supervisor } from '../src/processes/index.js';
import { listRuns } from '../src/results/compare/index.js';
import { startTestServer, type TestServer } from './load-fixtures.js';

const root = join(import.meta.dirname, '..');
const out = mkdtempSync(join(tmpdir(), 'servebench-schema-'));
const schema = JSON.parse(readFileSync(join(root, 'schema', 'results.schema.json'), 'utf8')) as Record<string, unknown>;
const sup = new Supervisor();
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer(sup, 'ok', { delayMs: 1 });
});
afterAll(async () => {
  await sup.stopAll();
  rmSync(out, { recursive: true, force: true });
});

function node(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: root, timeout: 120_000 }, (err, _stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stderr });
    });
  });
}

/** The schema with every object closed: no key the types do not declare. */
function closed(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(closed);
  if (s === null || typeof s !== 'object') return s;
  const o = Object.fromEntries(
    Object.entries(s).map(([k, v]) => [k, k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([p, x]) => [p, closed(x)])) : closed(v)]),
  );
  if (o.type === 'object' && o.additionalProperties === undefined) o.additionalProperties = false;
  return o;
}

const validators: Record<'open' | 'closed', ValidateFunction> = {
  open: new Ajv2020({ strict: true, allErrors: true }).compile(schema),
  closed: new Ajv2020({ strict: true, allErrors: true }).compile(closed(schema) as Record<string, unknown>),
};

function expectValid(file: string): void {
  const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  for (const [mode, validate] of Object.entries(validators)) {
    const ok = validate(value);
    const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'anyOf').slice(0, 5);
    expect(ok, `${file} (${mode}): ${JSON.stringify(errors)}`).toBe(true);
  }
}

describe('results JSON Schema', () => {
  it('is the schema the types give (scripts/results-schema.mjs --check)', async () => {
    const r = await node(['scripts/results-schema.mjs', '--check']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('validates the real bench runs of the fixtures', () => {
    expectValid(join(root, 'test', 'fixtures', 'bench-quick-results.json'));
    expectValid(join(root, 'test', 'fixtures', 'bench-full-results.json'));
  });

  it('validates a load.json and a hardware.json written now by the CLI', async () => {
    const bin = join(root, 'bin', 'servebench.js');
    const load = await node([
      bin,
      'load',
      '--target',
      server.url,
      '--scenario',
      'sustained',
      '--connections',
      '2',
      '--duration',
      '1s',
      '--warmup',
      '200ms',
      '--out',
      out,
    ]);
    expect(load.code).toBe(0);
    const hw = await node([bin, 'hw', '--no-bandwidth', '--noise-window', '100ms', '--out', out]);
    expect(hw.code).toBe(0);
    // Wherever under --out the commands put them (a run folder or not).
    const files = listRuns(out);
    expect(files.map((f) => f.kind).sort()).toEqual(['hardware', 'load']);
    for (const f of files) expectValid(f.path);
  });

  it('rejects a file that breaks the contract, saying where', () => {
    const file = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'bench-quick-results.json'), 'utf8')) as {
      data: { sections: { kernels: { entries: { n: unknown }[] } } };
    };
    file.data.sections.kernels.entries[0]!.n = 'many';
    expect(validators.open(file)).toBe(false);
    expect(validators.open.errors?.some((e) => e.instancePath === '/data/sections/kernels/entries/0/n')).toBe(true);
  });
});
