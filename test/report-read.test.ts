// `servebench report` reads only servebench results files, and says clearly what is wrong with any other.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readResults } from '../src/results/read.js';

const dir = mkdtempSync(join(tmpdir(), 'servebench-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('reading a results file', () => {
  it.each([
    ['a missing file', join(dir, 'nope.json'), /cannot read .*nope\.json: ENOENT/],
    ['bad JSON', file('bad.json', '{"schema": '), /is not valid JSON/],
    ['another JSON file', file('other.json', '{"name": "x"}'), /is not a servebench results file/],
    [
      'a newer schema version',
      file('new.json', '{"schema":"servebench","version":99,"kind":"bench","env":{},"data":{}}'),
      /schema version 99; this servebench reads versions up to 1/,
    ],
    ['an unknown kind', file('kind.json', '{"schema":"servebench","version":1,"kind":"gpu","env":{},"data":{}}'), /unknown kind 'gpu'/],
    ['no data block', file('nodata.json', '{"schema":"servebench","version":1,"kind":"load","env":{}}'), /lacks its env or data block/],
  ])('rejects %s with a message naming the problem', (_what, path, message) => {
    expect(() => readResults(path)).toThrow(message);
    try {
      readResults(path);
    } catch (err) {
      expect((err as { code?: string }).code).toBe('SB_ERR_INPUT');
    }
  });
});
