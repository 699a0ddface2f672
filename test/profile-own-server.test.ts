// Your own server under the profiler, the way 0x and clinic take one: `servebench profile [--tool ...] -- node
// app.js` starts the command under the tool, finds the port it listens on (here a port the OS picked, found
// in /proc), drives it with the closed-loop load, stops it and summarises the profile. The fixture's hot
// function must be named among the top frames.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../src/paths.js';
import type { ProfileData } from '../src/results/profile.js';

const FIXTURE = join('test', 'fixtures', 'own-server.mjs');

function profile(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(packageRoot, 'bin', 'servebench.js'), 'profile', '--quiet', '--json', ...args],
      { cwd: packageRoot, timeout: 170_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr }),
    );
  });
}

describe('profile -- node app.js', () => {
  it('profiles your own server with 0x and --cpu-prof and names its hot function', async () => {
    const out = mkdtempSync(join(tmpdir(), 'servebench-own-profile-'));
    const r = await profile(['--tool', 'cpuprof,0x', '--duration', '2s', '--connections', '2', '--out', out, '--', 'node', FIXTURE]);
    expect(r.code, r.stderr).toBe(0);
    const data = (JSON.parse(r.stdout) as { data: ProfileData }).data;
    expect(data.settings.service).toBe('command');
    expect(data.settings.command?.argv).toEqual(['node', FIXTURE]);
    expect(data.cases.map((c) => c.id)).toEqual(['command-cpuprof', 'command-0x']);
    for (const c of data.cases) {
      expect(c.state, c.state === 'errored' ? c.error.message : '').toBe('completed');
      if (c.state !== 'completed') continue;
      expect(c.load.successes).toBeGreaterThan(0);
      expect(c.notes.join(' ')).toMatch(/port \d+ \(the first port it listened on\)/);
      const top = c.summaries.flatMap((s) => s.topFunctions.slice(0, 3).map((f) => f.name));
      expect(top).toContain('ownServerHotLoop');
    }
  }, 180_000);

  it('refuses the serving system options with a command, and a command option without one (exit 2)', async () => {
    const withPredict = await profile(['--predict', 'cpu', '--', 'node', FIXTURE]);
    expect(withPredict.code).toBe(2);
    expect(withPredict.stderr).toMatch(/--predict: configures servebench's serving system; with a command after -- your own server is profiled/);
    const portAlone = await profile(['--port', '3000']);
    expect(portAlone.code).toBe(2);
    expect(portAlone.stderr).toMatch(/--port: applies to your own server, given as a command after --/);
  }, 60_000);
});
