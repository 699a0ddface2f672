// Your own request data for --target: --body @FILE (the file's contents), --bodies FILE.ndjson (one body a line,
// in turn or at random with the seed) and --header @FILE (one 'name: value' a line); a malformed file is an
// error naming the option, the file and the line, and the command exits 2 on it.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OptionError } from '../src/errors.js';
import { readRequestData } from '../src/load/request-data.js';
import { packageRoot } from '../src/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'servebench-request-data-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
const base = { body: [] as string[], header: [] as string[], seed: 1 };

describe('request data files', () => {
  it('reads a body file, an NDJSON file in turn and a header file', () => {
    const body = file('body.json', '{"entity":"e7"}\n');
    const bodies = file('bodies.ndjson', '{"features":[1,2]}\n\n{"features":[3,4]}\r\n["a"]\n');
    const headers = file('headers.txt', 'X-Tenant: acme\nauthorization:  Bearer t0k3n \n\n');
    const d = readRequestData({ ...base, body: [`@${body}`, 'literal'], bodies, header: [`@${headers}`, 'x-extra: 1'] });
    expect(d.bodies).toEqual(['{"entity":"e7"}\n', 'literal', '{"features":[1,2]}', '{"features":[3,4]}', '["a"]']);
    expect(d.headers).toEqual({ 'x-tenant': 'acme', authorization: 'Bearer t0k3n', 'x-extra': '1' });
    expect(d.echo).toEqual({ bodies: 5, files: [body, bodies], order: 'turn', headerFiles: [headers] });
  });

  it('sends JSON bodies with a JSON content type unless a header says otherwise', () => {
    const bodies = file('json.ndjson', '{"a":1}\n{"a":2}\n');
    expect(readRequestData({ ...base, bodies }).headers['content-type']).toBe('application/json');
    expect(readRequestData({ ...base, bodies, header: ['content-type: application/x-ndjson'] }).headers['content-type']).toBe('application/x-ndjson');
  });

  it('draws a random order from the seed: the same seed gives the same sequence, of the given bodies only', () => {
    const bodies = file('ten.ndjson', Array.from({ length: 10 }, (_, i) => JSON.stringify({ i })).join('\n'));
    const a = readRequestData({ ...base, bodies, order: 'random', seed: 7 });
    const b = readRequestData({ ...base, bodies, order: 'random', seed: 7 });
    const c = readRequestData({ ...base, bodies, order: 'random', seed: 8 });
    expect(a.bodies).toEqual(b.bodies);
    expect(a.bodies).not.toEqual(c.bodies);
    expect(new Set(a.bodies).size).toBe(10);
    expect(a.bodies.slice(0, 10)).not.toEqual(Array.from({ length: 10 }, (_, i) => JSON.stringify({ i })));
    expect(a.echo.order).toBe('random');
  });

  it.each([
    ['an NDJSON line that is not JSON', () => ({ bodies: file('bad.ndjson', '{"a":1}\n{"a":2}\n{oops}\n') }), /--bodies: .*bad\.ndjson: line 3 is not JSON/],
    ['an empty NDJSON file', () => ({ bodies: file('empty.ndjson', '\n  \n') }), /--bodies: .*empty\.ndjson: the file is empty/],
    ['a missing body file', () => ({ body: [`@${join(dir, 'nope.json')}`] }), /--body: .*nope\.json: no such file/],
    ['a header line without a colon', () => ({ header: [`@${file('h.txt', 'x-ok: 1\nno colon here\n')}`] }), /--header: .*h\.txt: line 2 is not 'name: value'/],
    ['a random order of one body', () => ({ body: ['{}'], order: 'random' as const }), /--bodies-order: random needs at least two bodies/],
  ])('refuses %s, naming the file and the line', (_what, options, message) => {
    const run = () => readRequestData({ ...base, ...options() });
    expect(run).toThrow(OptionError);
    expect(run).toThrow(message);
  });

  it('exits 2 from the command line with the message', async () => {
    const bad = file('cli.ndjson', '{"a":1}\nnot json\n');
    const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [join(packageRoot, 'bin', 'servebench.js'), 'load', '--target', 'http://127.0.0.1:9/', '--bodies', bad],
        { timeout: 30_000 },
        (err, _out, stderr) => resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stderr }),
      );
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--bodies: .*cli\.ndjson: line 2 is not JSON/);
  });
});
