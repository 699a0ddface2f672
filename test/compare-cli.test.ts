// `servebench compare`, `runs` and `report --format csv` end to end (the compiled CLI: `npm run build` first):
// exit 0 for no regression, 4 for a significant regression beyond --fail-on-regression, 2 for bad options
// or files that share no suite; Markdown and JSON outputs; the runs of a folder newest first.

import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_REGRESSION, EXIT_THRESHOLD_CROSSED } from '../src/results/compare/index.js';
import type { Comparison } from '../src/results/compare/index.js';
import { kernelEntry, kernelsData, loadData, stepRuns, wrap } from './compare-fixtures.js';

const bin = join(import.meta.dirname, '..', 'bin', 'servebench.js');
const dir = mkdtempSync(join(tmpdir(), 'servebench-compare-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 60_000, maxBuffer: 16 << 20, cwd: dir }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
  });
}

function save(path: string, value: unknown): string {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), JSON.stringify(value));
  return path;
}

const base = save('reports/a/load.json', { ...wrap('load', loadData(stepRuns(3, 1000, 2000, 0.05, 1))), createdAt: '2026-12-01T10:00:00.000Z' });
const same = save('reports/b/load.json', { ...wrap('load', loadData(stepRuns(3, 1000, 2000, 0.05, 2))), createdAt: '2026-12-02T10:00:00.000Z' });
const slow = save('reports/c/load.json', {
  ...wrap('load', loadData(stepRuns(3, 500, 4000, 0.05, 3))),
  createdAt: '2026-12-03T10:00:00.000Z',
  servebench: { version: '0.1.0', argv: [], gitCommit: 'abc1234' },
});
const kernels = save('other/kernels.json', wrap('kernels', kernelsData([kernelEntry('typed', 1e6, [800_000, 810_000])])));

describe('servebench compare', () => {
  it('the gating exit codes are their own: not 0, 1, 2, 130 or 143, and not each other', () => {
    expect([EXIT_THRESHOLD_CROSSED, EXIT_REGRESSION]).toEqual([3, 4]);
  });

  it('the same service twice: no significant change, exit 0 even with --fail-on-regression', async () => {
    const r = await run(['compare', base, same, '--fail-on-regression', '5%']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Environment differences');
    expect(r.stdout).toContain('Summary: 3 no significant change');
    expect(r.stdout).toContain('Regressions beyond 5%: none');
  });

  it(`a 2x slower service: slower, exit ${EXIT_REGRESSION} with --fail-on-regression, 0 without`, async () => {
    const gated = await run(['compare', base, slow, '--fail-on-regression', '5%']);
    expect(gated.code).toBe(4);
    expect(gated.stdout).toContain('Summary: 3 slower');
    expect(gated.stdout).toMatch(/Regressions beyond 5%: 3\n {2}target sustained held c=10 rps: /);
    expect((await run(['compare', base, slow])).code).toBe(0);
    expect((await run(['compare', base, slow, '--fail-on-regression', '150%'])).code).toBe(0);
  });

  it('--format md for a pull-request comment, --format json for tools', async () => {
    const md = await run(['compare', base, slow, '--format', 'md']);
    expect(md.stdout).toMatch(/^## servebench compare\n\n\*\*3 slower\*\*/);
    expect(md.stdout).toContain('### Changed');
    expect(md.stdout).toContain('<details><summary>Every figure</summary>');
    const json = await run(['compare', base, slow, '--format', 'json', '--fail-on-regression', '0.05']);
    expect(json.code).toBe(4);
    const c = JSON.parse(json.stdout) as Comparison & { failOnRegression: { allowance: number; regressions: unknown[] } };
    expect(c.new.gitCommit).toBe('abc1234');
    expect(c.counts.slower).toBe(3);
    expect(c.failOnRegression.allowance).toBe(0.05);
    expect(c.failOnRegression.regressions).toHaveLength(3);
  });

  it('bad options and inputs exit 2 with a message naming them', async () => {
    const cases: [string[], RegExp][] = [
      [['compare', base, slow, '--fail-on-regression', 'lots'], /--fail-on-regression: expected a percentage such as 5%/],
      [['compare', base, slow, '--fail-on-regression', '5'], /'5' reads as a fraction above 1; write 5% for a percentage/],
      [['compare', base, slow, '--significance', '2'], /--significance: expected a level such as 0.05/],
      [['compare', base, slow, '--format', 'xml'], /--format: must be one of terminal, md, json/],
      [['compare', base, kernels], /nothing to compare: a load file and a kernels file share no suite/],
      [['compare', base, 'missing.json'], /cannot read .*missing.json: ENOENT/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('servebench runs and report --format csv', () => {
  it('lists the results files under reports/ newest first, with the commit where recorded', async () => {
    const r = await run(['runs']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^created\s+suite\s+commit\s+host\s+path$/);
    expect(lines.slice(2).map((l) => l.split(/\s+/).pop())).toEqual([slow, same, base]);
    expect(lines[2]).toContain('abc1234');
    expect(lines[3]).toMatch(/ - /);
    const json = JSON.parse((await run(['runs', '--dir', 'other', '--json'])).stdout) as { kind: string }[];
    expect(json.map((x) => x.kind)).toEqual(['kernels']);
  });

  it('report --format csv prints the load table; --series only with csv', async () => {
    const r = await run(['report', base, '--format', 'csv', '--series']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\r\n')[0]).toMatch(/^section,row,configId,scenario,step,/);
    expect(r.stdout).toContain('load,second,target,sustained,held c=10');
    const bad = await run(['report', base, '--series']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--series: applies only with --format csv');
  });
});
