// wrapScoring lets the profile suite start the scoring process under a profiler: the wrapped process
// still becomes ready, still sends metrics (on stdout, as a wrapper drops the IPC channel), is stopped
// with SIGINT so the profiler writes its output. And a missing nginx is data, not a crash.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ServebenchError } from '../src/errors.js';
import { waitUntil } from '../src/processes/index.js';
import { startSystem } from '../src/serving/system.js';
import { topologyAvailability } from '../src/serving/topology/index.js';

describe('profiler hook', () => {
  it.each(['sync', 'async'] as const)('runs the scoring process wrapped (--cpu-prof) on the %s path and gets its profile', async (path) => {
    const dir = mkdtempSync(join(tmpdir(), 'servebench-prof-test-'));
    try {
      const sys = await startSystem({
        path,
        topology: 'single',
        predict: 'io',
        store: 'memory',
        metricsIntervalMs: 100,
        // A wrapper in the shape of 0x/clinic: another command line around the node one.
        wrapScoring: (cmd) => ({ command: cmd.command, args: ['--cpu-prof', '--cpu-prof-dir', dir, ...cmd.args], env: { ...cmd.env, WRAPPED: '1' } }),
      });
      const scoringPid = sys.processes.find((p) => p.role === 'scoring')!.pid;
      let got = false;
      sys.onMetrics((m) => {
        if (m.pid === scoringPid) got = true;
      });
      const r = await fetch(sys.scoringUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"entity":"e1"}' });
      expect(r.status).toBe(200);
      await waitUntil(() => got, 5000, 'metrics from the wrapped scoring process');
      await sys.stop();
      expect(readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('nginx missing', () => {
  it('is reported as data by topologyAvailability, and startSystem fails with SB_ERR_MISSING_TOOL', async () => {
    const saved = process.env.SERVEBENCH_NGINX;
    process.env.SERVEBENCH_NGINX = '/nonexistent/nginx';
    try {
      const a = await topologyAvailability('nginx');
      expect(a).toEqual({
        available: false,
        reason: expect.stringMatching(/nginx is not installed \(not found at \/nonexistent\/nginx .*\): the nginx topology is skipped/),
      });
      const err = await startSystem({ path: 'async', topology: 'nginx', predict: 'io', store: 'memory' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ServebenchError);
      expect((err as ServebenchError).code).toBe('SB_ERR_MISSING_TOOL');
      expect(await topologyAvailability('single')).toEqual({ available: true });
    } finally {
      if (saved === undefined) delete process.env.SERVEBENCH_NGINX;
      else process.env.SERVEBENCH_NGINX = saved;
    }
  });
});
