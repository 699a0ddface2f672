// A profiler that is missing, or fails when it runs, is reported as an errored case with its error (and its
// own last output); the other cases of the run still complete, and profile.json holds them all.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { setQuiet } from '../src/progress.js';
import { runSuiteToFile } from '../src/run/run-suite.js';
import { profileSuite } from '../src/run/suites/profile.js';
import { fixtureTarget } from './profile-fixtures.js';

setQuiet(true);
const out = mkdtempSync(join(tmpdir(), 'servebench-profile-failing-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('a missing or failing profiler', () => {
  it('is an errored case with its error; the working tool still completes', async () => {
    const run = await runSuiteToFile(
      profileSuite,
      {
        tools: ['0x', 'perf', 'doctor', 'cpuprof'],
        paths: ['async'],
        durationMs: 800,
        connections: 2,
        outDir: out,
        startTarget: fixtureTarget(),
        toolPaths: { zeroX: '/nonexistent/0x/cmd.js', perf: '/nonexistent/perf', clinic: join(import.meta.dirname, 'fixtures', 'fake-clinic', 'bin.js') },
      },
      { outDir: out },
    );
    const data = run.result.data;
    const byTool = new Map(data.cases.map((c) => [c.tool, c]));
    const zeroX = byTool.get('0x')!;
    expect(zeroX).toMatchObject({ state: 'errored', error: { code: 'SB_ERR_MISSING_TOOL' } });
    const perf = byTool.get('perf')!;
    expect(perf).toMatchObject({ state: 'errored', error: { code: 'SB_ERR_MISSING_TOOL', message: expect.stringContaining('/nonexistent/perf') } });
    // Installed, but fails when it runs: its own words are in the error.
    const doctor = byTool.get('doctor')!;
    expect(doctor.state).toBe('errored');
    if (doctor.state === 'errored') expect(doctor.error.message).toContain('fake-clinic: cannot attach');
    expect(byTool.get('cpuprof')?.state).toBe('completed');
    expect(data.tools.find((t) => t.tool === '0x')).toMatchObject({ available: false });
    const saved = JSON.parse(readFileSync(join(out, 'profile.json'), 'utf8')) as { kind: string; data: { cases: { state: string }[] } };
    expect(saved.kind).toBe('profile');
    expect(saved.data.cases.map((c) => c.state)).toEqual(['errored', 'errored', 'errored', 'completed']);
  });
});
